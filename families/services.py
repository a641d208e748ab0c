"""Writes to people, relationships and households. One transaction each, audited."""

from collections import Counter
from datetime import date

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from accounts import access
from accounts.audit import diff, latest_change, log_action
from accounts.models import User
from accounts.roles import Clearance
from common.input import past_date_problem
from common.versions import check_version
from families import selectors
from families.choices import AliasKind, EnrollmentStatus, KinResource, Race, ReasonToKnow, RelationshipKind
from families.extensions import merge_checks, merge_movers, record_restrictions
from families.models import (
    Household,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonAlias,
    PersonName,
    Relationship,
    TribalAffiliation,
)
from families.names import fold_name, phone_digits, sounds_column

POSSIBLE_DUPLICATE = "possible_duplicate"

PERSON_FIELDS = [
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "birth_date",
    "approximate_age",
    "approximate_age_on",
    "sex",
    "races",
    "hispanic_ethnicity",
    "primary_language",
    "interpreter_needed",
    "phone",
    "email",
    "deceased_on",
]


def _refresh_search_names(person: Person) -> None:
    names = {fold_name(person.first_name, person.last_name)}
    names.update(fold_name(alias.first_name, alias.last_name) for alias in person.aliases.all())
    names.discard("")
    PersonName.objects.filter(person=person).delete()
    PersonName.objects.bulk_create(
        [PersonName(person=person, name=name, sounds=sounds_column(name)) for name in sorted(names)]
    )


def _require_not_merged(person: Person) -> None:
    if person.merged_into_id:
        raise ValidationError("This record was merged into another; make the change on that one.")


def _validate_person(person: Person) -> None:
    today = timezone.localdate()
    errors = {}
    birth_date_problem = past_date_problem(person.birth_date, what="The date of birth")
    if birth_date_problem:
        errors["birth_date"] = birth_date_problem
    if person.birth_date and person.approximate_age is not None:
        errors["approximate_age"] = "Give a date of birth or an approximate age, not both."
    if person.approximate_age is not None and person.approximate_age > 120:
        errors["approximate_age"] = "An approximate age is at most 120."
    if person.deceased_on and person.deceased_on > today:
        errors["deceased_on"] = "The date of death cannot be in the future."
    if person.deceased_on and person.birth_date and person.deceased_on < person.birth_date:
        errors["deceased_on"] = "The date of death is before the date of birth."
    unknown = [race for race in person.races if race not in Race.values]
    if unknown:
        errors["races"] = f"Unknown race code: {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    confirmed_not_duplicate: bool = False,
    aliases: list[tuple[str, str]] | None = None,
    **fields,
) -> Person:
    """Create a person, unless likely existing matches were not looked at first.

    When the search finds likely matches and the caller has not confirmed this is someone
    else, a ValidationError lists them so the caller can link the existing person instead.
    """
    access.require_capability(actor, "record_people")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    person = Person(first_name=first_name, last_name=last_name, created_by=actor, **fields)
    if person.approximate_age is not None and person.approximate_age_on is None:
        person.approximate_age_on = timezone.localdate()
    person.phone_digits = phone_digits(person.phone)
    person.full_clean(exclude=["created_by"])
    _validate_person(person)
    alias_rows = [PersonAlias(first_name=first, last_name=last) for first, last in aliases or []]
    for alias in alias_rows:
        try:
            alias.full_clean(exclude=["person"])
        except ValidationError as error:
            raise ValidationError({"aliases": error.messages}) from error
    if not confirmed_not_duplicate:
        matches = selectors.likely_matches(
            user=actor, first_name=first_name, last_name=last_name, birth_date=person.birth_date
        )
        if matches:
            # The code sits on the field's error: a dict given to ValidationError drops its own code.
            message = "Possible existing records: " + "; ".join(_describe(m) for m in matches)
            raise ValidationError(
                {"confirmed_not_duplicate": ValidationError(message, code=POSSIBLE_DUPLICATE)},
            )
    person.save()
    for alias in alias_rows:
        alias.person = person
        alias.save()
    _refresh_search_names(person)
    log_action(actor=actor, action="families.person.created", target=person)
    return person


def may_record_alone(user) -> bool:
    """Whether the user may record a person on no record: only a role reading every person, since recording
    gives no access and nobody else could see the person afterwards. Others record people on the record that
    holds them (a report, a case, a relative's relationship)."""
    return access.has_capability(user, "record_people") and access.reads_every(user, Person)


def person_create_alone(*, actor: User, **arguments) -> Person:
    """person_create for a person on no record (the people pages' and API's own), for those `may_record_alone`."""
    if not may_record_alone(actor):
        raise PermissionDenied
    return person_create(actor=actor, **arguments)


def is_possible_duplicate(error: ValidationError) -> bool:
    """Did person_create stop because likely matches were not looked at?"""
    field_errors = getattr(error, "error_dict", {}).get("confirmed_not_duplicate", [])
    return any(item.code == POSSIBLE_DUPLICATE for item in field_errors)


def _describe(person: Person) -> str:
    born = person.birth_date.isoformat() if person.birth_date else person.age_display
    return f"{person.full_name} ({born}, id {person.public_id})"


@transaction.atomic
def person_update(*, actor: User, person: Person, expected_version: int | None = None, **fields) -> Person:
    """Save a person's details. `expected_version` is the version the editor read: when someone else saved
    the person since, nothing is saved and the error says who changed what (`common.versions`)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not access.can_change(actor, person):
        raise PermissionDenied
    _require_not_merged(person)
    check_version(
        record=person,
        expected=expected_version,
        noun="this person's details",
        last_change=latest_change(person, ["families.person.updated"]),
    )
    if "approximate_age" in fields and "approximate_age_on" not in fields:
        # A new estimate is an estimate as of today; no estimate, no date.
        if fields["approximate_age"] is None:
            fields["approximate_age_on"] = None
        elif fields["approximate_age"] != person.approximate_age:
            fields["approximate_age_on"] = timezone.localdate()
    before = {field: _plain(getattr(person, field)) for field in fields}
    for field, value in fields.items():
        setattr(person, field, value)
    person.phone_digits = phone_digits(person.phone)
    person.version += 1
    person.full_clean(exclude=["created_by"])
    _validate_person(person)
    person.save(update_fields=[*fields, "phone_digits", "version"])
    _refresh_search_names(person)
    changes = diff(before, {field: _plain(getattr(person, field)) for field in fields})
    if changes:
        log_action(actor=actor, action="families.person.updated", target=person, changes=changes)
    return person


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def person_add_alias(*, actor: User, person: Person, first_name: str, last_name: str, kind: str) -> PersonAlias:
    if not access.can_change(actor, person):
        raise PermissionDenied
    _require_not_merged(person)
    if not (first_name or last_name):
        raise ValidationError({"first_name": "Give at least a first or a last name."})
    alias = PersonAlias(person=person, first_name=first_name, last_name=last_name, kind=kind or AliasKind.ALIAS)
    alias.full_clean()
    alias.save()
    _refresh_search_names(person)
    log_action(
        actor=actor, action="families.person.alias_added", target=person, changes={"kind": alias.get_kind_display()}
    )
    return alias


@transaction.atomic
def person_move(
    *, actor: User, person: Person, line1: str, line2: str, city: str, state: str, postal_code: str, started_on: date
) -> PersonAddress:
    """Record a new residence; the current one ends the day the new one starts, so the history stays whole."""
    if not access.can_change(actor, person):
        raise PermissionDenied
    _require_not_merged(person)
    address = PersonAddress(
        person=person,
        line1=line1,
        line2=line2,
        city=city,
        state=state.upper(),
        postal_code=postal_code,
        started_on=started_on,
    )
    address.full_clean()
    current = person.addresses.filter(kind=address.kind, ended_on__isnull=True).first()
    if current and current.started_on > started_on:
        raise ValidationError({"started_on": "The new address starts before the current one did."})
    if current:
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    address.save()
    log_action(actor=actor, action="families.person.address_added", target=person)
    return address


@transaction.atomic
def person_record_icwa_inquiry(
    *, actor: User, person: Person, reason_to_know: str, tribes: list[tuple[str, str]] | None = None
) -> Person:
    """ICWA inquiry: who asked, when, the answer, and the tribes named with enrollment status."""
    if not access.can_change(actor, person):
        raise PermissionDenied
    _require_not_merged(person)
    if reason_to_know not in (ReasonToKnow.YES, ReasonToKnow.NO, ReasonToKnow.UNKNOWN):
        raise ValidationError({"reason_to_know": "Record the answer of the inquiry."})
    tribes = tribes or []
    if reason_to_know == ReasonToKnow.YES and not tribes:
        raise ValidationError({"tribes": "Name at least one tribe when there is reason to know."})
    for tribe, status in tribes:
        if not tribe.strip() or status not in EnrollmentStatus.values:
            raise ValidationError({"tribes": "Each tribe needs a name and an enrollment status."})
    person.icwa_asked_at, person.icwa_asked_by = timezone.now(), actor
    person.icwa_reason_to_know = reason_to_know
    person.save(update_fields=["icwa_asked_at", "icwa_asked_by", "icwa_reason_to_know"])
    for tribe, status in tribes:
        TribalAffiliation.objects.update_or_create(
            person=person, tribe=tribe.strip(), defaults={"enrollment_status": status}
        )
    log_action(
        actor=actor,
        action="families.person.icwa_inquiry",
        target=person,
        changes={"reason_to_know": reason_to_know, "tribes": [f"{tribe} ({status})" for tribe, status in tribes]},
    )
    return person


@transaction.atomic
def relationship_create(
    *, actor: User, person: Person, relative: Person, kind: str, kin_resource: str = "", notes: str = ""
) -> Relationship:
    if not (access.can_change(actor, person) or access.can_change(actor, relative)):
        raise PermissionDenied
    if not access.can_view(actor, person) or not access.can_view(actor, relative):
        raise PermissionDenied
    return _relationship_save(
        actor=actor, person=person, relative=relative, kind=kind, kin_resource=kin_resource, notes=notes
    )


@transaction.atomic
def relationship_create_with_new_relative(
    *,
    actor: User,
    person: Person,
    kind: str,
    relative_first: bool = False,
    kin_resource: str = "",
    notes: str = "",
    confirmed_not_duplicate: bool = False,
    aliases: list[tuple[str, str]] | None = None,
    **relative_fields,
) -> Relationship:
    """Record someone new as a relative of the person, together or not at all.

    '<person> is <kind> <new relative>', or with `relative_first` '<new relative> is <kind> <person>'.
    The new relative is seen through the person, so the actor must be able to change the person and see
    the relative once related: a person seen only as someone's relative passes no sight on to their own
    relatives (one step of kin), and their new relative is recorded from a record they are on instead.
    """
    if not access.can_change(actor, person):
        raise PermissionDenied
    relative = person_create(
        actor=actor, confirmed_not_duplicate=confirmed_not_duplicate, aliases=aliases, **relative_fields
    )
    one, other = (relative, person) if relative_first else (person, relative)
    relationship = _relationship_save(
        actor=actor, person=one, relative=other, kind=kind, kin_resource=kin_resource, notes=notes
    )
    if not access.can_view(actor, relative):
        raise ValidationError(
            f"{person.full_name} is in your work only as someone's relative, so a relative of theirs would be "
            "out of your sight: record them from a report or case they are on."
        )
    return relationship


def _relationship_save(
    *, actor: User, person: Person, relative: Person, kind: str, kin_resource: str, notes: str
) -> Relationship:
    """The checks every relationship passes, the row and its audit entry (the callers decide access)."""
    if person.pk == relative.pk:
        raise ValidationError({"relative": "A person cannot be related to themselves."})
    if person.merged_into_id or relative.merged_into_id:
        raise ValidationError({"relative": "This record was merged; record the relationship on the merged record."})
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": "Choose a relationship."})
    if kin_resource not in KinResource.values:
        raise ValidationError({"kin_resource": "Unknown kin resource value."})
    if Relationship.objects.filter(person=person, relative=relative, kind=kind).exists():
        raise ValidationError({"kind": "This relationship is already recorded."})
    relationship = Relationship.objects.create(
        person=person, relative=relative, kind=kind, kin_resource=kin_resource, notes=notes
    )
    change = {"kind": relationship.get_kind_display(), "with": relative.audit_label()}
    log_action(actor=actor, action="families.relationship.created", target=person, changes=change)
    return relationship


# Restrictions from lowest to highest: a person carries the highest of their records'.
RESTRICTION_ORDER = list(Clearance.values)


def people_restriction_refresh(*, person_ids) -> int:
    """Set each person's restriction to the highest of the records they are on (none when on none).

    For the services that change a record's people or its restriction, in their transaction. One query per
    record kind and at most one update per level, whatever the number of people. Gives back how many changed.
    """
    person_ids = set(person_ids)
    if not person_ids:
        return 0
    highest, on_records = dict.fromkeys(person_ids, 0), set()
    for rows in record_restrictions.call_all(list(person_ids)):
        for person_id, restriction in rows:
            on_records.add(person_id)
            highest[person_id] = max(highest[person_id], RESTRICTION_ORDER.index(restriction))
    changed = 0
    for level, restriction in enumerate(RESTRICTION_ORDER):
        for listed in (True, False):
            ids = [pk for pk, rank in highest.items() if rank == level and (pk in on_records) is listed]
            if ids:
                changed += (
                    Person.objects.filter(pk__in=ids)
                    .exclude(access_restriction=restriction, on_records=listed)
                    .update(access_restriction=restriction, on_records=listed)
                )
    for level, restriction in enumerate(RESTRICTION_ORDER):
        # A record merged away holds the same person's details: it stays behind the survivor's restriction.
        ids = [pk for pk, rank in highest.items() if rank == level]
        changed += (
            Person.objects.filter(merged_into__in=ids)
            .exclude(access_restriction=restriction, on_records=True)
            .update(access_restriction=restriction, on_records=True)
        )
    return changed


# The links of families' own tables, moved by the merge itself (search names are rebuilt instead).
FAMILY_LINKS = [
    (PersonAlias, "person"),
    (PersonAddress, "person"),
    (TribalAffiliation, "person"),
    (HouseholdMember, "person"),
    (Relationship, "person"),
    (Relationship, "relative"),
]


@transaction.atomic
def person_merge(*, actor: User, survivor: Person, duplicate: Person, reason: str) -> Person:
    """Fold a duplicate record into the survivor. Every link moves; the duplicate stays, marked merged.

    The links of other apps' records move through their entries in families.extensions (merge_checks,
    merge_movers); the merge stops, changing nothing, if any row still links to the duplicate afterwards.
    """
    access.require_capability(actor, "merge_people")
    if not (access.can_view(actor, survivor) and access.can_view(actor, duplicate)):
        raise PermissionDenied
    if survivor.pk == duplicate.pk:
        raise ValidationError("Choose two different records.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why these are the same person."})
    survivor, duplicate = (
        Person.objects.select_for_update().get(pk=survivor.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError("One of these records was already merged.")
    for refusal in merge_checks.call_all(survivor, duplicate):
        if refusal:
            raise ValidationError(refusal)
    _drop_links_that_would_collide(survivor, duplicate)
    # Two links to one model (a relationship's person and relative) add up.
    moved = Counter()
    for model, field in FAMILY_LINKS:
        moved.update(person_links_move(model=model, field=field, kept=survivor, merged=duplicate))
    for counts in merge_movers.call_all(survivor, duplicate, actor):
        moved.update(counts)
    PersonAlias.objects.create(
        person=survivor, first_name=duplicate.first_name, last_name=duplicate.last_name, kind=AliasKind.MERGED
    )
    # Records merged into the duplicate earlier now point at the survivor: no chains to follow.
    Person.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into"])
    _refresh_search_names(survivor)
    PersonName.objects.filter(person=duplicate).delete()
    _require_no_links_left(duplicate)
    people_restriction_refresh(person_ids=[survivor.pk, duplicate.pk])
    log_action(
        actor=actor,
        action="families.person.merged",
        target=survivor,
        reason=reason,
        changes={"merged_record": duplicate.audit_label(), "links_moved": dict(moved)},
    )
    log_action(actor=actor, action="families.person.merged_away", target=duplicate, reason=reason)
    return survivor


def person_links_move(*, model: type[Model], field: str, kept: Person, merged: Person) -> dict[str, int]:
    """Point the rows of `model` that link to `merged` through `field` (a foreign key or a many-to-many) at `kept`.

    For merge movers. A many-to-many row `kept` already has (both seen at one contact) is dropped rather
    than doubled. Gives back the rows moved under the link's name, for the audit entry (JSON: plain text).
    """
    link = model._meta.get_field(field)
    if link.many_to_many:
        rows = link.remote_field.through._base_manager
        source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
        rows.filter(**{target: merged, f"{source}__in": rows.filter(**{target: kept}).values(source)}).delete()
        name = f"{model._meta.verbose_name_plural} ({link.verbose_name})"
    else:
        rows, target = model._base_manager, field
        name = str(model._meta.verbose_name_plural)
    try:
        with transaction.atomic():
            count = rows.filter(**{target: merged}).update(**{target: kept})
    except IntegrityError:
        raise ValidationError(
            f"Both records hold the same {model._meta.verbose_name}; correct one of them before merging."
        ) from None
    return {name: count} if count else {}


def _require_no_links_left(merged: Person) -> None:
    """Every row that links to the merged record has moved: a table no mover knows of stops the merge."""
    for relation in Person._meta.related_objects:
        if relation.many_to_many:
            rows = relation.through._base_manager.filter(**{relation.field.m2m_reverse_field_name(): merged})
        else:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: merged})
        if rows.exists():
            raise ImproperlyConfigured(
                f"No merge mover moves {relation.related_model._meta.label}.{relation.field.name}: "
                "register one in families.extensions.merge_movers."
            )


def _drop_links_that_would_collide(survivor: Person, duplicate: Person) -> None:
    """Links the survivor already has (same relative and kind, same tribe) are not moved twice."""
    Relationship.objects.filter(
        Q(person=duplicate, relative=survivor) | Q(person=survivor, relative=duplicate)
    ).delete()
    for mine, theirs in (("person", "relative"), ("relative", "person")):
        held = Relationship.objects.filter(**{mine: survivor}).values_list(theirs, "kind")
        for other, kind in held:
            Relationship.objects.filter(**{mine: duplicate, theirs: other, "kind": kind}).delete()
    # One row per tribe: the survivor's stands; its unknown enrollment status takes the duplicate's.
    for affiliation in TribalAffiliation.objects.filter(person=duplicate):
        held = TribalAffiliation.objects.filter(person=survivor, tribe__iexact=affiliation.tribe).first()
        if held is None:
            continue
        if held.enrollment_status == EnrollmentStatus.UNKNOWN:
            held.enrollment_status = affiliation.enrollment_status
            held.save(update_fields=["enrollment_status"])
        affiliation.delete()


def _join_household(*, actor: User, household: Household, person: Person, started_on: date) -> HouseholdMember:
    if not access.can_change(actor, person):
        raise PermissionDenied
    if person.merged_into_id:
        raise ValidationError({"person": "This record was merged; add the merged record instead."})
    start_problem = past_date_problem(started_on, what="The start of a household membership")
    if start_problem:
        raise ValidationError({"started_on": start_problem})
    if household.memberships.filter(person=person, ended_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.full_name} is already a member of this household."})
    member = HouseholdMember(household=household, person=person, started_on=started_on)
    member.full_clean()
    member.save()
    log_action(
        actor=actor,
        action="families.person.household_joined",
        target=person,
        changes={"household": household.audit_label(), "started_on": started_on.isoformat()},
    )
    return member


@transaction.atomic
def household_create(*, actor: User, name: str, address: str, members: list[Person], started_on: date) -> Household:
    """A household of at least one person; the actor must be able to change every one of them."""
    if not members:
        raise ValidationError({"members": "A household has at least one member."})
    if len({person.pk for person in members}) != len(members):
        raise ValidationError({"members": "Each person is listed once."})
    if any(not access.can_change(actor, person) for person in members):
        raise PermissionDenied
    household = Household(name=name.strip(), address=address.strip())
    household.full_clean()
    household.save()
    log_action(actor=actor, action="families.household.created", target=household)
    for person in members:
        _join_household(actor=actor, household=household, person=person, started_on=started_on)
    return household


@transaction.atomic
def household_add_member(*, actor: User, household: Household, person: Person, started_on: date) -> HouseholdMember:
    household = Household.objects.select_for_update().get(pk=household.pk)
    # A household is worked on through its people: one of its current members must be the actor's to change.
    changeable = access.changeable(actor, Person.objects.all()).values("pk")
    if not household.memberships.filter(ended_on__isnull=True, person__in=changeable).exists():
        raise PermissionDenied
    return _join_household(actor=actor, household=household, person=person, started_on=started_on)


@transaction.atomic
def household_end_member(*, actor: User, membership: HouseholdMember, ended_on: date, reason: str) -> HouseholdMember:
    """The member leaves the household; the membership stays, ended, so the history stays whole."""
    membership = HouseholdMember.objects.select_for_update().select_related("person", "household").get(pk=membership.pk)
    if not access.can_change(actor, membership.person):
        raise PermissionDenied
    if membership.ended_on is not None:
        raise ValidationError("This person already left the household.")
    errors = {}
    if ended_on < membership.started_on:
        errors["ended_on"] = "The day they left is before the day they joined."
    elif ended_on > timezone.localdate():
        errors["ended_on"] = "The day they left cannot be in the future."
    if not reason.strip():
        errors["reason"] = "Say why they left the household."
    if errors:
        raise ValidationError(errors)
    membership.ended_on, membership.end_reason = ended_on, reason.strip()
    membership.save(update_fields=["ended_on", "end_reason"])
    log_action(
        actor=actor,
        action="families.person.household_left",
        target=membership.person,
        reason=membership.end_reason,
        changes={"household": membership.household.audit_label(), "ended_on": ended_on.isoformat()},
    )
    return membership
