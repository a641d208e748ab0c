"""Working days of the agency: weekends and `records.Holiday` dates are not worked.

Deadlines counted in working days (the safety assessment's) keep the local wall-clock time of their
start in the agency's time zone (settings.TIME_ZONE), whatever daylight-saving change lies between.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from records.models import Holiday

SATURDAY = 5


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: datetime, days: int, *, holidays: set[date] | None = None) -> datetime:
    """The moment `days` working days after `start`, at the same local time (agency time zone).

    A start on a non-working day counts from the next working day's same time. Holidays are read in one
    query, unless given (a data migration passes those of its historical model).
    """
    if days < 0:
        raise ValueError("Count working days forward only.")
    agency = timezone.get_default_timezone()
    local = timezone.localtime(start, agency)
    # Enough calendar days for any run of weekends and holidays a real calendar has.
    horizon = local.date() + timedelta(days=days * 2 + 30)
    if holidays is None:
        holidays = set(Holiday.objects.filter(date__gte=local.date(), date__lte=horizon).values_list("date", flat=True))
    day = local.date()
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    for _ in range(days):
        day += timedelta(days=1)
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
    wall_clock = datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(wall_clock, agency)


def holidays_from(first: date) -> set[date]:
    """Every holiday on or after `first`, in one query: the calendar for counting many deadlines at once."""
    return set(Holiday.objects.filter(date__gte=first).values_list("date", flat=True))
