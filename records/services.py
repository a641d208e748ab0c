"""Writes of the shared record machinery: the agency's holidays (configuration, not case records)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from records.models import Holiday


@transaction.atomic
def holiday_add(*, actor: User, date: date, name: str) -> Holiday:
    """An administrator adds a day the agency is closed; working-day deadlines counted from now on skip it."""
    access.require_capability(actor, "manage_holidays")
    holiday = Holiday(date=date, name=name.strip())
    if Holiday.objects.filter(date=date).exists():
        raise ValidationError({"date": f"{date:%B %-d, %Y} is already a holiday."})
    holiday.full_clean()
    holiday.save()
    log_action(actor=actor, action="records.holiday.added", target=holiday)
    return holiday


@transaction.atomic
def holiday_remove(*, actor: User, holiday: Holiday) -> None:
    """An administrator removes a holiday (configuration, so it may go; the audit log keeps what it was)."""
    access.require_capability(actor, "manage_holidays")
    log_action(actor=actor, action="records.holiday.removed", target=holiday)
    holiday.delete()
