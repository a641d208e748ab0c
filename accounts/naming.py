"""How a case record is named for a viewer: what a worker recognises (the family, the children's first
names and ages, the priority, the due date) beside the short reference, for a viewer who may see the
record; the reference alone for one who may not.

Accounts knows no record type: each record app registers how its models are named (`register`, from
its `AppConfig.ready()`), with the related rows the name reads, so a list fetches them once for all its
rows (`with_titles`) and its queries do not grow with the rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts import access


@dataclass(frozen=True)
class Title:
    """A record's name: its reference, and for those who may see the record who and how urgent it is."""

    reference: str
    family: str = ""
    children: tuple[str, ...] = ()
    priority: str = ""
    due: date | datetime | None = None

    @property
    def due_text(self) -> str:
        if self.due is None:
            return ""
        when = timezone.localtime(self.due) if isinstance(self.due, datetime) else self.due
        return f"due {date_format(when, 'N j')}"

    @property
    def parts(self) -> list[str]:
        """What the name says beside the reference, each part shown only when known."""
        return [part for part in (self.family, ", ".join(self.children), self.priority, self.due_text) if part]

    def __str__(self) -> str:
        return " · ".join([self.reference, *self.parts])


@dataclass(frozen=True)
class _Namer:
    name: Callable[[models.Model], Title]
    prefetch: tuple


_namers: dict[type[models.Model], _Namer] = {}


def register(model: type[models.Model], name: Callable[[models.Model], Title], *, prefetch: Iterable = ()) -> None:
    """Name records of `model` with `name(record)`, which reads the relations `prefetch` fetches."""
    _namers[model] = _Namer(name=name, prefetch=tuple(prefetch))


def child_label(person, today: date) -> str:
    """A child as a title names them: first name and age ("Ana, 7"), or the first name alone."""
    age = person.age_on(today)
    return f"{person.first_name}, {age}" if age is not None else person.first_name


def reference_of(record: models.Model) -> str:
    return getattr(record, "reference", None) or str(record)


def record_title(record: models.Model) -> Title:
    """The record's full name; only for a viewer who may see it (see `title_for`)."""
    namer = _namers.get(type(record))
    return namer.name(record) if namer else Title(reference=reference_of(record))


def title_for(user, record: models.Model) -> Title:
    """The record named for this viewer: in full if they may see it, else by its reference alone."""
    if access.can_view(user, record):
        return record_title(record)
    return Title(reference=reference_of(record))


def with_titles(queryset: QuerySet) -> QuerySet:
    """The queryset fetching what its records' names read, in a fixed number of queries."""
    namer = _namers.get(queryset.model)
    return queryset.prefetch_related(*namer.prefetch) if namer else queryset
