"""Demo intake reports and ongoing cases for `manage.py seed_demo`, taken through the real workflows.

The screener enters and decides, the unit's supervisor approves, returns and assigns, so every
report carries the transitions, audit entries and notifications a real one would. PLANS lists
where each report ends up: every status, every response priority, a pending downgrade,
sensitive reports and amendments. CASE_PLANS does the same for ongoing cases: members in every
state of the visit rule, children in out-of-home care, a pending and a returned closure.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from accounts.models import User
from accounts.roles import Clearance
from cases import services
from cases.choices import (
    CaseOpenedFor,
    ClosureReason,
    ContactType,
    MaltreatmentType,
    MemberRole,
    ParticipantRole,
    ReceivedMethod,
    ReportSource,
    ReportStatus,
    ResponsePriority,
    SafetyAlert,
    ScreenOutReason,
)
from cases.models import Case, IntakeReport
from demo.families import DemoFamily
from families.choices import Sex
from families.models import Person
from investigations.services import investigation_assign

REPORT_SEED = 2718

Status, Priority, Type, Source, Reason = ReportStatus, ResponsePriority, MaltreatmentType, ReportSource, ScreenOutReason


@dataclass(frozen=True)
class Plan:
    """One demo report: where it ends in the workflow and what happens on the way."""

    status: str
    days_ago: float
    maltreatment: str
    source: str
    priority: str = ""
    worker: str = ""
    screen_out_reason: str = ""
    return_comment: str = ""
    sensitive: bool = False
    amendment: tuple[str, str, str] | None = None
    priority_change: tuple[str, str] | None = None
    perpetrator_unknown: bool = False
    alerts: tuple[str, ...] = ()
    incomplete: bool = False


# The nth plan is about the nth family; plans after the last family start over with the first ones.
PLANS = [
    Plan(
        Status.SCREENED_IN,
        1.2,
        Type.PHYSICAL_ABUSE,
        Source.LAW_ENFORCEMENT,
        Priority.IMMEDIATE,
        "worker3",
        alerts=(SafetyAlert.FIREARMS,),
    ),
    Plan(
        Status.SCREENED_IN, 0.4, Type.SEXUAL_ABUSE, Source.MENTAL_HEALTH, Priority.IMMEDIATE, perpetrator_unknown=True
    ),
    Plan(
        Status.SCREENED_IN,
        6,
        Type.PHYSICAL_ABUSE,
        Source.MEDICAL,
        Priority.IMMEDIATE,
        "worker4",
        amendment=(
            "children_location",
            "Staying with the maternal grandmother since the hospital visit.",
            "The reporter called back: the children are no longer at home.",
        ),
    ),
    Plan(Status.SCREENED_IN, 2.5, Type.NEGLECT, Source.EDUCATION, Priority.THREE_DAYS, "worker3"),
    Plan(
        Status.SCREENED_IN,
        0.15,
        Type.NEGLECT,
        Source.DAY_CARE,
        Priority.THREE_DAYS,
        priority_change=(Priority.FIVE_DAYS, "The children are staying with their grandmother; no present danger."),
    ),
    Plan(Status.SCREENED_IN, 9, Type.EMOTIONAL, Source.FRIEND_NEIGHBOR, Priority.THREE_DAYS, "worker4"),
    Plan(Status.SCREENED_IN, 1, Type.NEGLECT, Source.SOCIAL_SERVICES, Priority.THREE_DAYS),
    Plan(Status.SCREENED_IN, 4, Type.MEDICAL_NEGLECT, Source.MEDICAL, Priority.FIVE_DAYS, "worker3"),
    Plan(Status.SCREENED_IN, 12, Type.NEGLECT, Source.EDUCATION, Priority.FIVE_DAYS, "worker4"),
    Plan(
        Status.SCREENED_IN,
        0.5,
        Type.NEGLECT,
        Source.LAW_ENFORCEMENT,
        Priority.FIVE_DAYS,
        priority_change=(Priority.IMMEDIATE, "Deputies found the children alone overnight on a second call."),
        alerts=(SafetyAlert.DRUG_ACTIVITY,),
    ),
    Plan(
        Status.SCREENED_IN,
        15,
        Type.PHYSICAL_ABUSE,
        Source.EDUCATION,
        Priority.FIVE_DAYS,
        "worker3",
        screen_out_reason=Reason.INSUFFICIENT_INFORMATION,
        return_comment="The school nurse photographed the marks; this meets the standard. Please screen in.",
    ),
    Plan(Status.SCREENED_IN, 18, Type.NEGLECT, Source.OTHER_RELATIVE, Priority.TEN_DAYS, "worker4"),
    Plan(Status.SCREENED_IN, 7, Type.EMOTIONAL, Source.MENTAL_HEALTH, Priority.TEN_DAYS, "worker3"),
    Plan(Status.SCREENED_IN, 2, Type.NEGLECT, Source.ANONYMOUS, Priority.TEN_DAYS),
    Plan(Status.SCREENED_IN, 5, Type.MEDICAL_NEGLECT, Source.MEDICAL, Priority.TEN_DAYS, "worker4"),
    Plan(
        Status.SCREENED_IN,
        0.8,
        Type.PHYSICAL_ABUSE,
        Source.DAY_CARE,
        Priority.THREE_DAYS,
        sensitive=True,
        alerts=(SafetyAlert.HOSTILE_CLIENT,),
    ),
    Plan(Status.SCREENED_OUT, 19, Type.NEGLECT, Source.FRIEND_NEIGHBOR, screen_out_reason=Reason.NO_MALTREATMENT),
    Plan(Status.SCREENED_OUT, 16, Type.NEGLECT, Source.ANONYMOUS, screen_out_reason=Reason.INSUFFICIENT_INFORMATION),
    Plan(
        Status.SCREENED_OUT,
        11,
        Type.NEGLECT,
        Source.EDUCATION,
        screen_out_reason=Reason.COMMUNITY_SERVICES,
        amendment=("reporter_phone", "(916) 555-0142", "The reporter gave a corrected call-back number."),
    ),
    Plan(Status.SCREENED_OUT, 8, Type.OTHER, Source.LAW_ENFORCEMENT, screen_out_reason=Reason.OTHER),
    Plan(Status.AWAITING_APPROVAL, 1.5, Type.NEGLECT, Source.EDUCATION, screen_out_reason=Reason.COMMUNITY_SERVICES),
    Plan(
        Status.AWAITING_APPROVAL, 0.6, Type.EMOTIONAL, Source.FRIEND_NEIGHBOR, screen_out_reason=Reason.NO_MALTREATMENT
    ),
    Plan(Status.AWAITING_APPROVAL, 2, Type.OTHER, Source.DAY_CARE, screen_out_reason=Reason.OTHER),
    Plan(
        Status.RETURNED,
        2.2,
        Type.MEDICAL_NEGLECT,
        Source.MEDICAL,
        screen_out_reason=Reason.NO_MALTREATMENT,
        return_comment="The narrative describes an untreated burn: screen in, or say why it is not medical neglect.",
    ),
    Plan(
        Status.RETURNED,
        4,
        Type.NEGLECT,
        Source.EDUCATION,
        return_comment="Add the children's ages and where they are now before a decision.",
    ),
    Plan(Status.AWAITING_DECISION, 0.3, Type.NEGLECT, Source.EDUCATION),
    Plan(Status.AWAITING_DECISION, 0.5, Type.PHYSICAL_ABUSE, Source.MEDICAL, alerts=(SafetyAlert.DANGEROUS_ANIMAL,)),
    Plan(Status.AWAITING_DECISION, 1, Type.EMOTIONAL, Source.MENTAL_HEALTH, sensitive=True),
    Plan(Status.DRAFT, 0.05, Type.NEGLECT, Source.FRIEND_NEIGHBOR),
    Plan(Status.DRAFT, 0.1, Type.PHYSICAL_ABUSE, Source.ANONYMOUS, incomplete=True),
    # Second reports on families that already have one.
    Plan(Status.SCREENED_OUT, 1.1, Type.PHYSICAL_ABUSE, Source.LAW_ENFORCEMENT, screen_out_reason=Reason.DUPLICATE),
    Plan(Status.SCREENED_OUT, 14, Type.NEGLECT, Source.PARENT, screen_out_reason=Reason.NO_MALTREATMENT),
    Plan(Status.SCREENED_OUT, 20, Type.NEGLECT, Source.OTHER, screen_out_reason=Reason.INSUFFICIENT_INFORMATION),
    Plan(
        Status.AWAITING_APPROVAL, 3.5, Type.NEGLECT, Source.ANONYMOUS, screen_out_reason=Reason.INSUFFICIENT_INFORMATION
    ),
    Plan(
        Status.RETURNED,
        5,
        Type.PHYSICAL_ABUSE,
        Source.LAW_ENFORCEMENT,
        sensitive=True,
        screen_out_reason=Reason.INSUFFICIENT_INFORMATION,
        return_comment="Deputies took photographs; request them and decide again.",
    ),
    Plan(Status.AWAITING_DECISION, 0.7, Type.NEGLECT, Source.FRIEND_NEIGHBOR),
    Plan(Status.AWAITING_DECISION, 2, Type.NEGLECT, Source.SOCIAL_SERVICES),
    Plan(Status.DRAFT, 0.2, Type.NEGLECT, Source.EDUCATION, incomplete=True),
    Plan(Status.DRAFT, 0.02, Type.EMOTIONAL, Source.MENTAL_HEALTH),
    Plan(Status.DRAFT, 3, Type.NEGLECT, Source.DAY_CARE),
]

# Who calls, by NCANDS source: (relationship to the family, mandated reporter).
REPORTERS = {
    Source.SOCIAL_SERVICES: ("Eligibility worker", True),
    Source.MEDICAL: ("Emergency room nurse", True),
    Source.MENTAL_HEALTH: ("Therapist", True),
    Source.LAW_ENFORCEMENT: ("Deputy sheriff", True),
    Source.EDUCATION: ("Teacher", True),
    Source.DAY_CARE: ("Child care provider", True),
    Source.OTHER_RELATIVE: ("Grandparent", False),
    Source.FRIEND_NEIGHBOR: ("Neighbor", False),
    Source.PARENT: ("Parent", False),
    Source.OTHER: ("Landlord", False),
}
NARRATIVES = {
    Type.PHYSICAL_ABUSE: "{child} ({age}) has bruises on both upper arms in the shape of fingers and a mark on the "
    "back like a belt. {child} said the marks came from being punished for spilling a drink.",
    Type.NEGLECT: "{child} ({age}) has arrived hungry and in the same clothes on most days for two weeks, and said "
    "there has been no food in the house since the weekend. The caller says the utilities were shut off.",
    Type.MEDICAL_NEGLECT: "{child} ({age}) has type 1 diabetes. The clinic reports three missed appointments and "
    "no insulin prescription filled for five weeks; the caregiver has not returned calls.",
    Type.SEXUAL_ABUSE: "{child} ({age}) told the counselor that an adult who stays at the home at night touched "
    "{child} inappropriately. The counselor asked no further questions and called the hotline.",
    Type.EMOTIONAL: "The caller hears daily screaming and threats directed at {child} ({age}), who has been seen "
    "locked out of the home for hours in the evening.",
    Type.OTHER: "{child} ({age}) was found walking alone along the highway at night, about two miles from home. "
    "The caregiver said {child} often leaves the house without telling anyone.",
}
SCREEN_OUT_NOTES = {
    Reason.OTHER: "The family lives in the neighbouring county; the report was forwarded to its hotline.",
    Reason.DUPLICATE: "Same incident as the deputies' report received an hour earlier.",
}
DECISION_NOTES = {
    Priority.IMMEDIATE: "Serious injury or a present danger: respond within 24 hours.",
    Priority.THREE_DAYS: "Ongoing danger without an immediate threat.",
    Priority.FIVE_DAYS: "Chronic neglect; the children are seen daily at school.",
    Priority.TEN_DAYS: "Low immediate risk; another adult is caring for the children.",
}
CHILDREN_LOCATIONS = [
    "At school until 3 pm.",
    "At home with the mother.",
    "At the grandmother's home.",
    "At the child care center.",
    "Unknown; the caller believes at home.",
]


class _ReportMaker:
    def __init__(self, *, screener: User, supervisor: User, workers: dict[str, User], now: datetime, seed: int):
        self.screener, self.supervisor, self.workers, self.now = screener, supervisor, workers, now
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.random = self.fake.random

    def reporter(self, plan: Plan, family: DemoFamily) -> tuple[dict, Person | None]:
        if plan.source == Source.ANONYMOUS:
            return {"reporter_anonymous": True}, None
        relationship, mandated = REPORTERS[plan.source]
        person = None
        if plan.source == Source.OTHER_RELATIVE and family.grandparents:
            person = family.grandparents[0]
            name = person.full_name
        elif plan.source == Source.PARENT:
            person = family.mother
            name, relationship = person.full_name, "Mother"
        else:
            name = self.fake.name()
        fields = {
            "reporter_name": name,
            "reporter_relationship": relationship,
            "reporter_phone": f"(916) 555-01{self.random.randint(0, 99):02d}",
            "reporter_mandated": mandated,
            "reporter_wants_feedback": mandated and self.random.random() < 0.5,
        }
        return fields, person

    def report(self, plan: Plan, family: DemoFamily) -> IntakeReport:
        received_at = self.now - timedelta(days=plan.days_ago, minutes=self.random.randint(0, 50))
        victims = family.children[:2] if plan.maltreatment == Type.NEGLECT else family.children[-1:]
        received_on = timezone.localdate(received_at)
        first = victims[0]
        reporter_fields, reporter_person = self.reporter(plan, family)
        fields = {
            "received_at": received_at,
            "report_source": plan.source,
            "incident_date": received_on - timedelta(days=self.random.randint(0, 2)),
            "incident_address": family.address,
            "children_location": self.random.choice(CHILDREN_LOCATIONS),
            "safety_alerts": list(plan.alerts),
            "safety_notes": "Ask the deputies about the call history before the visit." if plan.alerts else "",
            **reporter_fields,
        }
        if not plan.incomplete:
            fields["method"] = ReceivedMethod.WEB if plan.source == Source.ANONYMOUS else ReceivedMethod.PHONE
            fields["narrative"] = NARRATIVES[plan.maltreatment].format(
                child=first.first_name, age=f"age {first.age_on(received_on)}"
            )
        if plan.sensitive:
            fields["access_restriction"] = Clearance.SENSITIVE
            fields["restriction_reason"] = "A parent is employed by the agency."
        report = services.report_create(actor=self.screener, **fields)

        perpetrator = None if plan.perpetrator_unknown else (family.partner or family.mother)
        for victim in victims:
            services.allegation_add(
                actor=self.screener,
                report=report,
                victim=victim,
                perpetrator=perpetrator,
                maltreatment_type=plan.maltreatment,
            )
        for parent in family.parents:
            if parent != perpetrator:
                services.report_add_person(
                    actor=self.screener, report=report, person=parent, role=ParticipantRole.PARENT_CAREGIVER
                )
        if reporter_person is not None:
            services.report_add_person(
                actor=self.screener, report=report, person=reporter_person, role=ParticipantRole.REPORTER
            )
        elif family.kin:
            services.report_add_person(
                actor=self.screener, report=report, person=family.kin[0], role=ParticipantRole.COLLATERAL
            )
        return self.decide(plan, report)

    def decide(self, plan: Plan, report: IntakeReport) -> IntakeReport:
        screener, supervisor = self.screener, self.supervisor
        if plan.status == Status.DRAFT:
            return report
        report = services.report_submit(actor=screener, report=report)
        if plan.return_comment:
            if plan.screen_out_reason:
                report = self.screen_out(plan, report)
            report = services.report_return(actor=supervisor, report=report, comment=plan.return_comment)
        elif plan.screen_out_reason:
            report = self.screen_out(plan, report)
            if plan.status == Status.SCREENED_OUT:
                report = services.report_approve_screen_out(actor=supervisor, report=report)
        if plan.status == Status.SCREENED_IN:
            report = services.report_screen_in(
                actor=screener, report=report, response_priority=plan.priority, notes=DECISION_NOTES[plan.priority]
            )
            if plan.worker:
                investigation_assign(
                    actor=supervisor, investigation=report.investigation, worker=self.workers[plan.worker]
                )
            if plan.priority_change:
                priority, reason = plan.priority_change
                report = services.report_change_priority(
                    actor=screener, report=report, response_priority=priority, reason=reason
                )
        if plan.amendment:
            field, value, reason = plan.amendment
            services.report_amend(actor=screener, report=report, field=field, value=value, reason=reason)
        if report.status != plan.status:
            raise AssertionError(f"Demo report ended {report.status}, planned {plan.status}")
        return report

    def screen_out(self, plan: Plan, report: IntakeReport) -> IntakeReport:
        return services.report_screen_out(
            actor=self.screener,
            report=report,
            reason=plan.screen_out_reason,
            notes=SCREEN_OUT_NOTES.get(plan.screen_out_reason, ""),
        )


def demo_reports_exist(screener: User) -> bool:
    """The demo screener has already recorded people or reports: the demo was loaded before."""
    return (
        IntakeReport.objects.filter(created_by=screener).exists() or Person.objects.filter(created_by=screener).exists()
    )


def build_reports(
    *,
    screener: User,
    supervisor: User,
    workers: list[User],
    families: list[DemoFamily],
    plans: list[Plan] = PLANS,
    first_family: int = 0,
    seed: int = REPORT_SEED,
) -> list[IntakeReport]:
    """One report per plan, entered by `screener`; `supervisor` approves, returns and assigns to `workers`.
    The nth plan is about the family `first_family` + n (counting on from the first family after the last)."""
    maker = _ReportMaker(
        screener=screener,
        supervisor=supervisor,
        workers={worker.username: worker for worker in workers},
        now=timezone.now(),
        seed=seed,
    )
    return [maker.report(plan, families[(first_family + index) % len(families)]) for index, plan in enumerate(plans)]


# Ongoing cases ---------------------------------------------------------------------------------------------------

CASE_SEED = 1618


@dataclass(frozen=True)
class Visit:
    """A contact `days_ago` (local days) with the members named by key: "p0" the mother, "p1" her partner, "c0".."""

    days_ago: float
    seen: tuple[str, ...]
    location: str = "residence"
    contact_type: str = "face_to_face"


@dataclass(frozen=True)
class CasePlan:
    """One demo case: its worker, when it opened, who is on it, and what happened since.

    A member's state follows from the visits: seen within 24 days is visited, 26-29 days ago due
    soon, 35 or more days ago (or never, on a case opened 40+ days ago) overdue.
    """

    worker: str
    opened_days_ago: int
    opened_for: str
    parents: int
    child_ages: tuple[int, ...]
    visits: tuple[Visit, ...] = ()
    # (member key, in out-of-home care since so many days ago, until so many days ago or None)
    in_care: tuple[tuple[str, int, int | None], ...] = ()
    excused: str = ""
    # "requested": the closure awaits the supervisor; "returned": the supervisor sent it back.
    closure: str = ""


# "this month": a visit placed in the current calendar month whatever today's date.
THIS_MONTH = -1.0
CASE_PLANS = [
    CasePlan(
        "worker1",
        65,
        CaseOpenedFor.COURT_ORDERED,
        2,
        (9, 6),
        visits=(
            Visit(60, ("p0", "p1", "c0", "c1")),
            Visit(33, ("p0",), "office", "phone"),
            Visit(4, ("p0", "c1")),
            Visit(THIS_MONTH, ("c0",)),
        ),
        in_care=(("c0", 50, None),),
    ),
    CasePlan(
        "worker1",
        45,
        CaseOpenedFor.VOLUNTARY,
        1,
        (4,),
        visits=(Visit(40, ("p0", "c0")), Visit(27, ("p0", "c0"), "office")),
    ),
    CasePlan(
        "worker1",
        70,
        CaseOpenedFor.COURT_ORDERED,
        2,
        (12, 10, 3),
        visits=(Visit(62, ("p0", "c0", "c1", "c2")), Visit(38, ("c0", "c1", "c2"), "school"), Visit(28, ("c2",))),
        in_care=(("c0", 55, None), ("c1", 55, None)),
        excused="p1",
    ),
    CasePlan(
        "worker1",
        22,
        CaseOpenedFor.INVESTIGATION,
        1,
        (7,),
        visits=(Visit(8, ("p0", "c0")),),
        closure="returned",
    ),
    CasePlan(
        "worker2",
        50,
        CaseOpenedFor.TRANSFER,
        2,
        (15, 11),
        visits=(Visit(45, ("p0", "p1", "c0", "c1")), Visit(3, ("p0", "c0", "c1"), "office")),
        in_care=(("c0", 44, 12),),
    ),
    CasePlan("worker2", 42, CaseOpenedFor.VOLUNTARY, 1, (2, 1)),
    CasePlan(
        "worker2",
        36,
        CaseOpenedFor.COURT_ORDERED,
        2,
        (8,),
        visits=(Visit(29, ("p0", "p1", "c0")), Visit(5, ("c0",)), Visit(THIS_MONTH, ("c0",), "office")),
        in_care=(("c0", 30, None),),
        closure="requested",
    ),
    CasePlan(
        "worker2",
        12,
        CaseOpenedFor.INVESTIGATION,
        2,
        (5, 13),
        visits=(Visit(10, ("p0", "c0", "c1")),),
        excused="p1",
    ),
]
CARE_NOTES = "Placed with a licensed resource family under the detention order."
EXCUSE_REASON = "Whereabouts unknown since the case opened."
DILIGENT_SEARCH = "Checked the county jail roster, DMV, the last known address and the maternal relatives; no trace."
VISIT_NARRATIVE = "Saw {names} as planned. The home is safe and stocked; the children spoke freely and are well."
CONTACT_NARRATIVE = "Spoke with {names} about the service plan and the next appointments."
RETURN_COMMENT = "The father's parenting class is not finished yet; keep the case open until the certificate is in."


class _CaseMaker:
    def __init__(self, *, supervisor: User, workers: dict[str, User], now: datetime):
        self.supervisor, self.workers, self.now = supervisor, workers, now
        self.today = timezone.localdate(now)
        self.fake = Faker("en_US")
        self.fake.seed_instance(CASE_SEED)

    def at(self, days_ago: float, hour: int) -> datetime:
        """A moment on the local day `days_ago` before today; THIS_MONTH: a moment earlier this month."""
        if days_ago == THIS_MONTH:
            start = timezone.make_aware(datetime.combine(self.today.replace(day=1), time()))
            return max(self.now - timedelta(days=2), start + (self.now - start) / 2)
        day = self.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour, self.fake.random.randint(0, 59))))

    def person(self, *, sex: str, last_name: str, age: int) -> dict:
        """Someone recorded as the case opens (recording gives no access: the supervisor sees them through it)."""
        first_name = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        birth_date = self.today - timedelta(days=365 * age + self.fake.random.randint(30, 330))
        return {
            "first_name": first_name,
            "last_name": last_name,
            "confirmed_not_duplicate": True,
            "sex": sex,
            "birth_date": birth_date,
        }

    def case(self, plan: CasePlan) -> Case:
        surname = self.fake.last_name()
        people = {"p0": self.person(sex=Sex.FEMALE, last_name=surname, age=30 + len(plan.child_ages) * 3)}
        if plan.parents > 1:
            people["p1"] = self.person(sex=Sex.MALE, last_name=surname, age=34)
        for index, age in enumerate(plan.child_ages):
            people[f"c{index}"] = self.person(
                sex=self.fake.random.choice([Sex.FEMALE, Sex.MALE]), last_name=surname, age=age
            )
        members = [
            services.NewMember(
                person=None, role=MemberRole.PARENT if key[0] == "p" else MemberRole.CHILD, new_person=fields
            )
            for key, fields in people.items()
        ]
        worker = self.workers[plan.worker]
        case = services.case_open(
            actor=self.supervisor,
            family_name=f"{surname} family",
            opened_for=plan.opened_for,
            unit=self.supervisor.supervised_units.get(),
            members=members,
            primary_worker=worker,
            opened_at=self.at(plan.opened_days_ago, 9),
        )
        # The members were made in the order given: each one is the person of its key.
        joined = case.members.select_related("person").order_by("pk")
        people = {key: member.person for key, member in zip(people, joined, strict=True)}
        by_person = {member.person_id: member for member in joined}
        for key, since, until in plan.in_care:
            services.member_record_care(
                actor=worker,
                member=by_person[people[key].pk],
                in_care_since=self.today - timedelta(days=since),
                in_care_until=self.today - timedelta(days=until) if until is not None else None,
                reason=CARE_NOTES,
            )
        for visit in plan.visits:
            seen = [people[key] for key in visit.seen]
            names = ", ".join(person.first_name for person in seen)
            face_to_face = visit.contact_type == ContactType.FACE_TO_FACE
            services.contact_record(
                actor=worker,
                case=case,
                occurred_at=self.at(visit.days_ago, 10 + len(seen)),
                contact_type=visit.contact_type,
                location=visit.location,
                people_seen=seen,
                seen_privately=face_to_face and any(key[0] == "c" for key in visit.seen),
                narrative=(VISIT_NARRATIVE if face_to_face else CONTACT_NARRATIVE).format(names=names),
            )
        if plan.excused:
            services.member_excuse(
                actor=self.supervisor,
                member=by_person[people[plan.excused].pk],
                reason=EXCUSE_REASON,
                diligent_search_note=DILIGENT_SEARCH,
            )
        if plan.closure:
            case = services.case_request_closure(
                actor=worker, case=case, reason=ClosureReason.NO_FURTHER_SERVICES, note="Goals of the plan are met."
            )
        if plan.closure == "returned":
            case = services.case_return_closure(actor=self.supervisor, case=case, comment=RETURN_COMMENT)
        return case


def demo_cases_exist(supervisor: User) -> bool:
    """The demo supervisor has already opened cases or recorded their families: the cases were loaded before."""
    return Case.objects.filter(opened_by=supervisor).exists() or Person.objects.filter(created_by=supervisor).exists()


def build_cases(*, supervisor: User, workers: list[User]) -> list[Case]:
    """The ongoing cases of `supervisor`'s unit, worked by `workers`, with members in every visit state."""
    maker = _CaseMaker(
        supervisor=supervisor, workers={worker.username: worker for worker in workers}, now=timezone.now()
    )
    return [maker.case(plan) for plan in CASE_PLANS]
