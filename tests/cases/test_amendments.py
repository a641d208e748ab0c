"""Once the decision is final, a report changes only by amendment: the old value stays on record, with who and why."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases import services
from cases.models import ReportAmendment
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def amend(cast, report, field, value, reason="Corrected after a call with the school", actor=None):
    return services.report_amend(actor=actor or cast.screener, report=report, field=field, value=value, reason=reason)


def test_an_amendment_keeps_the_old_value_with_who_and_why(cast, screened_in):
    old = screened_in.narrative
    amendment = amend(cast, screened_in, "narrative", "The children arrive hungry; one has no shoes.")
    screened_in.refresh_from_db()
    assert screened_in.narrative == "The children arrive hungry; one has no shoes."
    assert (amendment.old_value, amendment.new_value) == (old, screened_in.narrative)
    assert (amendment.by, amendment.reason) == (cast.screener, "Corrected after a call with the school")
    event = AuditEvent.objects.get(action="cases.intakereport.amended", target_id=str(screened_in.public_id))
    assert event.changes == {"field": "narrative", "reason_given": True} and event.reason == ""
    assert old not in str(event.changes)


def test_an_open_report_is_edited_not_amended(cast, report):
    with pytest.raises(ValidationError, match="edit it directly"):
        amend(cast, report, "narrative", "New")


def test_a_screen_out_awaiting_approval_is_returned_not_amended(cast, report):
    services.report_screen_out(actor=cast.screener, report=report, reason="duplicate")
    with pytest.raises(ValidationError, match="return the report"):
        amend(cast, report, "narrative", "New")


def test_a_screened_out_report_is_amended(cast, report):
    services.report_screen_out(actor=cast.screener, report=report, reason="duplicate")
    services.report_approve_screen_out(actor=cast.supervisor, report=report)
    amend(cast, report, "children_location", "With their aunt on Birch Road")
    report.refresh_from_db()
    assert report.children_location == "With their aunt on Birch Road"


def test_the_received_time_and_the_restriction_are_not_amended(cast, screened_in):
    for field in ("received_at", "access_restriction", "status", "decision"):
        with pytest.raises(ValidationError) as excinfo:
            amend(cast, screened_in, field, "x")
        assert "field" in excinfo.value.message_dict
    assert not ReportAmendment.objects.exists()


def test_an_amendment_needs_a_reason_and_a_different_value(cast, screened_in):
    with pytest.raises(ValidationError) as excinfo:
        amend(cast, screened_in, "narrative", "New", reason=" ")
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        amend(cast, screened_in, "narrative", screened_in.narrative)
    assert "value" in excinfo.value.message_dict


def test_amended_values_are_read_as_the_field_stores_them(cast, screened_in):
    amend(cast, screened_in, "incident_date", timezone.localdate(screened_in.received_at).isoformat())
    amend(cast, screened_in, "reporter_mandated", "yes")
    amend(cast, screened_in, "safety_alerts", "firearms, dangerous_animal")
    screened_in.refresh_from_db()
    assert isinstance(screened_in.incident_date, date)
    assert screened_in.reporter_mandated is True
    assert screened_in.safety_alerts == ["firearms", "dangerous_animal"]
    assert screened_in.amendments.get(field="reporter_mandated").new_value == "yes"


def test_an_amendment_obeys_the_reports_rules(cast, screened_in):
    later = timezone.localdate(screened_in.received_at) + timedelta(days=2)
    for field, value in (
        ("incident_date", later.isoformat()),
        ("incident_date", "next tuesday"),
        ("reporter_mandated", "perhaps"),
        ("safety_alerts", "lightning"),
        ("reporter_email", "not an address"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            amend(cast, screened_in, field, value)
        assert set(excinfo.value.message_dict) == {"value"}, field
    screened_in.refresh_from_db()
    assert screened_in.incident_date is None
    assert not ReportAmendment.objects.exists()


def test_the_assigned_worker_amends_the_report_and_a_reader_does_not(cast, screened_in):
    amend(cast, screened_in, "incident_address", "44 Larch Avenue", actor=cast.worker)
    screened_in.refresh_from_db()
    assert screened_in.incident_address == "44 Larch Avenue"
    with pytest.raises(PermissionDenied):
        amend(cast, screened_in, "incident_address", "1 Main Street", actor=cast.program_manager)


def test_the_amendment_page_records_it_and_the_report_shows_it(cast, client_for, screened_in):
    client = client_for(cast.worker)
    page = reverse("intake_amend", args=[screened_in.public_id])
    assert 'data-draft-key="intake:' in client.get(page).content.decode()
    refused = client.post(page, {"field": "incident_address", "value": "12 Oak Lane", "reason": ""})
    assert refused.status_code == 200
    assert "12 Oak Lane" in refused.content.decode()
    response = client.post(page, {"field": "incident_address", "value": "12 Oak Lane", "reason": "Wrong house number"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Wrong house number" in html and "12 Oak Lane" in html
    assert "data-draft-saved" in html


def test_the_amendment_page_is_for_those_who_may_change_the_report(cast, client_for, screened_in):
    page = reverse("intake_amend", args=[screened_in.public_id])
    assert client_for(cast.auditor).get(page).status_code == 403
    assert client_for(cast.program_manager).get(page).status_code == 403
    assert client_for(cast.other_supervisor).get(page).status_code == 404
    assert client_for(cast.administrator).get(page).status_code == 404


def test_the_amendment_page_on_an_open_report_sends_you_to_edit(cast, client_for):
    report = make_report(cast.screener)
    html = client_for(cast.screener).get(reverse("intake_amend", args=[report.public_id])).content.decode()
    assert reverse("intake_edit_section", args=[report.public_id, "report"]) in html


def test_an_amendment_through_the_api(cast, api_for, screened_in):
    url = reverse("api_intake_report_amend", args=[screened_in.public_id])
    api = api_for(cast.supervisor)
    refused = api.post(url, {"field": "incident_date", "value": "soon", "reason": "x"}, format="json")
    assert refused.status_code == 400 and "value" in refused.json()
    body = api.post(url, {"field": "reporter_wants_feedback", "value": True, "reason": "Asked"}, format="json").json()
    assert "reporter_wants_feedback" not in body
    assert body["amendments"] == []
    screened_in.refresh_from_db()
    assert screened_in.reporter_wants_feedback is True
    detail = api.get(reverse("api_intake_report_detail", args=[screened_in.public_id])).json()
    assert [a["field"] for a in detail["amendments"]] == ["reporter_wants_feedback"]
