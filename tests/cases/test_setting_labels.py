"""Labels that name an agency's rule say what the settings make it, not what the code once assumed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.choices import PRIORITY_ORDER, ResponsePriority
from cases.models import IntakeReport
from tests.factories import make_person, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def slower_responses(settings):
    settings.KINDRED_RESPONSE_HOURS = {"immediate": 48, "3_days": 36, "5_days": 24, "10_days": 336}


def test_it_names_the_response_priorities_with_the_default_deadlines():
    assert [priority.label for priority in PRIORITY_ORDER] == [
        "Immediate (24 hours)",
        "Within 3 days",
        "Within 5 days",
        "Within 10 days",
    ]


def test_it_names_the_response_priorities_with_the_deadlines_set(slower_responses):
    assert dict(ResponsePriority.choices) == {
        "immediate": "Immediate (48 hours)",
        "3_days": "Within 36 hours",
        "5_days": "Within 1 day",
        "10_days": "Within 14 days",
    }


def test_it_shows_the_deadlines_set_on_the_decision_page_and_the_report(cast, client_for, slower_responses):
    report = make_report(cast.screener)
    client = client_for(cast.screener)
    decide = reverse("intake_decide", args=[report.public_id])
    page = client.get(decide).content.decode()
    assert "Immediate (48 hours)" in page and "Within 14 days" in page and "24 hours" not in page
    client.post(decide, {"decision": "screen_in", "response_priority": "immediate"})
    report = IntakeReport.objects.get(pk=report.pk)
    assert report.get_response_priority_display() == "Immediate (48 hours)"
    assert report.first_contact_due_at - report.received_at == timedelta(hours=48)
    assert "Immediate (48 hours)" in client.get(reverse("intake_detail", args=[report.public_id])).content.decode()


def test_it_asks_for_a_victim_under_the_age_limit_set(cast, settings):
    settings.KINDRED_CHILD_AGE_LIMIT = 21
    report = services.report_create(
        actor=cast.screener,
        received_at=timezone.now() - timedelta(hours=1),
        method="phone",
        report_source="medical",
        narrative="A nurse reports bruising.",
    )
    adult = make_person(cast.screener, age=22)
    services.allegation_add(
        actor=cast.screener, report=report, victim=adult, perpetrator=None, maltreatment_type="physical_abuse"
    )
    with pytest.raises(ValidationError) as refused:
        services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    message = refused.value.message_dict["allegations"][0]
    assert "alleged victim is under 21" in message and "18" not in message
    services.allegation_add(
        actor=cast.screener,
        report=report,
        victim=make_person(cast.screener, age=19),
        perpetrator=None,
        maltreatment_type="neglect",
    )
    services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
