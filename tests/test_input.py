"""Input the system refuses with a clear 400 rather than a server error: NUL characters, absurd months,
page numbers and dates (issue #10, "Input")."""

import pytest
from django.urls import reverse

from common.input import NUL_REFUSED
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db

NUL = "\x00"
TWENTY_DIGITS = "9" * 20


@pytest.fixture
def screened_in(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    investigation.report.refresh_from_db()
    return investigation.report


def test_it_refuses_a_nul_in_an_amendment_on_the_page(cast, client_for, screened_in):
    page = reverse("intake_amend", args=[screened_in.public_id])
    response = client_for(cast.worker).post(page, {"field": "narrative", "value": f"A{NUL}B", "reason": "Typo"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_it_refuses_a_nul_in_an_amendment_through_the_api(cast, api_for, screened_in):
    url = reverse("api_intake_report_amend", args=[screened_in.public_id])
    body = {"field": "narrative", "value": f"A{NUL}B", "reason": "Typo"}
    response = api_for(cast.supervisor).post(url, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_REFUSED}


def test_it_refuses_a_nul_in_the_investigations_status_filter(cast, api_for):
    response = api_for(cast.supervisor).get(reverse("api_investigation_list"), {"status": f"open{NUL}"})
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_REFUSED}


def test_it_refuses_a_nul_in_the_staff_search(cast, api_for):
    response = api_for(cast.administrator).get(reverse("api_staff_list"), {"q": f"a{NUL}"})
    assert response.status_code == 400


def test_it_refuses_a_nul_in_the_audit_pages_path(cast, client_for):
    response = client_for(cast.auditor).get("/audit/accounts.user/a%00b/")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("url_name", ["supervisor_dashboard", "api_dashboard"])
def test_it_refuses_a_month_before_anyone_on_a_record_was_born(cast, client_for, url_name):
    response = client_for(cast.supervisor).get(reverse(url_name), {"month": "0001-01"})
    assert response.status_code == 400
    assert "Choose a month from" in response.content.decode()


@pytest.mark.parametrize("url_name", ["supervisor_dashboard", "api_dashboard"])
def test_it_gives_the_last_page_for_an_absurd_page_number(cast, client_for, url_name):
    response = client_for(cast.supervisor).get(reverse(url_name), {"page": TWENTY_DIGITS})
    assert response.status_code == 200


def test_the_dashboard_api_answers_the_last_page_for_an_absurd_page_number(cast, api_for):
    body = api_for(cast.supervisor).get(reverse("api_dashboard"), {"page": TWENTY_DIGITS}).json()
    assert body["page"] == body["pages"]


def test_the_audit_page_refuses_a_date_in_the_year_9999(cast, client_for):
    response = client_for(cast.auditor).get(reverse("audit_list"), {"until": "9999-12-31"})
    assert response.status_code == 400
    assert "Choose a date from" in response.content.decode()


def test_the_audit_api_refuses_a_date_in_the_year_9999(cast, api_for):
    response = api_for(cast.auditor).get(reverse("api_audit_events"), {"until": "9999-12-31"})
    assert response.status_code == 400
    assert list(response.json()) == ["until"] and response.json()["until"][0].startswith("Choose a date from")


def test_the_staff_search_is_capped_in_length_and_words(cast, api_for, client_for):
    api = api_for(cast.administrator)
    long = api.get(reverse("api_staff_list"), {"q": "a" * 201})
    assert long.status_code == 400 and "200 characters" in long.content.decode()
    wordy = api.get(reverse("api_staff_list"), {"q": " ".join("a" * 11)})
    assert wordy.status_code == 400 and "10 words" in wordy.content.decode()
    page = client_for(cast.administrator).get(reverse("staff_list"), {"q": " ".join("a" * 11)})
    assert page.status_code == 400 and "at most 10 words" in page.content.decode()
