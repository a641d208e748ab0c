import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import RecordRules
from accounts.roles import Clearance, Role
from common.input import validate_name
from families.choices import (
    INVERSE_LABELS,
    AddressKind,
    AliasKind,
    EnrollmentStatus,
    HispanicEthnicity,
    KinResource,
    Race,
    ReasonToKnow,
    RelationshipKind,
    Sex,
)
from families.extensions import people_assigned, people_in_units


def _people_around(*sources) -> Q:
    """The people of these sources (querysets of person ids, from the records they are on), and their relatives.

    Kin are found and recorded around a case: the worker on a child's investigation sees the
    grandmother they linked to the child, though she is on no report. Only one step: the
    grandmother's other relatives stay out of sight. Subqueries rather than joins, so that a
    person on several reports is still one row. No sources, nobody: access is never open by default.
    """
    q = Q(pk__in=[])
    for people in sources:
        q |= (
            Q(pk__in=people)
            | Q(pk__in=Relationship.objects.filter(relative__in=people).values("person"))
            | Q(pk__in=Relationship.objects.filter(person__in=people).values("relative"))
        )
    return q


def _person_assigned(user) -> Q:
    # Only the records a person is on (and their relatives') give access: recording someone gives none, so a
    # person is recorded together with the record that holds them (a report, a case, a relationship).
    return _people_around(*people_assigned.call_all(user))


def _person_in_units(units) -> Q:
    return _people_around(*people_in_units.call_all(units))


class Person(models.Model):
    """Anyone who appears in a record: children, parents, relatives, perpetrators, reporters."""

    access_rules = RecordRules(
        assigned=_person_assigned,
        in_units=_person_in_units,
        # Screeners search everyone, so that a new report links existing people instead of duplicating them.
        read_all_roles=frozenset({Role.INTAKE_SCREENER, Role.PROGRAM_MANAGER, Role.AUDITOR}),
        change_all_roles=frozenset({Role.INTAKE_SCREENER}),
        # On top of everything above, relatives included: a restricted person is hidden from the uncleared.
        restriction_field="access_restriction",
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100, validators=[validate_name])
    middle_name = models.CharField(max_length=100, blank=True, validators=[validate_name])
    last_name = models.CharField(max_length=100, validators=[validate_name])
    suffix = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Estimated age in years, when the date of birth is not known."
    )
    approximate_age_on = models.DateField(null=True, blank=True, help_text="When the age was estimated.")
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.UNKNOWN)
    races = models.JSONField(default=list, blank=True)
    hispanic_ethnicity = models.CharField(
        max_length=20, choices=HispanicEthnicity.choices, default=HispanicEthnicity.UNKNOWN
    )
    primary_language = models.CharField(max_length=60, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    phone = models.CharField(max_length=30, blank=True)
    phone_digits = models.CharField(max_length=30, blank=True, db_index=True, editable=False)
    email = models.EmailField(blank=True)
    deceased_on = models.DateField(null=True, blank=True)
    icwa_asked_at = models.DateTimeField(null=True, blank=True)
    icwa_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    icwa_reason_to_know = models.CharField(max_length=10, choices=ReasonToKnow.choices, blank=True, default="")
    # The highest restriction of the records the person is on, and whether they are on any: kept by
    # families.services.people_restriction_refresh in the transaction that changes those records.
    access_restriction = models.CharField(
        max_length=20, choices=Clearance.choices, default=Clearance.NONE, db_index=True, editable=False
    )
    on_records = models.BooleanField(default=False, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Provenance only: who recorded a person gives them no access to the person.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # Counts the edits of the person's details; an edit made from an older version is refused (no lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    def audit_label(self) -> str:
        # Names are case content; the audit log names a person by record id only.
        return f"Person {str(self.public_id)[:8]}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.first_name, self.middle_name, self.last_name, self.suffix] if part)

    def age_on(self, day: date) -> int | None:
        """Age in whole years on a day: exact from the birth date, else from the estimate."""
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.approximate_age is not None:
            estimated_on = self.approximate_age_on or self.created_at.date()
            return self.approximate_age + max(0, (day - estimated_on).days // 365)
        return None

    @property
    def race_display(self) -> str:
        labels = [Race(code).label for code in self.races if code in Race.values]
        return ", ".join(labels) or "Not recorded"

    @property
    def age_display(self) -> str:
        today = timezone.localdate()
        age = self.age_on(today)
        if age is None:
            return "Age unknown"
        return f"{age}" if self.birth_date else f"about {age} (estimated)"


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=100, blank=True, validators=[validate_name])
    last_name = models.CharField(max_length=100, blank=True, validators=[validate_name])
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.ALIAS)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonName(models.Model):
    """Search rows: the legal name and every alias, folded to lower-case ASCII "first last".

    Kept by the services; a trigram index on PostgreSQL makes search typo-tolerant, and
    trigrams do not depend on word order, so a swapped first/last name still matches.
    `sounds` holds the Soundex code of each word (" J500 S530 "), for the misspellings that
    change too many trigrams ("Jonh Smiht").
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_names")
    name = models.CharField(max_length=220)
    sounds = models.CharField(max_length=220, blank=True, default="")

    def __str__(self) -> str:
        return self.name


class PersonAddress(models.Model):
    """Addresses with history: the current one has no end date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=20, choices=AddressKind.choices, default=AddressKind.RESIDENCE)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10, blank=True)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return ", ".join(part for part in [self.line1, self.line2, self.city, self.state, self.postal_code] if part)


class TribalAffiliation(models.Model):
    """ICWA: a tribe named for a person, and their enrollment status with it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tribal_affiliations")
    tribe = models.CharField(max_length=200)
    enrollment_status = models.CharField(
        max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.UNKNOWN
    )
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.tribe} ({self.get_enrollment_status_display()})"


class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, help_text="How staff refer to it, e.g. 'Lopez household'.")
    address = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        # A household's name is a family name: case content, kept out of the audit log.
        return f"Household {str(self.public_id)[:8]}"


class HouseholdMember(models.Model):
    # A list of household members shows who lives there: its audit row names each person and household.
    audit_also_names = ("person", "household")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id}"


class Relationship(models.Model):
    """'person is <kind> of relative', read from the other side through INVERSE_LABELS."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=30, choices=RelationshipKind.choices)
    kin_resource = models.CharField(max_length=30, choices=KinResource.choices, blank=True, default="")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="relationship_once_per_kind"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="relationship_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display().lower()} {self.relative}"

    def label_from(self, viewpoint: Person) -> str:
        """How the relationship reads on `viewpoint`'s page: 'Birth parent of X' or 'Child (by birth) of Y'."""
        if viewpoint.pk == self.person_id:
            return self.get_kind_display()
        return INVERSE_LABELS[self.kind]

    def other(self, viewpoint: Person) -> Person:
        return self.relative if viewpoint.pk == self.person_id else self.person
