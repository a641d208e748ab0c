"""What a report must hold, whoever enters it: the rules live in cases.services and hold for pages and API alike."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Clearance
from cases import services
from cases.choices import ReportStatus
from cases.models import IntakeReport
from tests.factories import make_person, make_report

pytestmark = pytest.mark.django_db

UNDER_18 = "A screen-in needs at least one allegation whose alleged victim is under 18"


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def draft(cast, **fields) -> IntakeReport:
    """A complete report with no allegation yet."""
    values = {
        "received_at": timezone.now() - timedelta(hours=1),
        "method": "phone",
        "report_source": "medical",
        "narrative": "Nurse reports bruising on the child's arms.",
        **fields,
    }
    return services.report_create(actor=cast.screener, **values)


def allege(cast, report, victim, perpetrator=None, maltreatment_type="physical_abuse"):
    return services.allegation_add(
        actor=cast.screener, report=report, victim=victim, perpetrator=perpetrator, maltreatment_type=maltreatment_type
    )


def test_it_screens_in_when_an_alleged_victim_is_under_18(cast):
    report = draft(cast)
    allege(cast, report, make_person(cast.screener, age=17))
    services.report_screen_in(actor=cast.screener, report=report, response_priority="immediate")
    report.refresh_from_db()
    assert report.status == ReportStatus.SCREENED_IN


def test_it_counts_an_estimated_age(cast):
    report = draft(cast)
    allege(cast, report, make_person(cast.screener, approximate_age=9))
    services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    report.refresh_from_db()
    assert report.status == ReportStatus.SCREENED_IN


def test_it_refuses_a_screen_in_without_an_allegation(cast):
    report = draft(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    assert UNDER_18 in errors_of(excinfo)["allegations"][0]


def test_it_refuses_a_screen_in_when_every_alleged_victim_is_an_adult(cast):
    report = draft(cast)
    allege(cast, report, make_person(cast.screener, age=19))
    with pytest.raises(ValidationError) as excinfo:
        services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    assert UNDER_18 in errors_of(excinfo)["allegations"][0]


def test_an_unknown_age_does_not_count_as_a_child(cast):
    report = draft(cast)
    allege(cast, report, make_person(cast.screener))
    with pytest.raises(ValidationError) as excinfo:
        services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    assert "allegations" in errors_of(excinfo)


def test_a_withdrawn_allegation_does_not_count(cast):
    report = draft(cast)
    allegation = allege(cast, report, make_person(cast.screener, age=6))
    services.allegation_withdraw(actor=cast.screener, allegation=allegation, reason="Entered on the wrong report")
    with pytest.raises(ValidationError) as excinfo:
        services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    assert "allegations" in errors_of(excinfo)


def test_it_refuses_a_received_time_in_the_future(cast):
    with pytest.raises(ValidationError) as excinfo:
        draft(cast, received_at=timezone.now() + timedelta(hours=1))
    assert "received_at" in errors_of(excinfo)
    report = draft(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.report_update(actor=cast.screener, report=report, received_at=timezone.now() + timedelta(days=1))
    assert "received_at" in errors_of(excinfo)


def test_it_refuses_an_incident_after_the_report_was_received(cast):
    received = timezone.now() - timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        draft(cast, received_at=received, incident_date=timezone.localdate(received) + timedelta(days=1))
    assert errors_of(excinfo)["incident_date"] == ["The incident cannot be after the report was received."]
    report = draft(cast, received_at=received, incident_date=timezone.localdate(received))
    assert report.incident_date == timezone.localdate(received)


def test_a_restriction_needs_a_reason(cast):
    report = draft(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.report_update(actor=cast.screener, report=report, access_restriction=Clearance.SENSITIVE)
    assert "restriction_reason" in errors_of(excinfo)
    services.report_update(
        actor=cast.screener,
        report=report,
        access_restriction=Clearance.SENSITIVE,
        restriction_reason="The mother works in this unit.",
    )
    report.refresh_from_db()
    assert report.access_restriction == Clearance.SENSITIVE


def test_nobody_restricts_a_report_beyond_their_own_clearance(cast):
    # The screener holds the sensitive clearance, not the sealed one.
    report = draft(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.report_update(
            actor=cast.screener, report=report, access_restriction=Clearance.SEALED, restriction_reason="Court order"
        )
    assert "access_restriction" in errors_of(excinfo)
    report.refresh_from_db()
    assert report.access_restriction == Clearance.NONE


def test_submitting_needs_the_essentials(cast):
    report = services.report_create(actor=cast.screener, method="phone")
    with pytest.raises(ValidationError) as excinfo:
        services.report_submit(actor=cast.screener, report=report)
    assert set(errors_of(excinfo)) == {"received_at", "report_source", "narrative"}
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.transitions.exists()


def test_a_screen_out_for_another_reason_needs_notes(cast):
    report = make_report(cast.screener)
    with pytest.raises(ValidationError) as excinfo:
        services.report_screen_out(actor=cast.screener, report=report, reason="other")
    assert "decision_notes" in errors_of(excinfo)


def test_a_final_report_is_changed_only_by_amendment(cast):
    report = make_report(cast.screener)
    services.report_screen_in(actor=cast.screener, report=report, response_priority="5_days")
    child = make_person(cast.screener, age=4)
    attempts = [
        lambda: services.report_update(actor=cast.screener, report=report, narrative="Rewritten"),
        lambda: services.report_add_person(actor=cast.screener, report=report, person=child, role="household_member"),
        lambda: allege(cast, report, child),
        lambda: services.allegation_withdraw(
            actor=cast.screener, allegation=report.allegations.get(), reason="Changed my mind"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    report.refresh_from_db()
    assert report.narrative != "Rewritten"
    assert report.participants.count() == 2
    assert report.allegations.filter(withdrawn_at__isnull=True).count() == 1
    services.report_amend(actor=cast.screener, report=report, field="narrative", value="Rewritten", reason="Typo")
    report.refresh_from_db()
    assert report.narrative == "Rewritten"


def test_an_allegation_is_withdrawn_once_with_a_reason(cast):
    report = make_report(cast.screener)
    allegation = report.allegations.get()
    with pytest.raises(ValidationError) as excinfo:
        services.allegation_withdraw(actor=cast.screener, allegation=allegation, reason=" ")
    assert "reason" in errors_of(excinfo)
    services.allegation_withdraw(actor=cast.screener, allegation=allegation, reason="Same as the other allegation")
    allegation.refresh_from_db()
    assert allegation.withdrawal_reason == "Same as the other allegation"
    with pytest.raises(ValidationError):
        services.allegation_withdraw(actor=cast.screener, allegation=allegation, reason="Again")


def test_the_perpetrator_is_not_the_victim_and_an_allegation_is_not_entered_twice(cast):
    report = draft(cast)
    child = make_person(cast.screener, age=8)
    with pytest.raises(ValidationError) as excinfo:
        allege(cast, report, child, perpetrator=child)
    assert "perpetrator" in errors_of(excinfo)
    allege(cast, report, child)
    with pytest.raises(ValidationError):
        allege(cast, report, child)
    assert report.allegations.count() == 1
