"""The demo agency (`manage.py seed_demo`): families and reports in every state of the workflow, investigations in
every status with what each records, ongoing cases with members in every state of the visit rule, invented names,
made through the real services, and loading it again changes nothing."""

from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone
from faker.providers.person.en_US import Provider as FakerNames

from accounts import access
from accounts.models import AuditEvent, Notification, Unit, User
from accounts.roles import Clearance
from cases import visit_rule
from cases.choices import CaseStatus, ContactLocation, ReportStatus, ResponsePriority, VisitStatus
from cases.models import (
    Allegation,
    Case,
    CaseAssignment,
    CaseMember,
    CaseTransition,
    Contact,
    IntakeReport,
    ReportAmendment,
    ReportParticipant,
    ReportTransition,
    VisitAlert,
)
from families.choices import KinResource, ReasonToKnow, RelationshipKind
from families.models import Person, PersonAddress, PersonAlias, PersonName, Relationship, TribalAffiliation
from investigations.choices import (
    OUTCOMES_OPENING_A_CASE,
    ClosureOutcome,
    DeadlineKind,
    InvestigationStatus,
    RiskOverride,
    SafetyDecision,
)
from investigations.models import (
    AllegationFinding,
    ChildContactDeadline,
    CollateralContact,
    CrossReport,
    DeadlineFlag,
    Investigation,
    InvestigationContact,
    InvestigationTransition,
    RiskAssessment,
    SafetyAssessment,
    SafetyPlan,
    SafetyPlanAction,
    SafetyPlanReview,
)
from investigations.services import deadline_flags_refresh

pytestmark = pytest.mark.django_db

COUNTED = [
    User,
    Unit,
    Person,
    PersonAlias,
    PersonName,
    PersonAddress,
    Relationship,
    TribalAffiliation,
    IntakeReport,
    ReportParticipant,
    Allegation,
    ReportTransition,
    ReportAmendment,
    Investigation,
    InvestigationTransition,
    InvestigationContact,
    CollateralContact,
    SafetyAssessment,
    SafetyPlan,
    RiskAssessment,
    AllegationFinding,
    CrossReport,
    DeadlineFlag,
    Case,
    CaseMember,
    CaseAssignment,
    CaseTransition,
    Contact,
    VisitAlert,
    Notification,
    AuditEvent,
]


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


@dataclass
class Demo:
    first_load: dict[str, int]
    second_load: dict[str, int]
    second_output: str


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Demo:
    """The demo loaded twice, shared by this module's tests (loading takes seconds), rolled back after them."""
    development = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], DEBUG=True)
    with django_db_blocker.unblock(), development, transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        first_load = counts()
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield Demo(first_load=first_load, second_load=counts(), second_output=output.getvalue())
        transaction.set_rollback(True)


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="supervisor1").exists()


def test_it_changes_nothing_when_loaded_again(demo):
    assert demo.second_load == demo.first_load
    assert "already loaded" in demo.second_output


def test_it_has_reports_in_every_status_of_the_intake_workflow(demo):
    statuses = set(IntakeReport.objects.values_list("status", flat=True))
    assert statuses == set(ReportStatus.values)
    assert IntakeReport.objects.count() >= 40


def test_it_screens_in_with_every_response_priority_and_assigns_some_investigations(demo):
    screened_in = IntakeReport.objects.filter(status=ReportStatus.SCREENED_IN)
    assert set(screened_in.values_list("response_priority", flat=True)) == set(ResponsePriority.values)
    open_investigations = Investigation.objects.filter(status=InvestigationStatus.ASSIGNED)
    assert set(open_investigations.values_list("assigned_worker__username", flat=True)) == {"worker3", "worker4"}
    assert Investigation.objects.filter(status=InvestigationStatus.AWAITING_ASSIGNMENT).exists()
    assert screened_in.exclude(requested_priority="").count() == 1


def test_the_unit_supervisor_approves_and_returns_the_screeners_decisions(demo):
    screener = User.objects.get(username="screener")
    supervisor = screener.unit.supervisor
    assert screener.unit.name == "South Investigations"
    for report in IntakeReport.objects.filter(status=ReportStatus.SCREENED_OUT):
        assert report.approved_by == supervisor
    returned = IntakeReport.objects.filter(status=ReportStatus.RETURNED)
    assert all(report.return_comment for report in returned)
    assert set(ReportTransition.objects.filter(to_status=ReportStatus.RETURNED).values_list("by", flat=True)) == {
        supervisor.pk
    }
    assert ReportAmendment.objects.count() >= 2


def test_it_restricts_some_reports_as_sensitive_with_a_reason(demo):
    sensitive = IntakeReport.objects.filter(access_restriction=Clearance.SENSITIVE)
    assert sensitive.exists()
    assert all(report.restriction_reason for report in sensitive)
    screener, worker = User.objects.get(username="screener"), User.objects.get(username="worker3")
    assert access.visible(screener, sensitive).count() == sensitive.count()
    assert not access.visible(worker, sensitive).exists()


def test_its_reports_were_received_over_the_last_weeks_and_none_in_the_future(demo):
    received = IntakeReport.objects.values_list("received_at", flat=True)
    now = timezone.now()
    assert all(now - timedelta(days=21) < at <= now for at in received)
    assert max(received) - min(received) > timedelta(days=14)


def test_it_records_families_with_relatives_kin_and_icwa_inquiries(demo):
    assert Person.objects.count() >= 30
    kinds = set(Relationship.objects.values_list("kind", flat=True))
    assert {RelationshipKind.BIRTH_PARENT, RelationshipKind.SIBLING, RelationshipKind.GRANDPARENT} <= kinds
    assert Relationship.objects.filter(kind=RelationshipKind.AUNT_UNCLE, kin_resource=KinResource.PLACEMENT).exists()
    assert Person.objects.filter(approximate_age__isnull=False, birth_date__isnull=True).exists()
    assert Person.objects.filter(icwa_reason_to_know=ReasonToKnow.YES, tribal_affiliations__isnull=False).exists()
    assert PersonAddress.objects.filter(ended_on__isnull=False).exists()
    assert len({tuple(races) for races in Person.objects.values_list("races", flat=True)}) >= 5


def test_every_name_is_invented(demo):
    first_names, last_names = set(FakerNames.first_names), set(FakerNames.last_names)
    for first, last in [
        *Person.objects.values_list("first_name", "last_name"),
        *PersonAlias.objects.values_list("first_name", "last_name"),
        *User.objects.values_list("first_name", "last_name"),
    ]:
        assert first in first_names | {""}, first
        assert last in last_names, last
    titles = {*FakerNames.prefixes_female, *FakerNames.prefixes_male, *FakerNames.suffixes_female}
    titles |= set(FakerNames.suffixes_male)
    for reporter in IntakeReport.objects.exclude(reporter_name="").values_list("reporter_name", flat=True):
        assert set(reporter.split()) <= first_names | last_names | titles, reporter


def test_it_has_investigations_in_every_status_and_closed_with_every_outcome(demo):
    assert set(Investigation.objects.values_list("status", flat=True)) == set(InvestigationStatus.values)
    closed = Investigation.objects.filter(status=InvestigationStatus.CLOSED)
    assert set(closed.values_list("closure_outcome", flat=True)) == set(ClosureOutcome.values)
    assert all(investigation.closed_at for investigation in closed)
    worked = Investigation.objects.exclude(status__in=[InvestigationStatus.AWAITING_ASSIGNMENT])
    assert set(worked.values_list("unit__supervisor__username", flat=True)) == {"supervisor2"}


def test_closing_with_a_case_opened_opens_it_with_the_reports_children_for_the_investigating_worker(demo):
    opening = Investigation.objects.filter(
        closure_outcome__in=OUTCOMES_OPENING_A_CASE, status=InvestigationStatus.CLOSED
    )
    assert opening.count() == 2
    for investigation in opening.select_related("opened_case"):
        case = investigation.opened_case
        assert case.status == CaseStatus.OPEN
        assert case.assignments.get(ended_at__isnull=True).worker == investigation.assigned_worker
        children = set(case.members.filter(role="child").values_list("person_id", flat=True))
        assert children == set(investigation.report.allegations.values_list("victim_id", flat=True))
    others = Investigation.objects.exclude(closure_outcome__in=OUTCOMES_OPENING_A_CASE)
    assert not others.filter(opened_case__isnull=False).exists()


def test_its_investigations_record_contacts_with_collaterals_and_first_contacts_on_time_late_and_overdue(demo):
    assert CollateralContact.objects.count() >= 3
    assert InvestigationContact.objects.filter(collaterals__isnull=True, people_seen__isnull=False).exists()
    deadlines = ChildContactDeadline.objects.all()
    assert deadlines.filter(met_at__lte=F("due_at")).exists()
    assert deadlines.filter(met_at__gt=F("due_at")).exists()
    assert deadlines.filter(met_at__isnull=True, excused_at__isnull=True, due_at__lt=timezone.now()).exists()
    for contact in InvestigationContact.objects.select_related("investigation__report"):
        assert contact.investigation.report.received_at <= contact.occurred_at <= timezone.now()


def test_its_safety_assessments_make_each_decision_and_one_supersedes_another(demo):
    current = SafetyAssessment.objects.filter(superseded_at__isnull=True)
    assert set(current.values_list("decision", flat=True)) == set(SafetyDecision.values)
    assert SafetyAssessment.objects.filter(superseded_at__isnull=False).count() == 1
    unsafe = current.filter(decision=SafetyDecision.UNSAFE)
    assert all(assessment.protective_action for assessment in unsafe)


def test_a_conditionally_safe_decision_rests_on_a_safety_plan_with_actions_and_a_review(demo):
    plans = SafetyPlan.objects.filter(assessment__decision=SafetyDecision.CONDITIONALLY_SAFE)
    assert plans.exists()
    assert SafetyPlanAction.objects.filter(plan__in=plans).count() >= 3 * plans.count()
    assert SafetyPlanReview.objects.filter(plan__in=plans).exists()


def test_its_risk_assessments_are_scored_and_some_overridden_with_a_reason(demo):
    overridden = RiskAssessment.objects.exclude(override=RiskOverride.NONE)
    assert set(overridden.values_list("override", flat=True)) == {RiskOverride.POLICY, RiskOverride.DISCRETIONARY}
    assert all(assessment.override_reason and assessment.override_level for assessment in overridden)
    assert {"low", "very_high"} <= set(RiskAssessment.objects.values_list("scored_level", flat=True))


def test_findings_are_recorded_on_every_allegation_of_each_investigation_past_its_work(demo):
    past_work = Investigation.objects.exclude(
        status__in=[
            InvestigationStatus.AWAITING_ASSIGNMENT,
            InvestigationStatus.ASSIGNED,
            InvestigationStatus.IN_PROGRESS,
        ]
    )
    assert past_work.count() == 7
    for investigation in past_work:
        allegations = investigation.report.allegations.filter(withdrawn_at__isnull=True)
        assert AllegationFinding.objects.filter(allegation__in=allegations).count() == allegations.count()
        assert investigation.disposition
    assert InvestigationTransition.objects.filter(to_status=InvestigationStatus.FINDINGS_APPROVED).exists()


def test_a_cross_report_is_made_where_required_and_the_deadline_job_flags_the_missed_ones(demo):
    assert CrossReport.objects.exists()
    deadline_flags_refresh()
    flagged = set(DeadlineFlag.objects.filter(resolved_at__isnull=True).values_list("kind", flat=True))
    assert {DeadlineKind.FIRST_CONTACT, DeadlineKind.CROSS_REPORT} <= flagged
    assert Notification.objects.filter(recipient__username="supervisor2", emailed_at__isnull=True).exists()


def test_the_demo_caseworkers_have_members_in_every_visit_state(demo):
    today = timezone.localdate()
    for username in ("worker1", "worker2"):
        assert (
            Case.objects.filter(assignments__worker__username=username, assignments__ended_at__isnull=True).count() == 4
        )
    members = CaseMember.objects.filter(
        case__assignments__worker__username__in=["worker1", "worker2"], case__assignments__ended_at__isnull=True
    ).annotate(visit_status=visit_rule.status_expression(today))
    assert set(members.values_list("visit_status", flat=True)) == set(VisitStatus.values)
    excused = members.filter(visit_status=VisitStatus.EXCUSED)
    assert all(member.diligent_search_note for member in excused)
    assert VisitAlert.objects.filter(resolved_at__isnull=True, member__in=members).exists()


def test_some_children_are_in_out_of_home_care_and_visited_where_they_live_or_at_the_office(demo):
    in_care = CaseMember.objects.filter(role="child", in_care_since__isnull=False)
    month_start = timezone.localdate().replace(day=1)
    seen_this_month = [
        m for m in in_care if m.last_face_to_face_at and timezone.localdate(m.last_face_to_face_at) >= month_start
    ]
    assert seen_this_month and len(seen_this_month) < in_care.count()
    locations = set(Contact.objects.filter(case__isnull=False).values_list("location", flat=True))
    assert {ContactLocation.RESIDENCE, ContactLocation.OFFICE} <= locations


def test_one_closure_awaits_the_supervisor_and_one_was_returned(demo):
    assert Case.objects.filter(status=CaseStatus.CLOSURE_REQUESTED).count() == 1
    assert Case.objects.filter(status=CaseStatus.OPEN).exclude(return_comment="").count() == 1


def test_it_prints_each_sign_in_with_its_role_and_unit(demo):
    lines = demo.second_output.splitlines()
    for user in User.objects.exclude(username__in=["root-admin", "approving-admin"]).select_related("unit"):
        (line,) = [line for line in lines if line.split() and line.split()[0] == user.username]
        assert user.role_labels in line
        assert (user.unit.name if user.unit else "No unit") in line


def test_it_says_which_supervisor_receives_the_screeners_reports(demo):
    screener = User.objects.select_related("unit__supervisor").get(username="screener")
    supervisor = screener.unit.supervisor
    assert (
        f"The screener's reports go to {screener.unit.name}: its supervisor, {supervisor.username} "
        f"({supervisor.display_name})"
    ) in demo.second_output


def test_its_notifications_are_not_emailed(demo):
    assert Notification.objects.exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
