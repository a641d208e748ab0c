"""Demo ongoing cases for `manage.py seed_demo`, taken through the real workflows.

The unit's supervisor opens the cases and excuses, the workers visit and ask for closures, the
supervisor returns one, so every case carries the transitions, audit entries and
notifications a real one would. CASE_PLANS lists them: members in every state of the visit rule,
children in out-of-home care, a pending and a returned closure.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from accounts.models import User
from cases import services
from cases.choices import CaseOpenedFor, ClosureReason, ContactType, MemberRole
from cases.models import Case
from families.choices import Sex
from families.models import Person

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
