"""One approval queue for supervisors across record types.

Each record app registers into `approvals` a function `entry(user) -> list[ApprovalItem]`: its records in
the units the user supervises that wait for the user's decision, in a fixed number of queries whatever their
number. `approvals_for` gathers them, the most urgent first (the nearest due date, then the longest waiting).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

from accounts import access
from accounts.models import User
from records.extensions import ExtensionPoint


@dataclass(frozen=True)
class ApprovalItem:
    """What waits for a supervisor: which record, what is asked, by whom and since when, and where it is decided.

    kind: the record type and what is decided, as staff say it ("Screen-out", "Investigation findings").
    reference / name: the record's short reference and its name (the family, the children).
    asked: what the supervisor is asked to decide.
    due_at: when the decision is due, if anything is due (the record's deadline).
    url: the page where it is decided.
    audit_record: the record itself, which the queue's one list-read audit row names
        (`accounts.audit.log_list_read`).
    """

    kind: str
    reference: str
    name: str
    asked: str
    asked_by: User | None
    asked_at: datetime | None
    due_at: datetime | None
    url: str
    audit_record: models.Model


approvals = ExtensionPoint(
    "approvals",
    "entry(user) -> list[ApprovalItem]: the app's records in the units the user supervises awaiting their decision.",
)


def _urgency(item: ApprovalItem) -> tuple:
    # A due date first (the nearest first), then the longest waiting; an item without either last.
    return (
        item.due_at is None,
        item.due_at.timestamp() if item.due_at else 0.0,
        item.asked_at is None,
        item.asked_at.timestamp() if item.asked_at else 0.0,
        item.reference,
    )


def approvals_for(user: User) -> list[ApprovalItem]:
    """Everything awaiting the user's decision as a supervisor, the most urgent first (none for anyone else)."""
    if not access.has_capability(user, "supervise_units"):
        return []
    items = [item for entry in approvals for item in entry(user)]
    return sorted(items, key=_urgency)
