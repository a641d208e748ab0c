"""Corrections to records whose content is final: one rule for every record type.

A correction names an amendable field, says why, and changes the value; the old value stays in
the record's own amendment table (`records.models.Amendment`), shown under the record's access
rules, while the audit log names only the field.
"""

from django.core.exceptions import ValidationError
from django.db import models

from accounts.models import User
from records.models import Amendment


def amendment_check(*, noun: str, verb: str, field: str, amendable, reason: str) -> None:
    """Refuse a field that is not amendable or a correction without a reason ("Say why the report is amended.")."""
    if field not in amendable:
        raise ValidationError({"field": f"This part of {noun} cannot be amended."})
    if not reason.strip():
        raise ValidationError({"reason": f"Say why {noun} is {verb}."})


def amendment_write(*, amendments: models.Manager, noun: str, field: str, old, new, reason: str, actor: User):
    """Keep the old value with who changed it and why, in the record's amendment table; refuse a no-op."""
    if old == new:
        raise ValidationError({"value": f"This is the value {noun} already holds."})
    return amendments.create(
        field=field, old_value=Amendment.as_text(old), new_value=Amendment.as_text(new), reason=reason, by=actor
    )
