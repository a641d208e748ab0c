"""Status changes of every record type: a table of allowed moves, one `transition()` and one `may()`.

A record model declares its moves as `workflow = Workflow(history="transitions", moves={...})`,
where `history` is the related name of its concrete `records.models.Transition` table. Services
call `transition()`: it locks the record's row, checks the move against the status read under the
lock, writes the history row, saves the status (with the service's other changed fields) and
writes the audit entry, all in the caller's transaction. Pages and the API ask `may()` to show
or hide an action, so the table is the only place that says which move is allowed when.
`returned()` is the supervisor's return of a record to its worker with a required comment.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts.audit import log_action
from accounts.models import User
from accounts.notifications import notify_about


@dataclass(frozen=True)
class Move:
    """sources -> target (None: the status stays, e.g. a reassignment). `verb` completes
    "A <noun> that is <status> cannot be <verb>."; `audit` is the verb logged."""

    sources: tuple[str, ...]
    target: str | None
    verb: str
    audit: str


@dataclass(frozen=True)
class Workflow:
    noun: str
    history: str
    moves: dict[str, Move] = field(default_factory=dict)
    status_field: str = "status"

    def may(self, record: models.Model, move: str) -> bool:
        return getattr(record, self.status_field) in self.moves[move].sources

    def check(self, record: models.Model, move: str) -> None:
        """Refuse a move the table does not allow from the record's status, in the words of the agency."""
        if not self.may(record, move):
            status = getattr(record, f"get_{self.status_field}_display")().lower()
            article = "An" if self.noun[0] in "aeiou" else "A"
            raise ValidationError(f"{article} {self.noun} that is {status} cannot be {self.moves[move].verb}.")

    def transition(
        self,
        record: models.Model,
        move: str,
        *,
        actor: User,
        comment: str = "",
        save: Iterable[str] = (),
        audit_changes: dict | None = None,
        audit_reason: str = "",
    ) -> models.Model:
        """Make the move on `record` (the caller's instance, with its other changes in `save`), or refuse it."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("transition() runs inside the service's transaction")
        locked = type(record)._default_manager.select_for_update(of=("self",)).filter(pk=record.pk)
        setattr(record, self.status_field, locked.values_list(self.status_field, flat=True).get())
        self.check(record, move)
        step = self.moves[move]
        current = getattr(record, self.status_field)
        target = step.target or current
        getattr(record, self.history).create(from_status=current, to_status=target, by=actor, comment=comment)
        setattr(record, self.status_field, target)
        record.save(update_fields=[self.status_field, *save])
        log_action(actor=actor, action=step.audit, target=record, changes=audit_changes, reason=audit_reason)
        return record


def workflow_of(record: models.Model) -> Workflow:
    workflow = getattr(type(record), "workflow", None)
    if not isinstance(workflow, Workflow):
        raise TypeError(f"{type(record).__name__} declares no workflow")
    return workflow


def may(record: models.Model, move: str) -> bool:
    """Whether the record's workflow allows this move now (pages and API show or hide the action by it)."""
    return workflow_of(record).may(record, move)


def transition(record: models.Model, move: str, **kwargs) -> models.Model:
    return workflow_of(record).transition(record, move, **kwargs)


def returned(
    record: models.Model,
    *,
    move: str,
    actor: User,
    comment: str,
    refusal: str,
    recipients: Iterable[User | None],
    message: str,
    link: str,
    save: Iterable[str] = (),
    key: str = "",
) -> models.Model:
    """A supervisor returns the record to its worker, saying why: without a comment, refused with `refusal` as the
    error of the field `comment`; otherwise the comment is kept as the record's `return_comment`, the move is made
    with it (history row and audit reason), saving too the fields named in `save` the caller has set, and the
    recipients are told `message` (once per `key`, if given). The caller has locked the record and checked that
    the actor supervises it, in its transaction."""
    if not comment.strip():
        raise ValidationError({"comment": refusal})
    record.return_comment = comment
    transition(record, move, actor=actor, comment=comment, save=["return_comment", *save], audit_reason=comment)
    notify_about(record=record, recipients=recipients, message=message, link=link, key=key)
    return record
