"""The screening decision: screen in with a deadline and an investigation, or screen out with approval."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from cases import services
from cases.choices import Decision, ReportStatus
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from tests.conftest import wait_for
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def moves(report) -> list[tuple[str, str]]:
    return list(report.transitions.values_list("from_status", "to_status"))


def screened_in(cast, priority="3_days", **fields):
    report = make_report(cast.screener, **fields)
    return services.report_screen_in(actor=cast.screener, report=report, response_priority=priority)


def test_a_screen_out_waits_for_the_supervisor_and_becomes_final_on_approval(cast):
    report = make_report(cast.screener)
    services.report_submit(actor=cast.screener, report=report)
    services.report_screen_out(
        actor=cast.screener, report=report, reason="insufficient_information", notes="No address"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_APPROVAL
    assert report.decision == Decision.SCREEN_OUT
    assert Notification.objects.filter(recipient=cast.supervisor, link__contains=str(report.public_id)).count() == 1

    services.report_approve_screen_out(actor=cast.supervisor, report=report, comment="Agreed")
    report.refresh_from_db()
    assert report.status == ReportStatus.SCREENED_OUT
    assert report.approved_by == cast.supervisor
    assert moves(report) == [
        ("draft", "awaiting_decision"),
        ("awaiting_decision", "awaiting_approval"),
        ("awaiting_approval", "screened_out"),
    ]
    assert [t.by for t in report.transitions.all()] == [cast.screener, cast.screener, cast.supervisor]
    assert not Investigation.objects.filter(report=report).exists()


def test_only_the_units_supervisor_approves_a_screen_out(cast):
    report = make_report(cast.screener)
    services.report_screen_out(actor=cast.screener, report=report, reason="duplicate")
    for outsider in (cast.screener, cast.other_supervisor, cast.program_manager, cast.worker):
        with pytest.raises(PermissionDenied):
            services.report_approve_screen_out(actor=outsider, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_APPROVAL


def test_a_returned_report_is_edited_and_decided_again(cast):
    report = make_report(cast.screener)
    services.report_screen_out(actor=cast.screener, report=report, reason="no_maltreatment")
    with pytest.raises(ValidationError) as excinfo:
        services.report_return(actor=cast.supervisor, report=report, comment="  ")
    assert "comment" in excinfo.value.message_dict

    services.report_return(actor=cast.supervisor, report=report, comment="The school nurse saw bruises; call her.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.decision == Decision.NONE
    assert report.return_comment == "The school nurse saw bruises; call her."
    assert Notification.objects.filter(recipient=cast.screener, message__contains="returned").count() == 1

    services.report_update(actor=cast.screener, report=report, narrative="Nurse confirms bruises on both arms.")
    services.report_screen_in(actor=cast.screener, report=report, response_priority="immediate")
    report.refresh_from_db()
    assert report.status == ReportStatus.SCREENED_IN
    assert report.return_comment == ""
    assert moves(report) == [
        ("draft", "awaiting_approval"),
        ("awaiting_approval", "returned"),
        ("returned", "screened_in"),
    ]
    assert report.transitions.get(to_status="returned").comment == "The school nurse saw bruises; call her."


def test_a_screen_in_sets_the_deadline_from_the_settings(cast, settings):
    settings.KINDRED_RESPONSE_HOURS = {**settings.KINDRED_RESPONSE_HOURS, "immediate": 12}
    report = screened_in(cast, priority="immediate")
    assert report.first_contact_due_at == report.received_at + timedelta(hours=12)
    report = screened_in(cast, priority="10_days")
    assert report.first_contact_due_at == report.received_at + timedelta(
        hours=settings.KINDRED_RESPONSE_HOURS["10_days"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_screen_in_opens_an_investigation_and_tells_the_supervisor_once(role_groups, cast, mailoutbox, celery_worker):
    report = make_report(cast.screener)
    with celery_worker():
        services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
        wait_for(lambda: len(mailoutbox) == 1)
    report.refresh_from_db()
    investigation = Investigation.objects.get(report=report)
    assert investigation.status == InvestigationStatus.AWAITING_ASSIGNMENT
    assert investigation.assigned_worker is None
    assert investigation.unit == cast.unit
    assert investigation.response_due_at == report.first_contact_due_at
    notes = Notification.objects.filter(recipient=cast.supervisor)
    assert notes.count() == 1
    assert investigation.reference in notes.get().message
    assert [mail.to for mail in mailoutbox] == [[cast.supervisor.email]]
    assert report.reporter_name not in mailoutbox[0].body
    assert moves(report) == [("draft", "screened_in")]
    assert AuditEvent.objects.filter(action="cases.intakereport.screened_in", target_id=str(report.public_id)).exists()


def test_a_report_in_the_wrong_state_refuses_the_move(cast):
    draft = make_report(cast.screener)
    with pytest.raises(ValidationError, match="cannot be approved for screen-out"):
        services.report_approve_screen_out(actor=cast.supervisor, report=draft)
    services.report_submit(actor=cast.screener, report=draft)
    with pytest.raises(ValidationError, match="cannot be submitted"):
        services.report_submit(actor=cast.screener, report=draft)
    final = screened_in(cast)
    with pytest.raises(ValidationError, match="cannot be screened in"):
        services.report_screen_in(actor=cast.screener, report=final, response_priority="immediate")
    with pytest.raises(ValidationError, match="cannot be screened out"):
        services.report_screen_out(actor=cast.screener, report=final, reason="duplicate")
    with pytest.raises(ValidationError, match="cannot be returned"):
        services.report_return(actor=cast.supervisor, report=final, comment="Look again")
    assert Investigation.objects.filter(report=final).count() == 1
    assert moves(final) == [("draft", "screened_in")]


def test_only_intake_screeners_decide(cast):
    report = make_report(cast.screener)
    with pytest.raises(PermissionDenied):
        services.report_screen_in(actor=cast.supervisor, report=report, response_priority="3_days")
    with pytest.raises(PermissionDenied):
        services.report_screen_out(actor=cast.supervisor, report=report, reason="duplicate")


def test_an_upgrade_applies_at_once(cast):
    report = screened_in(cast, priority="5_days")
    services.report_change_priority(
        actor=cast.screener, report=report, response_priority="immediate", reason="Child alone at home"
    )
    report.refresh_from_db()
    assert report.response_priority == "immediate"
    assert report.first_contact_due_at == services.response_due(report.received_at, "immediate")
    assert Investigation.objects.get(report=report).response_due_at == report.first_contact_due_at
    event = AuditEvent.objects.get(action="cases.intakereport.priority_changed")
    assert event.reason == "" and event.changes["reason_given"]


def test_a_downgrade_waits_for_the_supervisors_approval(cast):
    report = screened_in(cast, priority="immediate")
    due = report.first_contact_due_at
    services.report_change_priority(
        actor=cast.screener, report=report, response_priority="5_days", reason="Child is with grandmother"
    )
    report.refresh_from_db()
    assert (report.response_priority, report.requested_priority) == ("immediate", "5_days")
    assert report.first_contact_due_at == due
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="lower response priority").exists()

    with pytest.raises(PermissionDenied):
        services.report_decide_downgrade(actor=cast.screener, report=report, approve=True)
    services.report_decide_downgrade(actor=cast.supervisor, report=report, approve=True)
    report.refresh_from_db()
    assert (report.response_priority, report.requested_priority) == ("5_days", "")
    assert report.first_contact_due_at == services.response_due(report.received_at, "5_days")
    assert Investigation.objects.get(report=report).response_due_at == report.first_contact_due_at


def test_a_supervisor_may_refuse_a_downgrade(cast):
    report = screened_in(cast, priority="3_days")
    services.report_change_priority(actor=cast.screener, report=report, response_priority="10_days", reason="Calmer")
    services.report_decide_downgrade(actor=cast.supervisor, report=report, approve=False, comment="Not without a visit")
    report.refresh_from_db()
    assert (report.response_priority, report.requested_priority) == ("3_days", "")
    refused = AuditEvent.objects.get(action="cases.intakereport.downgrade_refused")
    assert refused.reason == "" and refused.changes["reason_given"]


def test_a_downgrade_is_refused_once_the_deadline_has_passed(cast, monkeypatch):
    late = screened_in(cast, priority="immediate", received_at=timezone.now() - timedelta(hours=30))
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.report_change_priority(actor=cast.screener, report=late, response_priority="5_days", reason="Calm")

    report = screened_in(cast, priority="immediate")
    services.report_change_priority(actor=cast.screener, report=report, response_priority="5_days", reason="Calm")
    after_deadline = report.first_contact_due_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_deadline)
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.report_decide_downgrade(actor=cast.supervisor, report=report, approve=True)
    report.refresh_from_db()
    assert report.response_priority == "immediate"


def test_a_priority_change_needs_a_reason_and_a_different_priority(cast):
    report = screened_in(cast, priority="3_days")
    with pytest.raises(ValidationError) as excinfo:
        services.report_change_priority(actor=cast.screener, report=report, response_priority="3_days", reason="x")
    assert "response_priority" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.report_change_priority(actor=cast.screener, report=report, response_priority="immediate", reason="")
    assert "reason" in excinfo.value.message_dict
