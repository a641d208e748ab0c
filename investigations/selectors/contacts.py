"""Reads of an investigation's people, contacts, cross-reports and prior history, for its page and the API."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import User
from cases.choices import ParticipantRole
from cases.extensions import PriorRecord
from cases.models import Allegation, IntakeReport, ReportParticipant
from cases.selectors.history import PersonHistory, prior_history
from families.models import Person
from investigations.choices import InvestigationStatus
from investigations.models import CollateralContact, CrossReport, Investigation, InvestigationContact
from investigations.selectors.facts import InvestigationFacts


@dataclass
class PersonOnInvestigation:
    person: Person
    roles: list[str]
    age: int | None
    is_alleged_victim: bool


@dataclass(frozen=True)
class ContactRow:
    """One contact as the page lists it: its link, the people seen (names, or "" for no one) and its collaterals,
    read from the prefetched lists once rather than through a queryset at each use in the template."""

    contact: InvestigationContact
    url: str
    seen: str
    collaterals: list[CollateralContact]


@dataclass
class ContactsSection:
    heading: str
    people: list[PersonOnInvestigation]
    history: list[PersonHistory]
    allegations: list[Allegation]
    contacts: list[ContactRow]
    cross_reports: list[CrossReport]
    safety_alerts: list[str]
    safety_notes: str
    can_record: bool


def cross_reports(*, investigation: Investigation) -> QuerySet:
    return CrossReport.objects.filter(investigation=investigation).select_related("investigation", "recorded_by")


def contacts_listed(*, investigation: Investigation) -> list[ContactRow]:
    """The investigation's contacts, newest first, with who recorded them, who was seen and the collaterals."""
    contacts = (
        InvestigationContact.objects.filter(investigation=investigation)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "people_seen",
                queryset=Person.objects.only("first_name", "middle_name", "last_name", "suffix").order_by(
                    "last_name", "first_name"
                ),
                to_attr="seen_listed",
            ),
            Prefetch("collaterals", to_attr="collaterals_listed"),
        )
        .order_by("-occurred_at", "-id")
    )
    return [
        ContactRow(
            contact=contact,
            url=reverse("contact_detail", args=[contact.public_id]),
            seen=", ".join(person.full_name for person in contact.seen_listed),
            collaterals=contact.collaterals_listed,
        )
        for contact in contacts
    ]


def heading_of(people: list[PersonOnInvestigation]) -> str:
    """The family and its children, as staff name an investigation: "Lopez family: Ana (7), Ben (5)"."""
    children = [entry for entry in people if entry.is_alleged_victim]
    families = sorted({entry.person.last_name for entry in children or people if entry.person.last_name})
    names = ", ".join(
        f"{entry.person.first_name}{f' ({entry.age})' if entry.age is not None else ''}" for entry in children
    )
    family = f"{' / '.join(families)} family" if families else "Family"
    return f"{family}: {names}" if names else family


def people_of(history: list[PersonHistory]) -> list[PersonOnInvestigation]:
    today = timezone.localdate()
    return [
        PersonOnInvestigation(
            person=entry.person,
            roles=entry.roles,
            age=entry.person.age_on(today),
            is_alleged_victim=ParticipantRole.ALLEGED_VICTIM.label in entry.roles,
        )
        for entry in history
    ]


def page_section(
    investigation: Investigation,
    user: User,
    *,
    facts: InvestigationFacts | None = None,
    decisions: access.RecordDecisions | None = None,
) -> dict:
    """What the investigation page shows of its people (with their prior history), report, contacts and
    cross-reports (a fixed number of queries, whatever their number; fewer with the page's `facts` and
    `decisions`, which the other sections share)."""
    facts = facts or InvestigationFacts(investigation)
    report = investigation.report
    history = prior_history(user=user, report=report)
    people = people_of(history)
    can_record = (
        investigation.status != InvestigationStatus.CLOSED
        and (decisions or access.decisions(user, investigation)).can_change
    )
    return {
        "contacts_section": ContactsSection(
            heading=heading_of(people),
            people=people,
            history=history,
            allegations=facts.allegations,
            contacts=contacts_listed(investigation=investigation),
            cross_reports=facts.cross_reports,
            safety_alerts=report.safety_alert_labels,
            safety_notes=report.safety_notes,
            can_record=can_record,
        )
    }


def contact_detail_context(contact: InvestigationContact) -> dict:
    """What the shared contact page shows of an investigation's contact beyond every contact's fields."""
    return {"purpose": contact.get_purpose_display(), "collaterals": list(contact.collaterals.all())}


def investigations_of(user: User, person_ids: list[int], report: IntakeReport) -> list[PriorRecord]:
    """The investigations of other reports these people are on (not as reporters) that the user may see,
    with their disposition. One query."""
    rows = (
        ReportParticipant.objects.filter(
            person__in=person_ids, report__investigation__in=access.visible(user, Investigation.objects.all())
        )
        .exclude(report=report)
        .exclude(role=ParticipantRole.REPORTER)
        .select_related("report__investigation")
        .order_by("-report__investigation__created_at", "role", "id")
    )
    found: dict[tuple[int, int], tuple[Investigation, list[str]]] = {}
    for row in rows:
        investigation = row.report.investigation
        found.setdefault((row.person_id, investigation.pk), (investigation, []))[1].append(row.get_role_display())
    return [
        PriorRecord(
            person_id=person_id,
            kind="Investigation",
            reference=investigation.reference,
            url=reverse("investigation_detail", args=[investigation.public_id]),
            status=investigation.get_status_display(),
            dated=investigation.created_at,
            roles=tuple(roles),
            detail=investigation.get_disposition_display() if investigation.disposition else "",
        )
        for (person_id, _), (investigation, roles) in found.items()
    ]
