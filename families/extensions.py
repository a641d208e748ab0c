"""What families must know of the records people are on, filled in by the apps that keep those records.

families knows no record type: the apps above it (cases, investigations, ...) register entries here
from their `AppConfig.ready()`. Each point says what its entries take and give back.
"""

from dataclasses import dataclass
from datetime import date, datetime

from records.extensions import ExtensionPoint

people_assigned = ExtensionPoint(
    "families.people_assigned",
    """fn(user) -> queryset of person ids: the people on the records currently assigned to the user.

    The access policy adds their one-step relatives. An entry leaves out whoever the assigned worker
    must not learn of: a report's reporter is never among them.
    """,
)

people_in_units = ExtensionPoint(
    "families.people_in_units",
    """fn(units) -> queryset of person ids: the people on the records worked in these units (a Unit queryset).

    The access policy adds their one-step relatives.
    """,
)


@dataclass(frozen=True)
class Involvement:
    """A record a person is on, as their page lists it."""

    reference: str
    url: str
    status: str
    dated: date | datetime | None
    roles: list[str]


person_involvement = ExtensionPoint(
    "families.person_involvement",
    """fn(user, person) -> list[Involvement]: the records the person is on, newest first.

    Only records the user may see (accounts.access), with the roles the user may know of; a record on
    which every role of the person is hidden from the user is left out.
    """,
)
