"""Findings per allegation: recorded while in progress, the disposition derived from them, submitted
together, approved or returned by the unit's supervisor, reopened by the worker; every move allowed and
refused from each status."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import AuditEvent, Notification
from cases import services as intake
from investigations.choices import Finding, InvestigationStatus
from investigations.models import Investigation
from investigations.selectors.findings import disposition_of, open_allegations
from investigations.services.assignment import investigation_assign
from investigations.services.closure import (
    investigation_approve_closure,
    investigation_request_closure,
    investigation_return_closure,
)
from investigations.services.findings import (
    FindingEntry,
    investigation_approve_findings,
    investigation_record_findings,
    investigation_reopen_findings,
    investigation_return_findings,
    investigation_submit_findings,
)
from records.workflow import transition
from tests.factories import make_investigation, make_report
from tests.investigations.closing import approved, closure_requested, complete, entries, started, submitted

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


ACTIONS = {
    "record_findings": lambda cast, i: investigation_record_findings(
        actor=cast.worker, investigation=i, entries=entries(i)
    ),
    "submit_findings": lambda cast, i: investigation_submit_findings(actor=cast.worker, investigation=i),
    "approve_findings": lambda cast, i: investigation_approve_findings(actor=cast.supervisor, investigation=i),
    "return_findings": lambda cast, i: investigation_return_findings(
        actor=cast.supervisor, investigation=i, comment="Explain the second finding."
    ),
    "reopen_findings": lambda cast, i: investigation_reopen_findings(
        actor=cast.worker, investigation=i, reason="The school sent new records."
    ),
    "request_closure": lambda cast, i: investigation_request_closure(
        actor=cast.worker, investigation=i, outcome="no_services"
    ),
    "approve_closure": lambda cast, i: investigation_approve_closure(actor=cast.supervisor, investigation=i),
    "return_closure": lambda cast, i: investigation_return_closure(
        actor=cast.supervisor, investigation=i, comment="Add the school's view."
    ),
}


def _recorded(cast):
    investigation = started(cast)
    investigation_record_findings(actor=cast.worker, investigation=investigation, entries=entries(investigation))
    return investigation


def _closed(cast):
    return investigation_approve_closure(actor=cast.supervisor, investigation=closure_requested(cast))


# Each status, reached through the real services, and the moves allowed from it (findings recorded where
# the investigation is in progress, so that submitting is refused only by the status).
STAGES = {
    InvestigationStatus.ASSIGNED: (lambda cast: make_investigation(cast.screener, worker=cast.worker), set()),
    InvestigationStatus.IN_PROGRESS: (_recorded, {"record_findings", "submit_findings"}),
    InvestigationStatus.FINDINGS_SUBMITTED: (submitted, {"approve_findings", "return_findings"}),
    InvestigationStatus.FINDINGS_APPROVED: (
        lambda cast: complete(cast, approved(cast)),
        {"reopen_findings", "request_closure"},
    ),
    InvestigationStatus.CLOSURE_REQUESTED: (closure_requested, {"approve_closure", "return_closure"}),
    InvestigationStatus.CLOSED: (_closed, set()),
}


def _allowed(action, cast, investigation) -> bool:
    try:
        with transaction.atomic():
            ACTIONS[action](cast, investigation)
            raise Rollback
    except Rollback:
        return True
    except ValidationError:
        return False


@pytest.mark.parametrize("status", list(STAGES))
def test_it_allows_each_move_only_from_its_statuses(cast, status):
    make, allowed = STAGES[status]
    investigation = make(cast)
    assert investigation.status == status
    answers = {action: _allowed(action, cast, investigation) for action in ACTIONS}
    assert {action for action, ok in answers.items() if ok} == allowed


def test_a_refused_move_names_the_status(cast):
    investigation = submitted(cast)
    with pytest.raises(ValidationError) as refused:
        investigation_submit_findings(actor=cast.worker, investigation=investigation)
    assert "findings submitted cannot be submitted for approval" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("findings", "disposition"),
    [
        ((Finding.UNSUBSTANTIATED, Finding.SUBSTANTIATED), Finding.SUBSTANTIATED),
        ((Finding.UNSUBSTANTIATED, Finding.INDICATED), Finding.INDICATED),
        ((Finding.CLOSED_WITHOUT_FINDING, Finding.UNABLE_TO_DETERMINE), Finding.UNABLE_TO_DETERMINE),
        ((Finding.UNSUBSTANTIATED, Finding.CLOSED_WITHOUT_FINDING), Finding.UNSUBSTANTIATED),
        ((Finding.CLOSED_WITHOUT_FINDING, Finding.CLOSED_WITHOUT_FINDING), Finding.CLOSED_WITHOUT_FINDING),
    ],
)
def test_the_disposition_is_the_most_serious_finding(cast, findings, disposition):
    investigation = started(cast, children=2)
    investigation = investigation_record_findings(
        actor=cast.worker, investigation=investigation, entries=entries(investigation, *findings)
    )
    investigation.refresh_from_db()
    assert investigation.disposition == disposition
    assert disposition_of(list(findings)) == disposition


def test_the_disposition_follows_a_changed_finding(cast):
    investigation = started(cast, children=2)
    first, second = entries(investigation, Finding.SUBSTANTIATED, Finding.UNSUBSTANTIATED)
    investigation_record_findings(actor=cast.worker, investigation=investigation, entries=[first, second])
    changed = FindingEntry(first.allegation, Finding.UNSUBSTANTIATED, first.found_on, "A second look showed none.")
    investigation = investigation_record_findings(actor=cast.worker, investigation=investigation, entries=[changed])
    assert investigation.disposition == Finding.UNSUBSTANTIATED
    assert AuditEvent.objects.filter(action="investigations.findings.recorded").count() == 2


def test_a_withdrawn_allegation_needs_no_finding(cast):
    report = make_report(cast.screener, children=2)
    withdrawn, standing = report.allegations.order_by("id")
    intake.allegation_withdraw(actor=cast.screener, allegation=withdrawn, reason="Entered twice.")
    intake.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    investigation = investigation_assign(
        actor=cast.supervisor, investigation=Investigation.objects.get(report=report), worker=cast.worker
    )
    with transaction.atomic():
        transition(investigation, "start", actor=cast.worker)
    assert list(open_allegations(investigation)) == [standing]
    investigation_record_findings(actor=cast.worker, investigation=investigation, entries=entries(investigation))
    investigation = investigation_submit_findings(actor=cast.worker, investigation=investigation)
    assert investigation.status == InvestigationStatus.FINDINGS_SUBMITTED


def test_a_finding_needs_its_rationale_and_a_date(cast):
    investigation = started(cast)
    [entry] = entries(investigation)
    blank = FindingEntry(entry.allegation, "", None, "  ")
    with pytest.raises(ValidationError) as refused:
        investigation_record_findings(actor=cast.worker, investigation=investigation, entries=[blank])
    victim = entry.allegation.victim.full_name
    assert refused.value.message_dict["findings"] == [
        f"{victim}: choose a finding.",
        f"{victim}: say when it was found.",
        f"{victim}: give the rationale for the finding.",
    ]


def test_submitting_names_each_allegation_without_a_finding(cast):
    investigation = started(cast, children=3)
    first, *rest = entries(investigation)
    investigation_record_findings(actor=cast.worker, investigation=investigation, entries=[first])
    with pytest.raises(ValidationError) as refused:
        investigation_submit_findings(actor=cast.worker, investigation=investigation)
    message = refused.value.messages[0]
    assert first.allegation.victim.full_name not in message
    for entry in rest:
        assert f"Neglect of {entry.allegation.victim.full_name}" in message
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.IN_PROGRESS


def test_submitting_tells_the_supervisor(cast):
    investigation = submitted(cast)
    assert investigation.findings_submitted_at is not None
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="findings await").exists()


def test_the_supervisor_approves_and_the_worker_is_told(cast):
    investigation = investigation_approve_findings(actor=cast.supervisor, investigation=submitted(cast))
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.FINDINGS_APPROVED
    assert investigation.findings_approved_by == cast.supervisor
    assert investigation.findings_approved_at is not None
    assert Notification.objects.filter(recipient=cast.worker, message__contains="were approved").exists()
    assert investigation.transitions.last().by == cast.supervisor


def test_the_worker_may_not_approve_their_own_findings(cast):
    investigation = submitted(cast)
    with pytest.raises(PermissionDenied):
        investigation_approve_findings(actor=cast.worker, investigation=investigation)
    with pytest.raises(PermissionDenied):
        investigation_return_findings(actor=cast.worker, investigation=investigation, comment="No.")


def test_another_units_supervisor_may_not_decide(cast):
    investigation = submitted(cast)
    with pytest.raises(PermissionDenied):
        investigation_approve_findings(actor=cast.other_supervisor, investigation=investigation)


def test_returning_needs_a_comment_which_the_worker_reads(cast, client_for):
    investigation = submitted(cast)
    with pytest.raises(ValidationError) as refused:
        investigation_return_findings(actor=cast.supervisor, investigation=investigation, comment="  ")
    assert "comment" in refused.value.message_dict
    investigation_return_findings(
        actor=cast.supervisor, investigation=investigation, comment="Say what the doctor found."
    )
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.IN_PROGRESS
    assert investigation.return_comment == "Say what the doctor found."
    assert Notification.objects.filter(recipient=cast.worker, message__contains="Say what the doctor found.").exists()
    page = client_for(cast.worker).get(f"/investigations/{investigation.public_id}/").content.decode()
    assert "Say what the doctor found." in page


def test_a_resubmission_clears_the_returned_comment(cast):
    investigation = submitted(cast)
    investigation_return_findings(actor=cast.supervisor, investigation=investigation, comment="Add a date.")
    investigation = investigation_submit_findings(actor=cast.worker, investigation=investigation)
    investigation.refresh_from_db()
    assert investigation.return_comment == ""


def test_reopening_needs_a_reason_and_undoes_the_approval(cast):
    investigation = approved(cast)
    with pytest.raises(ValidationError):
        investigation_reopen_findings(actor=cast.worker, investigation=investigation, reason="")
    investigation_reopen_findings(actor=cast.worker, investigation=investigation, reason="New medical records.")
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.IN_PROGRESS
    assert investigation.findings_approved_at is None and investigation.findings_approved_by is None
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="New medical records.").exists()


def test_findings_are_refused_to_those_who_may_not_change_the_investigation(cast):
    investigation = started(cast)
    for outsider in (cast.auditor, cast.program_manager, cast.other_worker):
        with pytest.raises(PermissionDenied):
            investigation_record_findings(actor=outsider, investigation=investigation, entries=entries(investigation))
