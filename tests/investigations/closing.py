"""Investigations brought to each stage of their findings and closure, for the findings and closure tests.

The first face-to-face contact (the deadlines work) and the assessments (the assessments work) are set up
here as their model rows, as those pieces of the investigation record them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from investigations.choices import Finding, SafetyDecision
from investigations.models import (
    ChildContactDeadline,
    CrossReport,
    Investigation,
    RiskAssessment,
    SafetyAssessment,
)
from investigations.selectors.findings import open_allegations
from investigations.services.closure import investigation_request_closure
from investigations.services.findings import (
    FindingEntry,
    investigation_approve_findings,
    investigation_record_findings,
    investigation_submit_findings,
)
from records.workflow import transition
from tests.conftest import Cast
from tests.factories import make_investigation


def started(cast: Cast, *, children: int = 1, **fields) -> Investigation:
    """An investigation assigned to cast.worker whose work has started (the first contact was made)."""
    investigation = make_investigation(cast.screener, worker=cast.worker, children=children, **fields)
    with transaction.atomic():
        transition(investigation, "start", actor=cast.worker)
    return investigation


def entries(investigation: Investigation, *findings: str) -> list[FindingEntry]:
    """One finding per standing allegation, in order (the last one repeated for the rest)."""
    allegations = list(open_allegations(investigation))
    chosen = list(findings or [Finding.UNSUBSTANTIATED])
    chosen += [chosen[-1]] * (len(allegations) - len(chosen))
    return [
        FindingEntry(
            allegation=allegation,
            finding=finding,
            found_on=timezone.localdate(),
            rationale="Interviews and the school's records support this.",
        )
        for allegation, finding in zip(allegations, chosen, strict=False)
    ]


def submitted(cast: Cast, *findings: str, **fields) -> Investigation:
    investigation = started(cast, **fields)
    investigation_record_findings(
        actor=cast.worker, investigation=investigation, entries=entries(investigation, *findings)
    )
    return investigation_submit_findings(actor=cast.worker, investigation=investigation)


def approved(cast: Cast, *findings: str, **fields) -> Investigation:
    return investigation_approve_findings(actor=cast.supervisor, investigation=submitted(cast, *findings, **fields))


def complete(cast: Cast, investigation: Investigation) -> Investigation:
    """What closing needs besides approved findings: both assessments, each child's first contact met."""
    now = timezone.now()
    SafetyAssessment.objects.create(
        investigation=investigation,
        assessed_at=now,
        assessed_by=cast.worker,
        protective_capacities="Mother is protective and engaged.",
        decision=SafetyDecision.SAFE,
    )
    RiskAssessment.objects.create(
        investigation=investigation, assessed_at=now, assessed_by=cast.worker, total_score=2, scored_level="low"
    )
    for allegation in open_allegations(investigation):
        ChildContactDeadline.objects.update_or_create(
            investigation=investigation,
            person=allegation.victim,
            defaults={"due_at": now + timedelta(days=1), "met_at": now - timedelta(hours=1)},
        )
    return investigation


def cross_reported(cast: Cast, investigation: Investigation) -> CrossReport:
    return CrossReport.objects.create(
        investigation=investigation,
        agency="County Sheriff",
        reported_at=timezone.now(),
        method="phone",
        officer_name="Deputy on duty",
        recorded_by=cast.worker,
    )


def closure_requested(cast: Cast, outcome: str = "no_services", **fields) -> Investigation:
    investigation = complete(cast, approved(cast, **fields))
    referrals = "Food bank and parenting class" if outcome == "community_referral" else ""
    return investigation_request_closure(
        actor=cast.worker, investigation=investigation, outcome=outcome, referrals=referrals
    )
