"""Demo families for `manage.py seed_demo`: invented people (Faker, fixed seed), made through the real services.

The intake screener records them, as at a hotline: people, where they live, how they are related,
and the ICWA inquiry. The same seed gives the same families on every machine.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from accounts.models import User
from families import services
from families.choices import EnrollmentStatus, HispanicEthnicity, KinResource, Race, ReasonToKnow, RelationshipKind, Sex
from families.models import Person

FAMILY_SEED = 4711
FAMILY_COUNT = 30
STATE = "CA"
# 555-0100 to 555-0199 are reserved for fiction: no demo number rings a real phone.
AREA_CODES = ["209", "530", "559", "661", "916"]

# (races, Hispanic or Latino ethnicity) of a family, roughly as often as in a county's caseload.
BACKGROUNDS = [
    ([Race.WHITE], HispanicEthnicity.NO),
    ([Race.WHITE], HispanicEthnicity.NO),
    ([Race.WHITE], HispanicEthnicity.YES),
    ([Race.WHITE], HispanicEthnicity.YES),
    ([Race.BLACK], HispanicEthnicity.NO),
    ([Race.BLACK], HispanicEthnicity.NO),
    ([Race.AMERICAN_INDIAN], HispanicEthnicity.NO),
    ([Race.ASIAN], HispanicEthnicity.NO),
    ([Race.PACIFIC_ISLANDER], HispanicEthnicity.NO),
    ([Race.BLACK, Race.WHITE], HispanicEthnicity.NO),
    ([Race.UNABLE_TO_DETERMINE], HispanicEthnicity.UNKNOWN),
    ([Race.DECLINED], HispanicEthnicity.DECLINED),
]
TRIBE = "Navajo Nation"
# What the grandparents could be for the children, as a worker would have assessed it.
GRANDPARENT_RESOURCES = [
    KinResource.SUPPORT,
    KinResource.PLACEMENT_AND_SUPPORT,
    KinResource.RULED_OUT,
    KinResource.NONE,
]


@dataclass
class DemoFamily:
    """One household and its relatives, as the report builder needs them."""

    surname: str
    parents: list[Person]
    children: list[Person]
    grandparents: list[Person] = field(default_factory=list)
    kin: list[Person] = field(default_factory=list)
    address: str = ""

    @property
    def mother(self) -> Person:
        return self.parents[0]

    @property
    def partner(self) -> Person | None:
        return self.parents[1] if len(self.parents) > 1 else None


class _FamilyMaker:
    def __init__(self, *, actor: User, today: date):
        self.actor = actor
        self.today = today
        self.fake = Faker("en_US")
        self.fake.seed_instance(FAMILY_SEED)
        self.random = self.fake.random

    def phone(self) -> str:
        return f"({self.random.choice(AREA_CODES)}) 555-01{self.random.randint(0, 99):02d}"

    def born(self, min_age: int, max_age: int) -> date:
        # Never later than a month ago, so a newborn is still born before any demo report was received.
        earliest = self.today - timedelta(days=365 * (max_age + 1) - 1)
        latest = self.today - timedelta(days=max(31, 365 * min_age))
        return earliest + timedelta(days=self.random.randint(0, (latest - earliest).days))

    def person(self, *, sex: str, last_name: str, races, hispanic, **fields) -> Person:
        first_name = self.fake.first_name_female() if sex == Sex.FEMALE else self.fake.first_name_male()
        return services.person_create(
            actor=self.actor,
            first_name=first_name,
            last_name=last_name,
            confirmed_not_duplicate=True,
            sex=sex,
            races=list(races),
            hispanic_ethnicity=hispanic,
            **fields,
        )

    def relate(self, person: Person, relatives: list[Person], kind: str, kin_resource: str = "") -> None:
        for relative in relatives:
            services.relationship_create(
                actor=self.actor, person=person, relative=relative, kind=kind, kin_resource=kin_resource
            )

    def move(self, people: list[Person], *, since: date) -> str:
        line1, city = self.fake.street_address(), self.fake.city()
        line2 = self.fake.secondary_address() if self.random.random() < 0.3 else ""
        postal_code = self.fake.postcode_in_state(STATE)
        for person in people:
            started_on = max(since, person.birth_date or since)
            services.person_move(
                actor=self.actor,
                person=person,
                line1=line1,
                line2=line2,
                city=city,
                state=STATE,
                postal_code=postal_code,
                started_on=started_on,
            )
        return ", ".join(part for part in [line1, line2, city, f"{STATE} {postal_code}"] if part)

    def family(self, index: int) -> DemoFamily:
        races, hispanic = BACKGROUNDS[index % len(BACKGROUNDS)]
        language = "Spanish" if hispanic == HispanicEthnicity.YES and index % 3 == 0 else "English"
        adult = {"races": races, "hispanic": hispanic, "primary_language": language}
        adult["interpreter_needed"] = language != "English"
        surname = self.fake.last_name()

        # A maiden name kept as an alias, so a search by either name finds the mother.
        maiden = self.fake.last_name() if index % 4 == 1 else ""
        mother = self.person(
            sex=Sex.FEMALE,
            last_name=surname,
            birth_date=self.born(22, 44),
            phone=self.phone(),
            aliases=[("", maiden)] if maiden else None,
            **adult,
        )
        parents = [mother]
        two_parents = index % 10 not in (2, 5, 8)
        if two_parents:
            partner_surname = surname if index % 6 else self.fake.last_name()
            parents.append(
                self.person(
                    sex=Sex.MALE,
                    last_name=partner_surname,
                    birth_date=self.born(23, 50),
                    phone=self.phone() if index % 2 else "",
                    **adult,
                )
            )

        children = []
        for child_index in range(1 + index % 4 if index % 7 else 2):
            child = {"races": races, "hispanic": hispanic, "primary_language": "English"}
            if index % 9 == 4 and child_index == 0:
                # The reporter could only guess the child's age.
                child["approximate_age"] = self.random.randint(3, 12)
            else:
                child["birth_date"] = self.born(0 if child_index else 2, 16)
            sex = self.random.choice([Sex.FEMALE, Sex.MALE])
            children.append(self.person(sex=sex, last_name=surname, **child))

        self.relate(mother, children, RelationshipKind.BIRTH_PARENT)
        if two_parents:
            # Every fifth two-parent home has the mother's partner, not the children's father, in it.
            partner_kind = RelationshipKind.PARTNER_OF_PARENT if index % 5 == 3 else RelationshipKind.BIRTH_PARENT
            self.relate(parents[1], children, partner_kind)
            self.relate(mother, [parents[1]], RelationshipKind.SPOUSE_PARTNER)
        for position, child in enumerate(children):
            self.relate(child, children[position + 1 :], RelationshipKind.SIBLING)

        household = [*parents, *children]
        if index % 8 == 3:
            # An earlier address, so the person page shows a history.
            earlier = self.today - timedelta(days=365 * 4)
            self.move([person for person in household if (person.birth_date or earlier) <= earlier], since=earlier)
        address = self.move(household, since=self.today - timedelta(days=self.random.randint(60, 1200)))

        grandparents = []
        if index % 2 == 0:
            grandmother = self.person(
                sex=Sex.FEMALE,
                last_name=maiden or self.fake.last_name(),
                birth_date=self.born(48, 72),
                phone=self.phone(),
                **adult,
            )
            resource = GRANDPARENT_RESOURCES[index // 2 % len(GRANDPARENT_RESOURCES)]
            self.relate(grandmother, children, RelationshipKind.GRANDPARENT, resource)
            self.move([grandmother], since=self.today - timedelta(days=365 * 12))
            grandparents.append(grandmother)
            if index % 4 == 0:
                grandfather = self.person(
                    sex=Sex.MALE, last_name=grandmother.last_name, birth_date=self.born(50, 76), **adult
                )
                self.relate(grandfather, children, RelationshipKind.GRANDPARENT, resource)
                self.relate(grandmother, [grandfather], RelationshipKind.SPOUSE_PARTNER)
                grandparents.append(grandfather)

        kin = []
        if index % 5 == 0:
            aunt = self.person(
                sex=Sex.FEMALE,
                last_name=maiden or self.fake.last_name(),
                birth_date=self.born(25, 45),
                phone=self.phone(),
                **adult,
            )
            self.relate(aunt, children, RelationshipKind.AUNT_UNCLE, KinResource.PLACEMENT)
            self.relate(aunt, [mother], RelationshipKind.SIBLING)
            self.move([aunt], since=self.today - timedelta(days=365 * 3))
            kin.append(aunt)

        self.icwa_inquiry(index, races, children, mother)
        return DemoFamily(
            surname=surname, parents=parents, children=children, grandparents=grandparents, kin=kin, address=address
        )

    def icwa_inquiry(self, index: int, races, children: list[Person], mother: Person) -> None:
        """Asked at intake for some families; in one, the mother is an enrolled member of a tribe."""
        if Race.AMERICAN_INDIAN in races and index < len(BACKGROUNDS):
            services.person_record_icwa_inquiry(
                actor=self.actor,
                person=mother,
                reason_to_know=ReasonToKnow.YES,
                tribes=[(TRIBE, EnrollmentStatus.ENROLLED)],
            )
            answer, tribes = ReasonToKnow.YES, [(TRIBE, EnrollmentStatus.ELIGIBLE)]
        elif index % 6 == 1:
            answer, tribes = ReasonToKnow.NO, []
        elif index % 6 == 4:
            answer, tribes = ReasonToKnow.UNKNOWN, []
        else:
            return
        for child in children:
            services.person_record_icwa_inquiry(actor=self.actor, person=child, reason_to_know=answer, tribes=tribes)


def build_families(*, actor: User, today: date, count: int = FAMILY_COUNT) -> list[DemoFamily]:
    """`count` families recorded by `actor` (an intake screener); the same names on every run."""
    maker = _FamilyMaker(actor=actor, today=today)
    return [maker.family(index) for index in range(count)]
