"""No lost update on a person: the worker and their supervisor edit the same child; the second save is refused."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def signed_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client


def edit_url(person) -> str:
    return reverse("person_edit", args=[person.public_id])


def opened_form(client, person) -> dict:
    """The edit page's form as the browser got it, hidden version included."""
    form = client.get(edit_url(person)).context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {name: ("" if value is None else value) for name, value in values.items() if value is not False}


def test_it_refuses_the_second_of_two_saves_and_keeps_what_was_typed(cast, child):
    first, second = signed_in(cast.supervisor), signed_in(cast.worker)
    first_form, second_form = opened_form(first, child), opened_form(second, child)

    assert first.post(edit_url(child), {**first_form, "phone": "555-0100"}).status_code == 302
    response = second.post(edit_url(child), {**second_form, "phone": "555-0199", "middle_name": "Rose"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this person&#x27;s details since you opened it" in page
    assert cast.supervisor.display_name in page
    assert "555-0199" in page and "Rose" in page
    assert "On record now:" in page and "<dd>555-0100</dd>" in page
    child.refresh_from_db()
    assert (child.phone, child.middle_name) == ("555-0100", "")


def test_a_single_editor_saves_twice_in_a_row(cast, child):
    client = signed_in(cast.worker)
    assert client.post(edit_url(child), {**opened_form(client, child), "phone": "555-0001"}).status_code == 302
    assert client.post(edit_url(child), {**opened_form(client, child), "phone": "555-0002"}).status_code == 302
    child.refresh_from_db()
    assert (child.phone, child.version) == ("555-0002", 3)


# The API


def api_url(person) -> str:
    return reverse("api_person_detail", args=[person.public_id])


def test_the_api_gives_the_version_as_etag_and_field(cast, child):
    response = signed_in(cast.worker, APIClient).get(api_url(child))
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_a_stale_if_match_answers_412_and_saves_nothing(cast, child):
    first, second = signed_in(cast.supervisor, APIClient), signed_in(cast.worker, APIClient)
    etag = first.get(api_url(child))["ETag"]
    assert second.get(api_url(child))["ETag"] == etag

    saved = first.patch(api_url(child), {"phone": "555-0100"}, format="json", HTTP_IF_MATCH=etag)
    assert (saved.status_code, saved["ETag"]) == (200, '"2"')
    refused = second.patch(api_url(child), {"phone": "555-0199"}, format="json", HTTP_IF_MATCH=etag)

    assert refused.status_code == 412
    assert cast.supervisor.display_name in refused.json()["detail"]
    child.refresh_from_db()
    assert child.phone == "555-0100"


def test_a_stale_body_version_answers_409_and_saves_nothing(cast, child):
    first, second = signed_in(cast.supervisor, APIClient), signed_in(cast.worker, APIClient)
    version = first.get(api_url(child)).json()["version"]
    assert first.patch(api_url(child), {"phone": "555-0100", "version": version}, format="json").status_code == 200
    refused = second.patch(api_url(child), {"phone": "555-0199", "version": version}, format="json")
    assert refused.status_code == 409
    child.refresh_from_db()
    assert child.phone == "555-0100"


def test_without_a_version_the_update_proceeds_as_before(cast, child):
    response = signed_in(cast.worker, APIClient).patch(api_url(child), {"phone": "555-0100"}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
