"""Kindred's own error pages: the navigation and a way back for 404, 403 and 400, a standalone 500, JSON for the API,
and never Django's technical 404 (which lists every URL pattern) unless a developer asks for it."""

import uuid

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from common.errors import server_error

TECHNICAL_404 = "Django tried these URL patterns"


def shows_kindred_page(response, heading: str) -> None:
    page = response.content.decode()
    assert heading in page
    assert f'href="{reverse("home")}"' in page
    assert "data-go-back" in page
    assert TECHNICAL_404 not in page


def shows_navigation(response) -> None:
    page = response.content.decode()
    assert '<nav aria-label="Main">' in page
    assert reverse("notification_list") in page


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_an_unknown_address_with_kindreds_page_and_the_navigation(cast, client_for, settings, debug):
    settings.DEBUG = debug
    response = client_for(cast.worker).get("/no-such-page/")
    assert response.status_code == 404
    shows_kindred_page(response, "Page not found")
    shows_navigation(response)


@pytest.mark.django_db
def test_it_answers_a_record_the_user_may_not_see_with_kindreds_page_while_debug_is_on(cast, client_for, settings):
    settings.DEBUG = True
    response = client_for(cast.worker).get(reverse("case_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404
    shows_kindred_page(response, "Page not found")


@pytest.mark.django_db
def test_a_developer_gets_the_technical_404_back_through_its_setting(cast, client_for, settings):
    settings.DEBUG, settings.DEBUG_TECHNICAL_404 = True, True
    response = client_for(cast.worker).get("/no-such-page/")
    assert response.status_code == 404
    assert TECHNICAL_404 in response.content.decode()


@pytest.mark.django_db
def test_a_signed_out_visitor_gets_the_page_without_the_navigation(client, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    shows_kindred_page(response, "Page not found")
    assert '<nav aria-label="Main">' not in response.content.decode()


@pytest.mark.django_db
def test_it_answers_a_forbidden_page_with_kindreds_page_and_the_navigation(cast, client_for):
    response = client_for(cast.worker).get(reverse("staff_list"))
    assert response.status_code == 403
    shows_kindred_page(response, "You may not do this")
    shows_navigation(response)


@pytest.mark.django_db
def test_it_answers_a_bad_request_with_kindreds_page(client):
    response = client.get(reverse("login"), HTTP_HOST="unknown.example")
    assert response.status_code == 400
    shows_kindred_page(response, "Kindred could not understand this request")


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_the_api_answers_in_json(cast, api_for, settings, debug):
    settings.DEBUG = debug
    api = api_for(cast.worker)
    missing = api.get("/api/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
    forbidden = api.get(reverse("api_staff_list"))
    assert forbidden.status_code == 403
    assert forbidden["Content-Type"] == "application/json"


def test_the_500_page_renders_with_no_request_and_no_database():
    page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert 'href="/"' in page
    assert "data-go-back" in page


def test_the_500_handler_answers_without_the_database():
    response = server_error(RequestFactory().get("/cases/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_gets_kindreds_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.worker)
    response = client.post(reverse("password_change"), {})
    assert response.status_code == 403
    shows_kindred_page(response, "This form could not be sent")
    shows_navigation(response)
