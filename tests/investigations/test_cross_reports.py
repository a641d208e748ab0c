"""A cross-report to law enforcement: recorded on its page and the API, audited, listed on the investigation page
with whether it was required and when it is due; refused in the future or before the report was received."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from investigations.models import CrossReport, Investigation
from investigations.services.contacts import cross_report_record
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides) -> dict:
    return {
        "agency": "County Sheriff's Office",
        "reported_at": local_input(timezone.now() - timedelta(minutes=30)),
        "method": "phone",
        "officer_name": "Deputy Sam Okafor",
        "officer_report_number": "SO-24-1182",
        **overrides,
    }


def record(cast, investigation, **overrides):
    values = {
        "agency": "City Police Department",
        "reported_at": timezone.now() - timedelta(minutes=10),
        "method": "electronic",
        "officer_name": "Officer Lee Marsh",
        **overrides,
    }
    return cross_report_record(actor=cast.worker, investigation=investigation, **values)


def test_the_worker_records_one_and_it_is_listed_and_audited(cast, client_for, investigation):
    client = client_for(cast.worker)
    response = client.post(reverse("investigation_cross_report_create", args=[investigation.public_id]), form_data())
    assert response.status_code == 302
    cross_report = CrossReport.objects.get()
    assert (cross_report.agency, cross_report.method, cross_report.officer_report_number) == (
        "County Sheriff's Office",
        "phone",
        "SO-24-1182",
    )
    assert cross_report.recorded_by == cast.worker
    event = AuditEvent.objects.get(action="investigations.cross_report.recorded")
    assert event.target_id == str(investigation.public_id)
    page = client.get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()
    assert "County Sheriff&#x27;s Office" in page and "Deputy Sam Okafor" in page and "SO-24-1182" in page
    assert "Not required for this report" in page


def test_the_page_says_when_it_is_required_and_due(cast, client_for, investigation):
    due = timezone.now() + timedelta(hours=20)
    Investigation.objects.filter(pk=investigation.pk).update(cross_report_due_at=due)
    page = client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id]))
    html = page.content.decode()
    assert "Required for this report" in html and timezone.localtime(due).strftime("%Y-%m-%dT%H:%M") in html


def test_one_in_the_future_is_refused(cast, client_for, investigation):
    url = reverse("investigation_cross_report_create", args=[investigation.public_id])
    response = client_for(cast.worker).post(
        url, form_data(reported_at=local_input(timezone.now() + timedelta(hours=2)))
    )
    assert response.status_code == 200
    assert "A cross-report cannot be in the future." in response.content.decode()
    assert "Deputy Sam Okafor" in response.content.decode()
    assert not CrossReport.objects.exists()


def test_one_before_the_report_was_received_is_refused(cast, investigation):
    before = investigation.report.received_at - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="before the report was received"):
        record(cast, investigation, reported_at=before)
    assert not CrossReport.objects.exists()


def test_a_closed_investigation_takes_none(cast, investigation):
    Investigation.objects.filter(pk=investigation.pk).update(status="closed")
    with pytest.raises(ValidationError, match="This investigation is closed"):
        record(cast, investigation)


def test_the_api_records_and_lists_them(cast, api_for, investigation):
    api = api_for(cast.worker)
    url = reverse("api_investigation_cross_reports", args=[investigation.public_id])
    body = {
        "agency": "State Police",
        "reported_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "method": "in_person",
        "officer_name": "Trooper Jo Vance",
    }
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["officer_name"] == "Trooper Jo Vance"
    assert response.json()["investigation"] == str(investigation.public_id)
    assert [row["agency"] for row in api.get(url).json()["results"]] == ["State Police"]


def test_the_api_refuses_bad_input_with_field_errors(cast, api_for, investigation):
    url = reverse("api_investigation_cross_reports", args=[investigation.public_id])
    body = {"agency": "", "reported_at": (timezone.now() + timedelta(days=1)).isoformat(), "method": "pigeon"}
    response = api_for(cast.worker).post(url, body, format="json")
    assert response.status_code == 400
    assert {"agency", "method", "officer_name"} <= set(response.json())
    future = {**body, "agency": "State Police", "method": "phone", "officer_name": "Trooper Jo Vance"}
    response = api_for(cast.worker).post(url, future, format="json")
    assert response.status_code == 400 and "reported_at" in response.json()
    assert not CrossReport.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("program_manager", 403), ("auditor", 403), ("other_worker", 404)])
def test_only_the_investigator_records_one(cast, api_for, investigation, who, status):
    url = reverse("api_investigation_cross_reports", args=[investigation.public_id])
    body = {"agency": "State Police", "reported_at": timezone.now().isoformat(), "method": "phone", "officer_name": "X"}
    assert api_for(getattr(cast, who)).post(url, body, format="json").status_code == status
