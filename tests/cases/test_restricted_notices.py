"""A restricted record is never named, in a notification, to someone not cleared for it: the notice goes to a
cleared supervisor of the record or, failing one, to the program managers holding the clearance."""

import pytest

from accounts.models import Notification, User
from accounts.roles import Clearance, Role
from cases import services
from investigations.models import Investigation
from tests.factories import make_case, make_report, make_staff

pytestmark = pytest.mark.django_db


def notices(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def lose_clearance(user: User) -> None:
    """As if an approved change had just taken the sensitive clearance away."""
    User.objects.filter(pk=user.pk).update(clearance_sensitive=False)
    user.refresh_from_db()


def test_a_reassigned_worker_who_lost_the_clearance_is_not_named_the_case(cast):
    cleared = make_staff("cleared-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    successor = make_staff("successor", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    case = make_case(
        cast.supervisor, worker=cleared, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff"
    )
    lose_clearance(cleared)
    Notification.objects.all().delete()
    services.case_assign(actor=cast.supervisor, case=case, worker=successor)
    assert not any(case.reference in message for message in notices(cleared))
    assert f"{case.reference} was assigned to you (Primary worker)." in notices(successor)
    assert any(
        case.reference in message and cleared.display_name in message and "not cleared" in message
        for message in notices(cast.supervisor)
    )


def test_an_uncleared_supervisor_is_not_told_a_sensitive_report_was_screened_in(cast):
    cleared_manager = make_staff("cleared-manager", Role.PROGRAM_MANAGER, clearance_sensitive=True)
    report = make_report(cast.screener, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family")
    lose_clearance(cast.supervisor)
    services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    investigation = Investigation.objects.get(report=report)
    assert not any(investigation.reference in message for message in notices(cast.supervisor))
    assert not notices(cast.program_manager)
    assert any(investigation.reference in message for message in notices(cleared_manager))


def test_a_cleared_recipient_gets_the_notice_as_before(cast):
    report = make_report(cast.screener, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family")
    services.report_screen_out(actor=cast.screener, report=report, reason="insufficient_information")
    assert notices(cast.supervisor) == [f"{report.reference}: a screen-out awaits your approval."]
