"""Reads about people: search, duplicate detection, a person's page. All through the access policy."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from accounts import access
from accounts.audit import log_list_read
from families.extensions import Involvement, person_involvement
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
from families.names import fold_name, phone_digits, sound_keys


def people(user) -> QuerySet:
    """People the user may see, merged-away duplicates left out."""
    return access.visible(user, Person.objects.filter(merged_into__isnull=True))


def _matching_names(query: str) -> QuerySet:
    """Ids of the people with a search row like the query, by spelling or by sound.

    Spelling: trigram similarity (index-served) on PostgreSQL, word containment elsewhere.
    Sound: every word of the query has a word of the name with the same Soundex code, in
    any order; this finds "Jonh Smiht", whose trigrams are too far from "john smith".
    The two are halves of a UNION, each served by its own index: joined by OR in one scan,
    PostgreSQL, which prices a trigram comparison like a comparison of integers, often
    chooses to compare every row of the table instead (hundreds of milliseconds).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(settings.KINDRED_PERSON_SEARCH_THRESHOLD)],
            )
        by_spelling = PersonName.objects.filter(name__trigram_similar=query)
    else:
        by_spelling = PersonName.objects.all()
        for word in query.split():
            by_spelling = by_spelling.filter(name__contains=word)
    matched = by_spelling.values_list("person", flat=True)
    keys = sound_keys(query)
    if not keys:
        return matched
    by_sound = PersonName.objects.all()
    for key in keys:
        by_sound = by_sound.filter(sounds__contains=f" {key} ")
    return matched.union(by_sound.values_list("person", flat=True))


def person_search(*, user, name: str = "", birth_date: date | None = None, phone: str = "", limit: int = 25) -> list:
    """People matching every given criterion, best name match first. Four queries whatever the result size."""
    query, digits = fold_name(name), phone_digits(phone)
    if not (query or birth_date or digits):
        return []
    found = people(user)
    if birth_date:
        found = found.filter(birth_date=birth_date)
    if digits:
        found = found.filter(phone_digits__endswith=digits[-10:])
    ordering = ["last_name", "first_name"]
    if query:
        matched = _matching_names(query)
        if connection.vendor == "postgresql":
            # Given the ids rather than the subquery, PostgreSQL knows how many people matched
            # (its estimate for a trigram match is rough) and fetches them by key instead of
            # reading every person; the score subquery reads only their own names.
            matched = list(matched)
            best = (
                PersonName.objects.filter(person=OuterRef("pk"))
                .annotate(similarity=TrigramSimilarity("name", query))
                .order_by("-similarity")
                .values("similarity")[:1]
            )
            found = found.annotate(score=Subquery(best))
            ordering.insert(0, "-score")
        found = found.filter(pk__in=matched)
    return list(found.order_by(*ordering).prefetch_related("aliases")[:limit])


def likely_matches(*, user, first_name: str, last_name: str, birth_date: date | None = None) -> list:
    """Existing people a new record may duplicate: a similar name, and a birth date that does not contradict."""
    candidates = person_search(user=user, name=f"{first_name} {last_name}", limit=10)
    if birth_date is None:
        return candidates
    return [person for person in candidates if person.birth_date in (None, birth_date)]


def relationships_of(*, user, person: Person) -> list[tuple[str, Person, Relationship]]:
    """(label, other person, relationship) read from the person's side, with people the user may see."""
    seen = access.visible(user, Person.objects.all()).values("pk")
    related = (
        Relationship.objects.filter(Q(person=person, relative__in=seen) | Q(relative=person, person__in=seen))
        .select_related("person", "relative")
        .order_by("kind", "created_at")
    )
    return [(rel.label_from(person), rel.other(person), rel) for rel in related]


@dataclass
class PersonPage:
    person: Person
    aliases: list[PersonAlias]
    current_addresses: list[PersonAddress]
    past_addresses: list[PersonAddress]
    tribal_affiliations: list[TribalAffiliation]
    relationships: list[tuple[str, Person, Relationship]]
    involvement: list[Involvement]
    can_change: bool
    can_merge: bool


def person_page(*, user, person: Person) -> PersonPage:
    """The person, their relationships read from their side, and the records they appear in that the user may see.

    Relationships with people the user may not see are left out, as the policy leaves those people out
    everywhere. The records come from the apps that keep them (families.extensions.person_involvement),
    each showing only what the user may know.
    """
    involvement = [entry for entries in person_involvement.call_all(user, person) for entry in entries]
    addresses = list(person.addresses.all())
    return PersonPage(
        person=person,
        aliases=list(person.aliases.all()),
        current_addresses=[address for address in addresses if address.ended_on is None],
        past_addresses=[address for address in addresses if address.ended_on is not None],
        tribal_affiliations=list(person.tribal_affiliations.order_by("tribe")),
        relationships=relationships_of(user=user, person=person),
        involvement=involvement,
        can_change=access.can_change(user, person),
        can_merge=access.has_capability(user, "merge_people") and person.merged_into_id is None,
    )


def _households_with_current(people: QuerySet) -> QuerySet:
    """Households with a current member among these people: a household is seen through its people."""
    current = HouseholdMember.objects.filter(household=OuterRef("pk"), ended_on__isnull=True, person__in=people)
    return Household.objects.filter(Exists(current))


def households_for(user, person: Person) -> list[Household]:
    """The person's households (current and past) that have a current member the user may see.

    Each carries `visible_memberships`: its members the user may see, current first. Two queries, and the
    audit row of the list read naming every member shown (they are shown wherever this is called).
    """
    seen = access.visible(user, Person.objects.all()).values("pk")
    memberships = (
        HouseholdMember.objects.filter(person__in=seen)
        .select_related("person")
        .order_by(F("ended_on").desc(nulls_first=True), "started_on", "person__last_name")
    )
    households = (
        _households_with_current(seen)
        .filter(memberships__person=person)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"))
        .order_by("-created_at")
    )
    result = list(households)
    log_list_read(user, [m for household in result for m in household.visible_memberships], context="Households")
    for household in result:
        household.current_memberships = [m for m in household.visible_memberships if m.ended_on is None]
        household.past_memberships = [m for m in household.visible_memberships if m.ended_on is not None]
        household.person_membership = next((m for m in household.current_memberships if m.person_id == person.pk), None)
    return result


def household_to_change(user, public_id) -> Household:
    """404 when no current member is visible to the user; 403 when they may change none of them."""
    household = (
        _households_with_current(access.visible(user, Person.objects.all()).values("pk"))
        .filter(public_id=public_id)
        .first()
    )
    if household is None:
        raise Http404
    if (
        not _households_with_current(access.changeable(user, Person.objects.all()).values("pk"))
        .filter(pk=household.pk)
        .exists()
    ):
        raise PermissionDenied
    return household


def household_membership_to_change(user, public_id) -> HouseholdMember:
    """A membership through its person: 404 when the user may not see them, 403 when they may not change them."""
    membership = HouseholdMember.objects.select_related("household").filter(public_id=public_id).first()
    if membership is None:
        raise Http404
    membership.person = access.get_for_change(user, Person.objects.all(), pk=membership.person_id)
    return membership
