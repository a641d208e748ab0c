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

    The access policy adds their one-step relatives, within the user's clearance. An entry leaves out
    whoever the assigned worker must not learn of: a report's reporter is never among them.
    """,
)

people_in_units = ExtensionPoint(
    "families.people_in_units",
    """fn(units) -> queryset of person ids: the people on the records worked in these units (a Unit queryset).

    The access policy adds their one-step relatives, within the user's clearance.
    """,
)


record_restrictions = ExtensionPoint(
    "families.record_restrictions",
    """fn(person_ids) -> queryset of (person id, access restriction) rows: one for each record these people
    (a list or queryset of person ids) are on, with the restriction that record carries.

    A person carries the highest restriction of the records they are on (families.services.
    people_restriction_refresh), kept current by the services that change a record's people or its
    restriction. A person on no record of any entry is on no record at all.
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

merge_checks = ExtensionPoint(
    "families.merge_checks",
    """fn(kept, merged) -> str: why these two records of one person may not be merged yet, or "".

    Read before anything moves; a message stops the merge and is shown to the supervisor as it is.
    """,
)

merge_movers = ExtensionPoint(
    "families.merge_movers",
    """fn(kept, merged, actor) -> dict[str, int]: point every row of the app that links to `merged` at `kept`.

    Foreign keys and many-to-many rows alike, in the merge's transaction; the entry settles what the
    move changes in its own records (a due date that depends on who was seen). Gives back the rows moved
    by kind of link, for the audit entry. A link both records hold in a way that cannot be folded
    raises ValidationError. The merge refuses to finish while any row still links to `merged`.
    """,
)
