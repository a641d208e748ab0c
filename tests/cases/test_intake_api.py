"""The intake API follows the pages' rules: the same services, the same access policy, the same errors."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.choices import ReportStatus
from cases.models import IntakeReport
from investigations.models import Investigation
from tests.api_helpers import no_internal_ids
from tests.factories import make_person, make_report

pytestmark = pytest.mark.django_db


def api_url(name: str, obj=None) -> str:
    return reverse(f"api_intake_{name}", args=[obj.public_id] if obj is not None else [])


def action(report, name: str) -> str:
    """The URL of a report's action, named as in its path (screen-in -> api_intake_report_screen_in)."""
    return api_url(f"report_{name.replace('-', '_')}", report)


def test_the_queue_lists_open_reports_and_filters_by_status(cast, api_for):
    draft, submitted = make_report(cast.screener), make_report(cast.screener)
    api = api_for(cast.screener)
    api.post(action(submitted, "submit"))
    body = api.get(api_url("report_list")).json()
    assert {row["id"] for row in body["results"]} == {str(draft.public_id), str(submitted.public_id)}
    assert no_internal_ids(body)
    waiting = api.get(api_url("report_list"), {"status": "awaiting_decision"}).json()
    assert [row["id"] for row in waiting["results"]] == [str(submitted.public_id)]
    assert api.get(api_url("report_list"), {"status": "bogus"}).status_code == 400


def test_the_queue_costs_the_same_queries_for_2_and_12_reports(cast, api_for):
    api = api_for(cast.supervisor)
    for _ in range(2):
        api_for(cast.screener).post(action(make_report(cast.screener), "submit"))
    api.get(api_url("report_list"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(api_url("report_list")).status_code == 200
        return len(captured)

    with_two = queries()
    for _ in range(10):
        make_report(cast.screener)
    assert api.get(api_url("report_list")).json()["count"] == 12
    assert queries() == with_two


def test_the_queue_is_for_intake_roles_only(cast, api_for):
    assert api_for(cast.worker).get(api_url("report_list")).status_code == 403
    assert api_for(cast.administrator).get(api_url("report_list")).status_code == 403
    assert api_for(cast.auditor).get(api_url("report_list")).status_code == 200


def test_a_screener_creates_a_draft(cast, api_for):
    received = timezone.now() - timedelta(minutes=5)
    response = api_for(cast.screener).post(
        api_url("report_list"),
        {"received_at": received.isoformat(), "method": "phone", "reporter_name": "Odalys Fenwick"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    report = IntakeReport.objects.get(public_id=body["id"])
    assert body["status"] == ReportStatus.DRAFT
    assert body["reporter_name"] == "Odalys Fenwick"
    assert report.created_by == cast.screener
    assert no_internal_ids(body)


def test_only_screeners_create_drafts(cast, api_for):
    for user in (cast.worker, cast.supervisor, cast.program_manager):
        assert api_for(user).post(api_url("report_list"), {"method": "phone"}, format="json").status_code == 403
    assert not IntakeReport.objects.exists()


def test_reading_a_report_is_audited(cast, api_for, report):
    response = api_for(cast.program_manager).get(api_url("report_detail", report))
    assert response.status_code == 200
    assert response.json()["id"] == str(report.public_id)
    assert AuditEvent.objects.filter(
        action="cases.intakereport.viewed", actor=cast.program_manager, target_id=str(report.public_id)
    ).exists()


def test_a_draft_is_updated_with_patch(cast, api_for, report):
    response = api_for(cast.screener).patch(
        api_url("report_detail", report),
        {"narrative": "Updated by phone follow-up.", "safety_alerts": ["hostile_client"]},
        format="json",
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.narrative == "Updated by phone follow-up."
    assert report.safety_alerts == ["hostile_client"]


def test_a_refused_patch_answers_with_field_errors_and_saves_nothing(cast, api_for, report):
    before = report.narrative
    response = api_for(cast.screener).patch(
        api_url("report_detail", report),
        {
            "narrative": "Half of this must not be saved.",
            "received_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "access_restriction": "sensitive",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["received_at"] == ["The report cannot have been received in the future."]
    assert errors["restriction_reason"] == ["Say why access to this report is restricted."]
    report.refresh_from_db()
    assert report.narrative == before
    assert report.access_restriction == "none"


def test_a_shape_error_is_a_400_too(cast, api_for, report):
    response = api_for(cast.screener).patch(
        api_url("report_detail", report), {"safety_alerts": ["lightning"], "method": "pigeon"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"safety_alerts", "method"}


def test_the_screen_out_flow_through_the_api(cast, api_for, report):
    screener, supervisor = api_for(cast.screener), api_for(cast.supervisor)
    assert screener.post(action(report, "submit")).json()["status"] == ReportStatus.AWAITING_DECISION
    refused = screener.post(action(report, "screen-out"), {"screen_out_reason": "other"}, format="json")
    assert refused.status_code == 400
    assert "decision_notes" in refused.json()
    body = screener.post(
        action(report, "screen-out"), {"screen_out_reason": "community_services"}, format="json"
    ).json()
    assert body["status"] == ReportStatus.AWAITING_APPROVAL
    assert "reporter_name" not in body
    assert screener.post(action(report, "approve-screen-out"), {}, format="json").status_code == 403
    returned = supervisor.post(action(report, "return"), {"comment": "Check with the school"}, format="json")
    assert returned.json()["status"] == ReportStatus.RETURNED
    assert returned.json()["return_comment"] == "Check with the school"
    screener.post(action(report, "screen-out"), {"screen_out_reason": "duplicate"}, format="json")
    body = supervisor.post(action(report, "approve-screen-out"), {"comment": "Fine"}, format="json").json()
    assert body["status"] == ReportStatus.SCREENED_OUT
    assert [(t["from_status"], t["to_status"]) for t in body["transitions"]] == [
        ("draft", "awaiting_decision"),
        ("awaiting_decision", "awaiting_approval"),
        ("awaiting_approval", "returned"),
        ("returned", "awaiting_approval"),
        ("awaiting_approval", "screened_out"),
    ]


def test_a_screen_in_through_the_api_opens_the_investigation(cast, api_for, report):
    api = api_for(cast.screener)
    refused = api.post(action(report, "screen-in"), {"response_priority": "soon"}, format="json")
    assert refused.status_code == 400 and "response_priority" in refused.json()
    body = api.post(action(report, "screen-in"), {"response_priority": "immediate"}, format="json").json()
    investigation = Investigation.objects.get(report=report)
    assert body["status"] == ReportStatus.SCREENED_IN
    assert body["investigation"] == str(investigation.public_id)
    assert body["first_contact_due_at"] is not None
    again = api.post(action(report, "screen-in"), {"response_priority": "immediate"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["A report that is screened in cannot be screened in."]}


def test_a_screen_in_without_a_child_victim_is_a_400(cast, api_for):
    report = make_report(cast.screener, children=0)
    response = api_for(cast.screener).post(action(report, "screen-in"), {"response_priority": "3_days"}, format="json")
    assert response.status_code == 400
    assert "under 18" in response.json()["allegations"][0]


def test_priority_changes_through_the_api(cast, api_for, screened_in):
    worker, supervisor = api_for(cast.worker), api_for(cast.supervisor)
    body = worker.post(action(screened_in, "priority"), {"response_priority": "immediate", "reason": "Injury"}).json()
    assert body["response_priority"] == "immediate"
    body = worker.post(action(screened_in, "priority"), {"response_priority": "5_days", "reason": "Safe"}).json()
    assert (body["response_priority"], body["requested_priority"]) == ("immediate", "5_days")
    assert worker.post(action(screened_in, "decide-downgrade"), {"approve": True}).status_code == 403
    body = supervisor.post(action(screened_in, "decide-downgrade"), {"approve": True}, format="json").json()
    assert (body["response_priority"], body["requested_priority"]) == ("5_days", "")


def test_people_and_allegations_through_the_api(cast, api_for):
    report = make_report(cast.screener, children=0)
    child = make_person(cast.screener, age=3)
    api = api_for(cast.screener)
    added = api.post(
        action(report, "people"), {"person": str(child.public_id), "role": "alleged_victim"}, format="json"
    )
    assert added.status_code == 201
    assert added.json()["person"] == str(child.public_id)
    unknown = api.post(action(report, "people"), {"person": str(report.public_id), "role": "collateral"})
    assert unknown.status_code == 400 and "person" in unknown.json()
    allegation = api.post(
        action(report, "allegations"),
        {"victim": str(child.public_id), "perpetrator": None, "maltreatment_type": "neglect"},
        format="json",
    )
    assert allegation.status_code == 201
    body = allegation.json()
    assert body["perpetrator"] is None and body["victim"] == str(child.public_id)
    listed = api.get(action(report, "allegations")).json()
    assert [row["id"] for row in listed] == [body["id"]]
    assert no_internal_ids(listed)
    withdraw_url = reverse("api_intake_allegation_withdraw", args=[body["id"]])
    assert api.post(withdraw_url, {"reason": ""}, format="json").status_code == 400
    withdrawn = api.post(withdraw_url, {"reason": "Wrong child"}, format="json").json()
    assert withdrawn["withdrawal_reason"] == "Wrong child" and withdrawn["withdrawn_at"]


def test_denied_paths_through_the_api(cast, api_for, screened_in):
    detail = api_url("report_detail", screened_in)
    assert api_for(cast.other_worker).get(detail).status_code == 404
    assert api_for(cast.administrator).get(detail).status_code == 404
    assert api_for(cast.worker).get(detail).status_code == 200
    assert api_for(cast.program_manager).patch(detail, {"narrative": "x"}, format="json").status_code == 403
    assert api_for(cast.auditor).post(action(screened_in, "priority"), {"response_priority": "immediate",
                                                                        "reason": "x"}).status_code == 403  # fmt: skip
    assert api_for(cast.other_worker).post(action(screened_in, "amend"), {}).status_code == 404
    withdraw_url = reverse("api_intake_allegation_withdraw", args=[screened_in.allegations.get().public_id])
    assert api_for(cast.other_worker).post(withdraw_url, {"reason": "x"}).status_code == 404
    assert api_for(cast.screener).patch(detail, {"narrative": "x"}, format="json").status_code == 400
    assert api_for(cast.worker).post(action(screened_in, "screen-out"), {}).status_code == 403


def test_anonymous_callers_are_refused(client, report):
    assert client.get(api_url("report_detail", report)).status_code == 403
    assert client.get(api_url("report_list")).status_code == 403
