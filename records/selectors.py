"""Reads of the shared record machinery: the agency's holidays."""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from records.models import Holiday


def holidays() -> QuerySet:
    return Holiday.objects.order_by("date")


def holiday_on(day: str) -> Holiday:
    """The holiday on an ISO date (YYYY-MM-DD) from a URL; 404 when the text is no date or no holiday."""
    try:
        on = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    holiday = Holiday.objects.filter(date=on).first()
    if holiday is None:
        raise Http404
    return holiday
