"""Every report reaches a unit whose supervisor sees and assigns it: the screener's own unit, or, for a
screener who belongs to none, the agency's intake unit (INTAKE_UNIT); a report no unit would receive is
refused, on the page and through the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.roles import Role
from cases import services
from cases.models import IntakeReport
from investigations.models import Investigation
from investigations.services import investigation_assign
from tests.factories import make_person, make_staff

pytestmark = pytest.mark.django_db

FIELDS = {"method": "phone", "report_source": "education", "narrative": "A teacher reports bruises."}


@pytest.fixture
def lone_screener(cast):
    """An intake screener who belongs to no unit (a central hotline, say)."""
    return make_staff("hotline-screener", Role.INTAKE_SCREENER)


def test_it_routes_a_report_to_the_screeners_own_unit(cast, settings):
    settings.KINDRED_INTAKE_UNIT = cast.other_unit.name
    report = services.report_create(actor=cast.screener, received_at=timezone.now(), **FIELDS)
    assert report.unit == cast.unit


def test_it_routes_a_report_of_a_screener_without_a_unit_to_the_intake_unit(cast, lone_screener, settings):
    settings.KINDRED_INTAKE_UNIT = cast.other_unit.name
    report = services.report_create(actor=lone_screener, received_at=timezone.now() - timedelta(hours=1), **FIELDS)
    assert report.unit == cast.other_unit
    services.allegation_add(
        actor=lone_screener,
        report=report,
        victim=make_person(lone_screener, age=6),
        perpetrator=None,
        maltreatment_type="neglect",
    )
    services.report_submit(actor=lone_screener, report=report)
    services.report_screen_in(actor=lone_screener, report=report, response_priority="3_days")

    investigation = Investigation.objects.get(report=report)
    assert investigation.unit == cast.other_unit
    assert access.can_view(cast.other_supervisor, investigation)
    assigned = investigation_assign(actor=cast.other_supervisor, investigation=investigation, worker=cast.other_worker)
    assert assigned.assigned_worker == cast.other_worker


def test_it_refuses_a_report_no_unit_would_receive(cast, lone_screener, settings):
    settings.KINDRED_INTAKE_UNIT = ""
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=lone_screener, **FIELDS)
    assert "no supervisor would receive this report" in refused.value.message_dict["unit"][0]
    settings.KINDRED_INTAKE_UNIT = "Hotline Unit"
    with pytest.raises(ValidationError) as misnamed:
        services.report_create(actor=lone_screener, **FIELDS)
    assert "The intake unit 'Hotline Unit' (INTAKE_UNIT) does not exist" in misnamed.value.message_dict["unit"][0]
    assert not IntakeReport.objects.exists()


def test_the_page_says_why_it_cannot_save_an_unroutable_report(cast, lone_screener, client_for, settings):
    settings.KINDRED_INTAKE_UNIT = ""
    received = timezone.localtime() - timedelta(minutes=20)
    response = client_for(lone_screener).post(
        reverse("intake_create"),
        {"received_at": received.strftime("%Y-%m-%dT%H:%M"), "method": "phone", "report_source": "education"},
    )
    assert response.status_code == 200
    assert "You belong to no unit and no intake unit is set" in response.content.decode()
    assert not IntakeReport.objects.exists()


def test_the_api_answers_400_with_the_unit_error(cast, lone_screener, api_for, settings):
    settings.KINDRED_INTAKE_UNIT = ""
    response = api_for(lone_screener).post(
        reverse("api_intake_report_list"), {"received_at": timezone.now().isoformat(), "method": "phone"}, format="json"
    )
    assert response.status_code == 400
    assert "You belong to no unit and no intake unit is set" in response.json()["unit"][0]
    assert not IntakeReport.objects.exists()
