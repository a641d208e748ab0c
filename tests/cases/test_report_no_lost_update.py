"""No lost update on a report: two screeners edit the same draft; the second save is refused, not silently applied."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.roles import Role
from cases.models import IntakeReport
from tests.factories import make_report, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast):
    return make_report(cast.screener)


@pytest.fixture
def colleague(cast):
    return make_staff("colleague", Role.INTAKE_SCREENER, unit=cast.unit, first_name="Ada", last_name="Quill")


def signed_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client


def section_url(report, name: str = "report") -> str:
    return reverse("intake_edit_section", args=[report.public_id, name])


def opened_form(client, report) -> dict:
    """The report section as the browser got it: every value, the hidden version included."""
    form = client.get(section_url(report)).context["form"]
    local = timezone.localtime(report.received_at)
    return {
        "received_at": local.strftime("%Y-%m-%dT%H:%M"),
        "method": report.method,
        "report_source": report.report_source,
        "incident_address": report.incident_address,
        "children_location": report.children_location,
        "narrative": report.narrative,
        "access_restriction": report.access_restriction,
        "version": form["version"].value(),
        "then": "detail",
    }


def test_it_refuses_the_second_of_two_saves_and_keeps_what_was_typed(cast, report, colleague):
    first, second = signed_in(colleague), signed_in(cast.screener)
    first_form, second_form = opened_form(first, report), opened_form(second, report)

    assert first.post(section_url(report), {**first_form, "narrative": "The mother called back."}).status_code == 302
    response = second.post(section_url(report), {**second_form, "narrative": "The school nurse called."})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this report since you opened it" in page
    assert "Ada Quill" in page
    assert "Narrative" in page
    assert "The school nurse called." in page
    assert "On record now:" in page and "The mother called back." in page
    report.refresh_from_db()
    assert report.narrative == "The mother called back."


def test_saving_again_after_the_refusal_is_a_choice_that_goes_through(cast, report, colleague):
    first, second = signed_in(colleague), signed_in(cast.screener)
    first_form, second_form = opened_form(first, report), opened_form(second, report)
    first.post(section_url(report), {**first_form, "narrative": "The mother called back."})
    refused = second.post(section_url(report), {**second_form, "narrative": "The school nurse called."})

    again = {
        **second_form,
        "narrative": "The school nurse called.",
        "version": refused.context["form"]["version"].value(),
    }
    assert second.post(section_url(report), again).status_code == 302
    report.refresh_from_db()
    assert report.narrative == "The school nurse called."


def test_a_single_editor_saves_twice_in_a_row(cast, report):
    client = signed_in(cast.screener)
    assert client.post(section_url(report), {**opened_form(client, report), "narrative": "One."}).status_code == 302
    assert client.post(section_url(report), {**opened_form(client, report), "narrative": "Two."}).status_code == 302
    report.refresh_from_db()
    assert (report.narrative, report.version) == ("Two.", 3)


def test_the_reporter_section_is_checked_too(cast, report, colleague):
    first, second = signed_in(colleague), signed_in(cast.screener)
    version = first.get(section_url(report, "reporter")).context["form"]["version"].value()
    second.get(section_url(report, "reporter"))
    typed = {"reporter_name": "A. Teacher", "reporter_phone": "555-0101", "version": version, "then": "detail"}
    assert first.post(section_url(report, "reporter"), typed).status_code == 302
    response = second.post(section_url(report, "reporter"), {**typed, "reporter_name": "B. Nurse"})
    assert response.status_code == 200
    assert "Someone else changed this report since you opened it" in response.content.decode()
    assert escape("B. Nurse") in response.content.decode()
    report.refresh_from_db()
    assert report.reporter_name == "A. Teacher"


# The API


def api_url(report) -> str:
    return reverse("api_intake_report_detail", args=[report.public_id])


def test_the_api_gives_the_version_as_etag_and_field(cast, report):
    response = signed_in(cast.screener, APIClient).get(api_url(report))
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_a_stale_if_match_answers_412_and_saves_nothing(cast, report, colleague):
    first, second = signed_in(colleague, APIClient), signed_in(cast.screener, APIClient)
    etag = first.get(api_url(report))["ETag"]
    assert second.get(api_url(report))["ETag"] == etag

    saved = first.patch(api_url(report), {"narrative": "The mother called back."}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200
    assert saved["ETag"] == '"2"'
    refused = second.patch(api_url(report), {"narrative": "The nurse called."}, format="json", HTTP_IF_MATCH=etag)

    assert refused.status_code == 412
    assert "Ada Quill" in refused.json()["detail"]
    report.refresh_from_db()
    assert report.narrative == "The mother called back."


def test_a_stale_body_version_answers_409_and_saves_nothing(cast, report, colleague):
    first, second = signed_in(colleague, APIClient), signed_in(cast.screener, APIClient)
    version = first.get(api_url(report)).json()["version"]
    assert first.patch(api_url(report), {"narrative": "One.", "version": version}, format="json").status_code == 200
    refused = second.patch(api_url(report), {"narrative": "Two.", "version": version}, format="json")
    assert refused.status_code == 409
    assert "Someone else changed this report" in refused.json()["detail"]
    assert IntakeReport.objects.get(pk=report.pk).narrative == "One."


def test_a_current_if_match_saves(cast, report):
    api = signed_in(cast.screener, APIClient)
    etag = api.get(api_url(report))["ETag"]
    response = api.patch(api_url(report), {"narrative": "Checked."}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_an_if_match_that_names_no_version_answers_412(cast, report):
    response = signed_in(cast.screener, APIClient).patch(
        api_url(report), {"narrative": "x"}, format="json", HTTP_IF_MATCH='"abc"'
    )
    assert response.status_code == 412
