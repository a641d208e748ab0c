"""The agency's holidays: administrators list, add and remove them on a page and through the API, audited."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from records.models import Holiday

pytestmark = pytest.mark.django_db


def test_the_administrator_adds_a_holiday_on_the_page(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(reverse("holiday_list"), {"date": "2026-12-25", "name": "Christmas Day"})
    assert response.status_code == 302
    assert list(Holiday.objects.values_list("date", "name")) == [(date(2026, 12, 25), "Christmas Day")]
    assert AuditEvent.objects.get(action="records.holiday.added").target_label == "Christmas Day (2026-12-25)"
    page = client.get(reverse("holiday_list")).content.decode()
    assert "Christmas Day" in page and reverse("holiday_remove", args=["2026-12-25"]) in page


def test_a_date_already_taken_is_refused_and_the_form_keeps_what_was_typed(cast, client_for):
    Holiday.objects.create(date=date(2026, 12, 25), name="Christmas Day")
    response = client_for(cast.administrator).post(reverse("holiday_list"), {"date": "2026-12-25", "name": "Xmas"})
    assert response.status_code == 200
    assert "already a holiday" in response.content.decode() and 'value="Xmas"' in response.content.decode()
    assert Holiday.objects.count() == 1


def test_the_administrator_removes_a_holiday_and_the_audit_log_keeps_it(cast, client_for):
    Holiday.objects.create(date=date(2026, 11, 26), name="Thanksgiving Day")
    client = client_for(cast.administrator)
    url = reverse("holiday_remove", args=["2026-11-26"])
    assert "Thanksgiving Day" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Holiday.objects.exists()
    assert AuditEvent.objects.get(action="records.holiday.removed").target_label == "Thanksgiving Day (2026-11-26)"


def test_a_day_that_is_not_a_date_or_not_a_holiday_is_not_found(cast, client_for):
    client = client_for(cast.administrator)
    assert client.get(reverse("holiday_remove", args=["not-a-date"])).status_code == 404
    assert client.get(reverse("holiday_remove", args=["2026-01-01"])).status_code == 404


def test_the_navigation_shows_holidays_to_administrators_only(cast, client_for):
    assert reverse("holiday_list") in client_for(cast.administrator).get(reverse("home")).content.decode()
    assert reverse("holiday_list") not in client_for(cast.supervisor).get(reverse("home")).content.decode()


def test_the_api_lists_adds_and_removes_holidays(cast, api_for):
    api = api_for(cast.administrator)
    created = api.post(reverse("api_holiday_list"), {"date": "2027-01-01", "name": "New Year's Day"}, format="json")
    assert created.status_code == 201, created.json()
    again = api.post(reverse("api_holiday_list"), {"date": "2027-01-01", "name": "Again"}, format="json")
    assert again.status_code == 400 and "date" in again.json()
    assert api.post(reverse("api_holiday_list"), {"name": "No date"}, format="json").status_code == 400
    assert api.get(reverse("api_holiday_list")).json()["results"] == [{"date": "2027-01-01", "name": "New Year's Day"}]
    assert api.delete(reverse("api_holiday_detail", args=["2027-01-01"])).status_code == 204
    assert not Holiday.objects.exists()
    changes = AuditEvent.objects.filter(action__in=["records.holiday.added", "records.holiday.removed"])
    assert changes.count() == 2


def test_nobody_else_keeps_the_holidays(cast, api_for):
    response = api_for(cast.supervisor).post(
        reverse("api_holiday_list"), {"date": "2027-01-01", "name": "New Year's Day"}, format="json"
    )
    assert response.status_code == 403 and not Holiday.objects.exists()
