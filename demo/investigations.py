"""Demo investigations for `manage.py seed_demo`, worked through the real services from report to closure.

Each journey screens a report in, assigns it and takes the investigation as far as it planned: contacts
(some with collateral contacts, some late), safety assessments (each decision, one superseded), a safety
plan with its review, risk assessments (some overridden), findings, the cross-report where one is required,
the supervisor's approvals and each closure outcome. Everything the worker records is dated between the
report's receipt and now; what the workflow stamps itself (submitted, approved, closed) is dated now.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from faker import Faker

from accounts.models import User
from cases.choices import MaltreatmentType, ParticipantRole, ReportSource, ReportStatus, ResponsePriority
from cases.models import IntakeReport, ReportParticipant
from demo.families import DemoFamily
from demo.reports import Plan, build_reports
from families.models import Person
from investigations import services
from investigations.choices import (
    RISK_LEVEL_ORDER,
    ClosureOutcome,
    CollateralRole,
    ContactPurpose,
    CrossReportMethod,
    Finding,
    InvestigationStatus,
    ProtectiveAction,
    Responsible,
    RiskOverride,
    SafetyDecision,
)
from investigations.models import Investigation
from investigations.selectors.assessments import risk_items, safety_threats
from investigations.selectors.findings import open_allegations
from records.choices import ContactLocation, ContactType

INVESTIGATION_SEED = 3141
# The intake plans' second reports are about families 0-9: the journeys' reports start at the next family.
FIRST_FAMILY = 10

Status, Priority, Type, Source = InvestigationStatus, ResponsePriority, MaltreatmentType, ReportSource
SAFE, CONDITIONALLY_SAFE, UNSAFE = SafetyDecision.SAFE, SafetyDecision.CONDITIONALLY_SAFE, SafetyDecision.UNSAFE


@dataclass(frozen=True)
class Journey:
    """One demo investigation: its report, the status it ends in, and what is recorded on the way."""

    report: Plan
    until: str
    # Hours after the report came in that the children were first seen: past the priority's window is late.
    first_seen_after_hours: int = 6
    # The last alleged child is not seen: their first-contact deadline runs on (overdue once passed).
    one_child_unseen: bool = False
    collateral: str = ""
    # Safety decisions in the order made: each supersedes the one before.
    safety: tuple[str, ...] = (SAFE,)
    protective_action: str = ""
    high_risk: bool = False
    risk_override: str = RiskOverride.NONE
    finding: str = Finding.UNSUBSTANTIATED
    outcome: str = ""
    # A cross-report is made where the report's allegations require one, unless this says it was missed.
    cross_report_missed: bool = False


def _report(days_ago: float, maltreatment: str, source: str, priority: str, worker: str) -> Plan:
    return Plan(ReportStatus.SCREENED_IN, days_ago, maltreatment, source, priority, worker)


JOURNEYS = [
    Journey(
        _report(10, Type.NEGLECT, Source.EDUCATION, Priority.THREE_DAYS, "worker3"),
        Status.IN_PROGRESS,
        one_child_unseen=True,
        collateral=CollateralRole.TEACHER,
        safety=(CONDITIONALLY_SAFE,),
    ),
    Journey(
        _report(8, Type.PHYSICAL_ABUSE, Source.MEDICAL, Priority.IMMEDIATE, "worker4"),
        Status.IN_PROGRESS,
        first_seen_after_hours=40,
        safety=(SAFE, UNSAFE),
        protective_action=ProtectiveAction.KIN_PLACEMENT,
        high_risk=True,
        risk_override=RiskOverride.DISCRETIONARY,
        cross_report_missed=True,
    ),
    Journey(
        _report(14, Type.EMOTIONAL, Source.MENTAL_HEALTH, Priority.FIVE_DAYS, "worker3"),
        Status.FINDINGS_SUBMITTED,
        collateral=CollateralRole.THERAPIST,
    ),
    Journey(
        _report(13, Type.MEDICAL_NEGLECT, Source.MEDICAL, Priority.THREE_DAYS, "worker4"),
        Status.FINDINGS_APPROVED,
        collateral=CollateralRole.DOCTOR,
        finding=Finding.INDICATED,
    ),
    Journey(
        _report(16, Type.NEGLECT, Source.SOCIAL_SERVICES, Priority.FIVE_DAYS, "worker3"),
        Status.CLOSURE_REQUESTED,
        first_seen_after_hours=130,
        finding=Finding.UNABLE_TO_DETERMINE,
        outcome=ClosureOutcome.COMMUNITY_REFERRAL,
    ),
    Journey(
        _report(20, Type.NEGLECT, Source.FRIEND_NEIGHBOR, Priority.TEN_DAYS, "worker4"),
        Status.CLOSED,
        collateral=CollateralRole.NEIGHBOUR,
        outcome=ClosureOutcome.NO_SERVICES,
    ),
    Journey(
        _report(19, Type.EMOTIONAL, Source.EDUCATION, Priority.FIVE_DAYS, "worker3"),
        Status.CLOSED,
        finding=Finding.INDICATED,
        outcome=ClosureOutcome.COMMUNITY_REFERRAL,
    ),
    Journey(
        _report(17, Type.NEGLECT, Source.DAY_CARE, Priority.THREE_DAYS, "worker4"),
        Status.CLOSED,
        collateral=CollateralRole.CHILDCARE,
        safety=(CONDITIONALLY_SAFE,),
        high_risk=True,
        finding=Finding.SUBSTANTIATED,
        outcome=ClosureOutcome.CASE_OPENED,
    ),
    Journey(
        _report(18, Type.PHYSICAL_ABUSE, Source.LAW_ENFORCEMENT, Priority.IMMEDIATE, "worker3"),
        Status.CLOSED,
        collateral=CollateralRole.POLICE,
        safety=(UNSAFE,),
        protective_action=ProtectiveAction.REMOVAL,
        risk_override=RiskOverride.POLICY,
        finding=Finding.SUBSTANTIATED,
        outcome=ClosureOutcome.COURT_REMOVAL,
    ),
]
# Where each step falls between the report's receipt (0) and now (1).
COLLATERAL_AT, SAFETY_AT, PLAN_REVIEW_AT, RISK_AT, FINDINGS_AT = 0.2, 0.25, 0.5, 0.55, 0.7

FIRST_CONTACT = "Met {names} at home and spoke with each child alone about the report. {more}"
FIRST_CONTACT_MORE = {
    Type.NEGLECT: "Little food in the kitchen; the utilities are back on since Monday.",
    Type.PHYSICAL_ABUSE: "Photographed the marks on the child's arms; the mother says they came from play.",
    Type.MEDICAL_NEGLECT: "The insulin in the fridge is out of date; the mother agreed to a clinic visit.",
    Type.EMOTIONAL: "The child was quiet and watchful; the parents argued during the visit.",
}
COLLATERAL_NOTE = "The {role} confirmed what the report describes and agreed to call if anything changes."
CAPACITIES = {
    SAFE: "The mother is protective, understands the concern and has a neighbour who helps with the children.",
    CONDITIONALLY_SAFE: "The maternal aunt lives nearby and can stay with the children; the mother accepts help.",
    UNSAFE: "No adult in the home can protect the children from the alleged perpetrator at present.",
}
PROTECTIVE_NOTES = {
    ProtectiveAction.REMOVAL: "The children were placed in an emergency resource home under a protective hold.",
    ProtectiveAction.KIN_PLACEMENT: "The children are staying with their grandmother while the investigation goes on.",
}
THREAT_NOTE = "Seen at the home visit."
RATIONALE = {
    Finding.SUBSTANTIATED: "The child's account, the collateral's and the home visit agree: the standard is met.",
    Finding.INDICATED: "There is reason to suspect it happened, but the evidence does not meet the standard.",
    Finding.UNABLE_TO_DETERMINE: "The family moved twice during the investigation; not enough could be verified.",
    Finding.UNSUBSTANTIATED: "Interviews and the school's records do not support the allegation.",
}
OVERRIDE_REASONS = {
    RiskOverride.POLICY: "Agency policy: a serious physical injury to a child under five rates one level higher.",
    RiskOverride.DISCRETIONARY: "The children are with their grandmother and the mother engages well: one lower.",
}
FAMILY_ROLES = (ParticipantRole.ALLEGED_VICTIM, ParticipantRole.PARENT_CAREGIVER, ParticipantRole.ALLEGED_PERPETRATOR)
REFERRALS = "Food bank, the family resource center's parenting group and a housing navigator."


class _JourneyMaker:
    def __init__(self, *, supervisor: User, workers: dict[str, User], now: datetime):
        self.supervisor, self.workers, self.now = supervisor, workers, now
        self.fake = Faker("en_US")
        self.fake.seed_instance(INVESTIGATION_SEED)
        self.threats = list(safety_threats())
        self.risk_items = list(risk_items())

    def at(self, report: IntakeReport, fraction: float) -> datetime:
        return report.received_at + (self.now - report.received_at) * fraction

    def phone(self) -> str:
        return f"(916) 555-01{self.fake.random.randint(0, 99):02d}"

    def walk(self, journey: Journey, report: IntakeReport) -> Investigation:
        investigation = Investigation.objects.select_related("report").get(report=report)
        worker = self.workers[journey.report.worker]
        victims = [allegation.victim for allegation in open_allegations(investigation)]
        # The family seen at the first visit: the children, their parents and the person alleged to have harmed them.
        participants = ReportParticipant.objects.filter(report=report, role__in=FAMILY_ROLES).select_related("person")
        people = list(dict.fromkeys(participant.person for participant in participants.order_by("id")))
        self.contacts(journey, investigation, worker, report, victims, people)
        if not journey.cross_report_missed and investigation.cross_report_due_at is not None:
            services.cross_report_record(
                actor=worker,
                investigation=investigation,
                agency="County Sheriff's Office",
                reported_at=report.received_at + timedelta(hours=3),
                method=CrossReportMethod.PHONE,
                officer_name=self.fake.name(),
                officer_report_number=f"SO-{self.fake.random.randint(10000, 99999)}",
            )
        caregiver = next(person for person in people if person not in victims)
        self.safety(journey, investigation, worker, report, caregiver)
        self.risk(journey, investigation, worker, report)
        if journey.until == Status.IN_PROGRESS:
            return self.ended(journey, investigation)
        services.investigation_record_findings(
            actor=worker,
            investigation=investigation,
            entries=[
                services.FindingEntry(
                    allegation=allegation,
                    finding=journey.finding,
                    found_on=timezone.localdate(self.at(report, FINDINGS_AT)),
                    rationale=RATIONALE[journey.finding],
                )
                for allegation in open_allegations(investigation)
            ],
        )
        investigation = services.investigation_submit_findings(actor=worker, investigation=investigation)
        if journey.until == Status.FINDINGS_SUBMITTED:
            return self.ended(journey, investigation)
        investigation = services.investigation_approve_findings(actor=self.supervisor, investigation=investigation)
        if journey.until == Status.FINDINGS_APPROVED:
            return self.ended(journey, investigation)
        investigation = services.investigation_request_closure(
            actor=worker,
            investigation=investigation,
            outcome=journey.outcome,
            referrals=REFERRALS if journey.outcome == ClosureOutcome.COMMUNITY_REFERRAL else "",
            note="Every child was seen, both assessments are done and the findings are approved.",
        )
        if journey.until == Status.CLOSURE_REQUESTED:
            return self.ended(journey, investigation)
        investigation = services.investigation_approve_closure(actor=self.supervisor, investigation=investigation)
        return self.ended(journey, investigation)

    def ended(self, journey: Journey, investigation: Investigation) -> Investigation:
        investigation.refresh_from_db()
        if investigation.status != journey.until:
            raise AssertionError(f"Demo investigation ended {investigation.status}, planned {journey.until}")
        return investigation

    def contacts(
        self,
        journey: Journey,
        investigation: Investigation,
        worker: User,
        report: IntakeReport,
        victims: list[Person],
        people: list[Person],
    ) -> None:
        unseen = victims[-1:] if journey.one_child_unseen and len(victims) > 1 else []
        seen = [person for person in people if person not in unseen]
        services.investigation_contact_record(
            actor=worker,
            investigation=investigation,
            people_seen=seen,
            purpose=ContactPurpose.INITIAL,
            occurred_at=report.received_at + timedelta(hours=journey.first_seen_after_hours),
            contact_type=ContactType.FACE_TO_FACE,
            location=ContactLocation.RESIDENCE,
            seen_privately=True,
            narrative=FIRST_CONTACT.format(
                names=", ".join(person.first_name for person in seen),
                more=FIRST_CONTACT_MORE.get(journey.report.maltreatment, ""),
            ),
            next_steps="Safety assessment, then the collateral contacts.",
        )
        if not journey.collateral:
            return
        role = CollateralRole(journey.collateral)
        services.investigation_contact_record(
            actor=worker,
            investigation=investigation,
            people_seen=[],
            purpose=ContactPurpose.COLLATERAL,
            collaterals=[
                {"name": self.fake.name(), "role": role.value, "organisation": "", "phone": self.phone()},
            ],
            occurred_at=self.at(report, COLLATERAL_AT),
            contact_type=ContactType.PHONE,
            location=ContactLocation.OFFICE,
            narrative=COLLATERAL_NOTE.format(role=role.label.lower()),
        )

    def safety(
        self, journey: Journey, investigation: Investigation, worker: User, report: IntakeReport, caregiver: Person
    ) -> None:
        for number, decision in enumerate(journey.safety):
            assessed_at = self.at(report, SAFETY_AT + 0.1 * number)
            new_plan = None
            if decision == CONDITIONALLY_SAFE:
                starts_on = timezone.localdate(assessed_at)
                new_plan = services.NewPlan(
                    starts_on=starts_on,
                    actions=[
                        services.PlanAction(
                            action="Stays at the home every evening until the review.",
                            responsible=Responsible.KIN,
                            name=self.fake.name_female(),
                        ),
                        services.PlanAction(
                            action="Takes the children to school and to the clinic appointments.",
                            responsible=Responsible.HOUSEHOLD,
                            person=caregiver,
                        ),
                        services.PlanAction(
                            action="Calls the family twice a week and visits weekly.", responsible=Responsible.AGENCY
                        ),
                    ],
                    backup_plan="If the aunt cannot come, the mother calls the on-call worker before 6 pm.",
                    monitoring="Weekly home visit by the investigating worker.",
                )
            unsafe = decision == UNSAFE
            services.safety_assessment_record(
                actor=worker,
                investigation=investigation,
                assessed_at=assessed_at,
                protective_capacities=CAPACITIES[decision],
                threats=[
                    services.ThreatAnswer(
                        threat=threat,
                        present=decision != SAFE and index == 0,
                        note=THREAT_NOTE if decision != SAFE and index == 0 else "",
                    )
                    for index, threat in enumerate(self.threats)
                ],
                made=services.SafetyDecisionMade(
                    decision=decision,
                    protective_action=journey.protective_action if unsafe else "",
                    protective_action_note=PROTECTIVE_NOTES[journey.protective_action] if unsafe else "",
                    new_plan=new_plan,
                ),
            )
            if new_plan is not None:
                services.safety_plan_review(
                    actor=worker,
                    plan=investigation.safety_plans.get(),
                    reviewed_at=self.at(report, PLAN_REVIEW_AT),
                    note="The aunt has stayed every evening; the children say they feel safe.",
                )

    def risk(self, journey: Journey, investigation: Investigation, worker: User, report: IntakeReport) -> None:
        answers = {}
        for item in self.risk_items:
            by_score = sorted(item.answers.all(), key=lambda answer: answer.score)
            answers[item.pk] = by_score[-1] if journey.high_risk else by_score[0]
        override_level = ""
        if journey.risk_override:
            total = sum(answer.score for answer in answers.values())
            scored = RISK_LEVEL_ORDER.index(services.level_for(total, settings.KINDRED_RISK_LEVEL_FROM_SCORE))
            # In the demo a policy override raises the level (a low score) and a discretionary one lowers it.
            override_level = RISK_LEVEL_ORDER[scored + (1 if journey.risk_override == RiskOverride.POLICY else -1)]
        services.risk_assessment_record(
            actor=worker,
            investigation=investigation,
            assessed_at=self.at(report, RISK_AT),
            answers=answers,
            override=journey.risk_override,
            override_level=override_level,
            override_reason=OVERRIDE_REASONS.get(journey.risk_override, ""),
        )


def build_investigations(
    *, screener: User, supervisor: User, workers: list[User], families: list[DemoFamily]
) -> list[Investigation]:
    """One report per journey, screened in by `screener` and assigned by `supervisor` to `workers`, whose
    investigation is then worked to the journey's status."""
    reports = build_reports(
        screener=screener,
        supervisor=supervisor,
        workers=workers,
        families=families,
        plans=[journey.report for journey in JOURNEYS],
        first_family=FIRST_FAMILY,
        seed=INVESTIGATION_SEED,
    )
    maker = _JourneyMaker(
        supervisor=supervisor, workers={worker.username: worker for worker in workers}, now=timezone.now()
    )
    return [maker.walk(journey, report) for journey, report in zip(JOURNEYS, reports, strict=True)]
