"""What cases lets the record apps above it add, without knowing them (`records.extensions`).

A report screened in starts the work of a higher app (investigations opens the investigation);
that app's records then say who works the report, and their contacts share the contact pages.
The higher apps fill these points from their `AppConfig.ready()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet

from records.extensions import ExtensionPoint

report_screened_in = ExtensionPoint(
    "report_screened_in",
    "What a screen-in starts: entry(actor=, report=), called inside report_screen_in's transaction.",
)
report_response_due_changed = ExtensionPoint(
    "report_response_due_changed",
    "A screened-in report's first_contact_due_at moved: entry(report=), called inside the change's transaction.",
)
report_assigned = ExtensionPoint(
    "report_assigned",
    "entry(user) -> Q over IntakeReport: the reports behind the higher records assigned to the user.",
)
report_worked_in_units = ExtensionPoint(
    "report_worked_in_units",
    "entry(units) -> Q over IntakeReport: the reports behind the higher records worked in these units (a Unit "
    "queryset). Those units' supervisors see the report and may read its reporter.",
)


@dataclass(frozen=True)
class ContactKind:
    """A higher record type's contact table, shown and corrected on the shared contact pages and API
    (`contacts/<id>/`), which find a contact by its public id in cases' table and then in each kind's.

    model: the concrete `records.models.Contact` table, with `people_seen` and `amendments`.
    record_field: its foreign key to the record, fetched through the access policy from `records()`.
    record_url(record): the record's page.
    amend(actor=, contact=, field=, value=, reason=): the record app's correction service.
    serializer: the API body of one contact with its amendments.
    detail_template: shown on the contact's page with `detail_context(contact)` (what the kind records beyond
    every contact's fields, e.g. an investigation contact's purpose and collateral contacts).
    """

    model: type[models.Model]
    record_field: str
    records: Callable[[], QuerySet]
    record_url: Callable[[models.Model], str]
    amend: Callable[..., Any]
    serializer: type
    detail_template: str = ""
    detail_context: Callable[[models.Model], dict] | None = None


contact_kinds = ExtensionPoint(
    "contact_kinds", "The ContactKind of each higher record type whose contacts share the contact pages and API."
)


@dataclass(frozen=True)
class FollowUp:
    """A higher record type that a screen-in starts (an investigation), reached from the report.

    related_name: the one-to-one from the record to IntakeReport, as the report names it (for select_related).
    url(record): the record's page.
    """

    related_name: str
    url: Callable[[models.Model], str]


report_follow_ups = ExtensionPoint("report_follow_ups", "The FollowUp of each record type a screen-in starts.")


def follow_up_joins() -> list[str]:
    """The report's relations to its follow-up records, for select_related."""
    return [kind.related_name for kind in report_follow_ups]


def follow_up_of(report) -> tuple[models.Model | None, str]:
    """The record a report's screen-in started, and its page's address; (None, "") before a screen-in."""
    for kind in report_follow_ups:
        record = getattr(report, kind.related_name, None)
        if record is not None:
            return record, kind.url(record)
    return None, ""


@dataclass(frozen=True)
class CaseOpener:
    """A higher record type whose closure opens an ongoing case (an investigation), named from the case.

    opened(case): the record of this type that opened the case, or None (one query).
    url(record): the record's page.
    """

    opened: Callable[[models.Model], models.Model | None]
    url: Callable[[models.Model], str]


case_openers = ExtensionPoint("case_openers", "The CaseOpener of each record type whose closure opens a case.")


def opener_of(case) -> tuple[models.Model | None, str]:
    """The record whose closure opened the case, and its page's address; (None, "") for a case opened otherwise."""
    for kind in case_openers:
        record = kind.opened(case)
        if record is not None:
            return record, kind.url(record)
    return None, ""


@dataclass(frozen=True)
class PriorRecord:
    """Another record a person on a report is on, as the prior history of the screening and investigation
    pages lists it: kind ("Report", "Investigation", "Case"), reference, page, status, date, the person's roles
    on it, and a detail (an investigation's disposition)."""

    person_id: int
    kind: str
    reference: str
    url: str
    status: str
    dated: date | datetime | None
    roles: tuple[str, ...] = ()
    detail: str = ""


prior_records = ExtensionPoint(
    "prior_records",
    "entry(user, person_ids, report) -> list[PriorRecord]: the higher records built on other reports "
    "(investigations) these people are on, that the user may see (accounts.access.visible), in a fixed number of "
    "queries. Nothing of a record the user may not see, not even that it exists. Called only with the people who "
    "are on another report, and not at all when none is.",
)
