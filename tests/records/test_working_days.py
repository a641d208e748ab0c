"""Working-day arithmetic: weekends and the agency's holidays skipped, local time kept (records.calendar)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from records.calendar import add_working_days
from records.models import Holiday

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
UTC = ZoneInfo("UTC")


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def agency_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"


def test_it_counts_weekdays_forward_keeping_the_time():
    assert add_working_days(at(2026, 3, 2, 14, 30), 2) == at(2026, 3, 4, 14, 30)  # Monday → Wednesday


def test_it_skips_the_weekend():
    assert add_working_days(at(2026, 3, 5), 2) == at(2026, 3, 9)  # Thursday → Monday
    assert add_working_days(at(2026, 3, 6), 1) == at(2026, 3, 9)  # Friday → Monday


def test_a_start_at_the_weekend_counts_from_monday():
    assert add_working_days(at(2026, 3, 7, 9), 2) == at(2026, 3, 11, 9)  # Saturday → Wednesday


def test_it_skips_the_agency_holidays():
    Holiday.objects.create(date=date(2026, 11, 26), name="Thanksgiving")
    Holiday.objects.create(date=date(2026, 11, 27), name="Day after Thanksgiving")
    assert add_working_days(at(2026, 11, 25), 2) == at(2026, 12, 1)  # Wednesday → Tuesday


def test_a_holiday_on_a_friday_joins_the_weekend():
    Holiday.objects.create(date=date(2026, 7, 3), name="Independence Day (observed)")
    assert add_working_days(at(2026, 7, 2, 16), 1) == at(2026, 7, 6, 16)  # Thursday → Monday
    assert add_working_days(at(2026, 7, 2, 16), 2) == at(2026, 7, 7, 16)


def test_it_crosses_month_and_year_ends():
    assert add_working_days(at(2026, 4, 30), 2) == at(2026, 5, 4)  # Thursday 30 April → Monday 4 May
    Holiday.objects.create(date=date(2027, 1, 1), name="New Year's Day")
    assert add_working_days(at(2026, 12, 31), 1) == at(2027, 1, 4)  # Thursday → (holiday, weekend) Monday


def test_it_keeps_the_wall_clock_time_across_the_spring_change():
    # Clocks go forward on Sunday 8 March 2026: the deadline is at 10:00 local, one hour less later in UTC.
    start = at(2026, 3, 6, 10)
    due = add_working_days(start, 1)
    assert due == at(2026, 3, 9, 10)
    assert due.utcoffset() != start.utcoffset()
    assert (due.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == (3 * 24 - 1) * 3600


def test_it_keeps_the_wall_clock_time_across_the_autumn_change():
    # Clocks go back on Sunday 1 November 2026.
    start = at(2026, 10, 30, 17, 45)
    due = add_working_days(start, 2)
    assert due == at(2026, 11, 3, 17, 45)
    assert (due.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == (4 * 24 + 1) * 3600


def test_a_start_in_utc_is_counted_in_the_agency_time_zone():
    # 02:00 UTC on Saturday is still Friday evening in Chicago: Friday counts as the start day.
    start = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)
    assert add_working_days(start, 1) == at(2026, 3, 9, 20)


def test_it_reads_the_holidays_in_one_query(django_assert_num_queries):
    Holiday.objects.create(date=date(2026, 12, 25), name="Christmas Day")
    with django_assert_num_queries(1):
        add_working_days(at(2026, 12, 21), 10)
