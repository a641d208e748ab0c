"""Writes of the shared record machinery: the agency's holidays (configuration, not case records)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from records.extensions import holidays_changed
from records.models import Holiday


def _deadlines_recounted(day: date) -> int:
    """The higher apps recount the working-day deadlines the changed day moves (`records.extensions`)."""
    return sum(holidays_changed.call_all(day=day))


@transaction.atomic
def holiday_add(*, actor: User, date: date, name: str) -> Holiday:
    """An administrator adds a day the agency is closed: working-day deadlines skip it, those already set on
    open work included (recounted in the same transaction)."""
    access.require_capability(actor, "manage_holidays")
    holiday = Holiday(date=date, name=name.strip())
    if Holiday.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{date:%B %-d, %Y} is already a holiday."})
    holiday.full_clean()
    holiday.save()
    recounted = _deadlines_recounted(date)
    log_action(actor=actor, action="records.holiday.added", target=holiday, changes={"deadlines_moved": recounted})
    return holiday


@transaction.atomic
def holiday_remove(*, actor: User, holiday: Holiday) -> None:
    """An administrator removes a holiday (configuration, so it may go; the audit log keeps what it was): it is a
    working day again, for the deadlines already set on open work too (recounted in the same transaction)."""
    access.require_capability(actor, "manage_holidays")
    Holiday.objects.filter(pk=holiday.pk).delete()
    recounted = _deadlines_recounted(holiday.date)
    log_action(actor=actor, action="records.holiday.removed", target=holiday, changes={"deadlines_moved": recounted})
