"""Due soon is a warning, overdue an alarm: the case page marks each alert with its kind, and the style
sheet gives due-soon alerts amber, not the alarm red."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_case_page_marks_a_due_soon_alert_apart_from_an_overdue_one(cast, client_for):
    due_soon = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=27)
    overdue = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    services.visit_alerts_refresh()
    soon = client_for(cast.worker).get(reverse("case_detail", args=[due_soon.public_id])).content.decode()
    late = client_for(cast.worker).get(reverse("case_detail", args=[overdue.public_id])).content.decode()
    assert '<li class="alert-due_soon">' in soon and '<li class="alert-overdue">' not in soon
    assert '<li class="alert-overdue">' in late


def test_the_style_sheet_draws_due_soon_alerts_in_amber():
    css = (Path(settings.BASE_DIR) / "static" / "kindred" / "kindred.css").read_text()
    assert ".alerts .alert-due_soon { color: #6b4a00; }" in css
