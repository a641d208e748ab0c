"""Closing an investigation with an outcome: refused naming each missing piece, approved or returned by the
unit's supervisor, opening the ongoing case (with the report's people, never its reporter) for the outcomes
that call for one, all or nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.roles import Role
from accounts.services import access_grant
from cases import services as intake
from cases.models import Case
from investigations.choices import InvestigationStatus
from investigations.models import ChildContactDeadline, Investigation, RiskAssessment, SafetyAssessment
from investigations.selectors.findings import closure_missing, open_allegations
from investigations.services.assignment import investigation_assign
from investigations.services.closure import (
    investigation_approve_closure,
    investigation_request_closure,
    investigation_return_closure,
)
from investigations.services.findings import (
    investigation_approve_findings,
    investigation_record_findings,
    investigation_submit_findings,
)
from records.workflow import transition
from tests.factories import make_case, make_person, make_report, make_staff
from tests.investigations.closing import (
    approved,
    closure_requested,
    complete,
    cross_reported,
    entries,
    started,
)

pytestmark = pytest.mark.django_db


def _request(cast, investigation, outcome="no_services", referrals=""):
    return investigation_request_closure(
        actor=cast.worker, investigation=investigation, outcome=outcome, referrals=referrals
    )


def _refusal(cast, investigation, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        _request(cast, investigation, **kwargs)
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.FINDINGS_APPROVED
    return " ".join(refused.value.messages)


def test_closing_needs_approved_findings(cast):
    investigation = started(cast)
    assert "approved findings" in closure_missing(investigation)
    complete(cast, investigation)
    assert closure_missing(investigation) == ["approved findings"]


def test_closing_without_a_safety_assessment_is_refused_naming_it(cast):
    investigation = complete(cast, approved(cast))
    SafetyAssessment.objects.filter(investigation=investigation).delete()
    assert _refusal(cast, investigation) == "The investigation cannot close yet. It still needs: a safety assessment."


def test_closing_without_a_risk_assessment_is_refused_naming_it(cast):
    investigation = complete(cast, approved(cast))
    RiskAssessment.objects.filter(investigation=investigation).delete()
    assert _refusal(cast, investigation) == "The investigation cannot close yet. It still needs: a risk assessment."


def test_closing_names_each_child_not_yet_seen(cast):
    investigation = complete(cast, approved(cast, children=3))
    seen, unseen, excused = (allegation.victim for allegation in open_allegations(investigation))
    ChildContactDeadline.objects.filter(investigation=investigation, person=unseen).update(met_at=None)
    ChildContactDeadline.objects.filter(investigation=investigation, person=excused).update(
        met_at=None, excused_at=timezone.now(), excused_by=cast.supervisor, excused_reason="The child is in hospital."
    )
    message = _refusal(cast, investigation)
    assert f"a first face-to-face contact with {unseen.full_name}" in message
    assert seen.full_name not in message and excused.full_name not in message


def test_a_child_without_a_deadline_row_counts_as_not_seen(cast):
    investigation = complete(cast, approved(cast))
    [child] = (allegation.victim for allegation in open_allegations(investigation))
    ChildContactDeadline.objects.filter(investigation=investigation).delete()
    assert f"a first face-to-face contact with {child.full_name}" in _refusal(cast, investigation)


def test_closing_needs_the_cross_report_where_one_is_required(cast):
    investigation = complete(cast, approved(cast))
    Investigation.objects.filter(pk=investigation.pk).update(cross_report_due_at=timezone.now() + timedelta(hours=4))
    assert "the cross-report to law enforcement" in _refusal(cast, investigation)
    cross_reported(cast, investigation)
    assert _request(cast, investigation).status == InvestigationStatus.CLOSURE_REQUESTED


def test_every_missing_piece_is_named_in_one_message(cast):
    investigation = approved(cast, children=2)
    Investigation.objects.filter(pk=investigation.pk).update(cross_report_due_at=timezone.now())
    first, second = (allegation.victim for allegation in open_allegations(investigation))
    with pytest.raises(ValidationError) as refused:
        _request(cast, investigation, outcome="community_referral")
    errors = refused.value.message_dict
    assert errors["closure_referrals"] == ["Name the community services the family was referred to."]
    assert errors["__all__"] == [
        "The investigation cannot close yet. It still needs: a safety assessment; a risk assessment; "
        f"a first face-to-face contact with {first.full_name} (met, or excused with a reason); "
        f"a first face-to-face contact with {second.full_name} (met, or excused with a reason); "
        "the cross-report to law enforcement."
    ]


def test_the_page_shows_what_is_missing_before_the_worker_asks(cast, client_for):
    investigation = approved(cast)
    for url in (
        reverse("investigation_detail", args=[investigation.public_id]),
        reverse("investigation_closure_request", args=[investigation.public_id]),
    ):
        page = client_for(cast.worker).get(url).content.decode()
        assert "a safety assessment" in page and "a risk assessment" in page


def test_a_referral_names_the_services(cast):
    investigation = complete(cast, approved(cast))
    assert "closure_referrals" in _refusal_dict(cast, investigation, outcome="community_referral")
    assert "closure_outcome" in _refusal_dict(cast, investigation, outcome="adopted")
    investigation = _request(cast, investigation, outcome="community_referral", referrals="Food bank")
    assert investigation.closure_referrals == "Food bank"


def _refusal_dict(cast, investigation, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        _request(cast, investigation, **kwargs)
    return refused.value.message_dict


def test_requesting_closure_tells_the_supervisor(cast):
    investigation = closure_requested(cast, "community_referral")
    assert investigation.closure_requested_by == cast.worker and investigation.closure_requested_at
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="awaits your approval").exists()


def test_closing_with_no_further_services_opens_no_case(cast):
    investigation = investigation_approve_closure(actor=cast.supervisor, investigation=closure_requested(cast))
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.CLOSED
    assert investigation.closed_at is not None and investigation.opened_case is None
    assert not Case.objects.exists()
    assert Notification.objects.filter(recipient=cast.worker, message__contains="is closed").exists()


def test_only_the_units_supervisor_approves_or_returns_the_closure(cast):
    investigation = closure_requested(cast)
    for outsider in (cast.worker, cast.other_supervisor, cast.program_manager):
        with pytest.raises(PermissionDenied):
            investigation_approve_closure(actor=outsider, investigation=investigation)
        with pytest.raises(PermissionDenied):
            investigation_return_closure(actor=outsider, investigation=investigation, comment="No.")


def test_returning_the_closure_needs_a_comment_the_worker_reads(cast, client_for):
    investigation = closure_requested(cast)
    with pytest.raises(ValidationError):
        investigation_return_closure(actor=cast.supervisor, investigation=investigation, comment=" ")
    investigation_return_closure(actor=cast.supervisor, investigation=investigation, comment="Refer to the clinic.")
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.FINDINGS_APPROVED
    assert Notification.objects.filter(recipient=cast.worker, message__contains="Refer to the clinic.").exists()
    page = client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id]))
    assert "Refer to the clinic." in page.content.decode()
    assert _request(cast, investigation).return_comment == ""


def _family_investigation(cast, worker=None, **fields):
    """A report naming two children, their mother (caregiver), the mother's partner (alleged perpetrator), a
    teenage household member and a reporter, investigated to the closure request."""
    worker = worker or cast.worker
    report = make_report(cast.screener, children=2, **fields)
    mother = make_person(cast.screener, age=31)
    intake.report_add_person(actor=cast.screener, report=report, person=mother, role="parent_caregiver")
    teen = make_person(cast.screener, age=15)
    intake.report_add_person(actor=cast.screener, report=report, person=teen, role="household_member")
    reporter = make_person(cast.screener, age=50)
    intake.report_add_person(actor=cast.screener, report=report, person=reporter, role="reporter")
    intake.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    investigation = investigation_assign(
        actor=cast.supervisor, investigation=Investigation.objects.get(report=report), worker=worker
    )
    with transaction.atomic():
        transition(investigation, "start", actor=worker)
    investigation_record_findings(actor=worker, investigation=investigation, entries=entries(investigation))
    investigation_submit_findings(actor=worker, investigation=investigation)
    investigation = investigation_approve_findings(actor=cast.supervisor, investigation=investigation)
    complete(cast, investigation)
    investigation = investigation_request_closure(actor=worker, investigation=investigation, outcome="case_opened")
    return investigation, {"mother": mother, "teen": teen, "reporter": reporter}


@pytest.mark.parametrize("outcome", ["case_opened", "court_removal"])
def test_closing_with_a_case_outcome_opens_the_case_with_the_reports_people(cast, client_for, outcome):
    investigation, people = _family_investigation(cast)
    Investigation.objects.filter(pk=investigation.pk).update(closure_outcome=outcome)
    investigation = investigation_approve_closure(actor=cast.supervisor, investigation=investigation)
    investigation.refresh_from_db()
    case = investigation.opened_case
    assert case is not None and case.source_report == investigation.report
    assert case.opened_for == "investigation" and case.unit == cast.unit
    assert case.assignments.get().worker == cast.worker
    roles = {member.person_id: member.role for member in case.members.all()}
    victims = [allegation.victim for allegation in open_allegations(investigation)]
    perpetrator = open_allegations(investigation)[0].perpetrator
    assert roles == {
        **{victim.pk: "child" for victim in victims},
        people["mother"].pk: "parent",
        perpetrator.pk: "caregiver",
        people["teen"].pk: "child",
    }
    assert people["reporter"].pk not in roles
    detail = client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id]))
    assert reverse("case_detail", args=[case.public_id]) in detail.content.decode()
    case_page = client_for(cast.worker).get(reverse("case_detail", args=[case.public_id]))
    assert reverse("investigation_detail", args=[investigation.public_id]) in case_page.content.decode()


def _closed_with_a_case(cast) -> tuple[Investigation, Case]:
    investigation, _ = _family_investigation(cast)
    investigation = investigation_approve_closure(actor=cast.supervisor, investigation=investigation)
    investigation.refresh_from_db()
    return investigation, investigation.opened_case


def test_the_case_page_links_the_investigation_that_opened_it_for_whoever_may_see_it(cast, client_for):
    investigation, case = _closed_with_a_case(cast)
    page = client_for(cast.worker).get(reverse("case_detail", args=[case.public_id])).content.decode()
    link = f'<a href="{reverse("investigation_detail", args=[investigation.public_id])}">{investigation.reference}</a>'
    assert "<dt>Opened by</dt>" in page and link in page


def test_the_case_page_names_the_investigation_without_a_link_for_whoever_may_not_see_it(cast, client_for):
    """Another unit's worker given access to the case alone sees the case, and only the investigation's reference."""
    investigation, case = _closed_with_a_case(cast)
    services_grant(cast, case, cast.other_worker)
    page = client_for(cast.other_worker).get(reverse("case_detail", args=[case.public_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert investigation.reference in text
    assert reverse("investigation_detail", args=[investigation.public_id]) not in text


def test_the_case_api_names_the_investigation_that_opened_it(cast, api_for):
    investigation, case = _closed_with_a_case(cast)
    body = api_for(cast.worker).get(reverse("api_case_detail", args=[case.public_id])).json()
    assert body["opened_by_investigation"] == str(investigation.public_id)
    assert body["source_report"] == str(investigation.report.public_id)


def test_a_case_opened_otherwise_names_no_investigation(cast, api_for, client_for):
    case = make_case(cast.supervisor, worker=cast.worker)
    assert (
        api_for(cast.worker).get(reverse("api_case_detail", args=[case.public_id])).json()["opened_by_investigation"]
        is None
    )
    assert "<dt>Opened by</dt>" not in client_for(cast.worker).get(reverse("case_detail", args=[case.public_id])).text


def services_grant(cast, case, grantee) -> None:
    access_grant(
        actor=cast.supervisor,
        obj=case,
        grantee=grantee,
        action="view",
        expires_at=timezone.now() + timedelta(days=7),
        reason="Joint work",
    )


def test_the_opened_case_carries_the_reports_restriction(cast):
    cleared = make_staff("cleared-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    investigation, _ = _family_investigation(
        cast, worker=cleared, access_restriction="sensitive", restriction_reason="A staff member's family."
    )
    investigation = investigation_approve_closure(actor=cast.supervisor, investigation=investigation)
    assert investigation.opened_case.access_restriction == "sensitive"


def test_a_failed_case_opening_leaves_nothing_half_saved(cast):
    investigation, _ = _family_investigation(cast)
    cast.worker.groups.clear()  # no longer a caseworker: the case cannot be assigned to them
    with pytest.raises(ValidationError) as refused:
        investigation_approve_closure(actor=cast.supervisor, investigation=investigation)
    assert "reassign the investigation first" in refused.value.messages[0]
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.CLOSURE_REQUESTED
    assert investigation.closed_at is None and investigation.opened_case is None
    assert not Case.objects.exists()
    assert not investigation.transitions.filter(to_status=InvestigationStatus.CLOSED).exists()
