"""A restricted record is never named, in a notification, to someone not cleared for it: the notice goes to a
cleared supervisor of the record or, failing one, to the program managers holding the clearance."""

import pytest
from django.urls import reverse

from accounts import access
from accounts.models import Notification, User
from accounts.roles import Clearance, Role
from cases import services
from investigations.models import Investigation
from tests.factories import make_case, make_report, make_staff, make_unit

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


def restricted_caseload(cast) -> tuple:
    """The worker's caseload: one unrestricted case and one sensitive case (the worker cleared for it)."""
    User.objects.filter(pk=cast.worker.pk).update(clearance_sensitive=True)
    cast.worker.refresh_from_db()
    plain = make_case(cast.supervisor, worker=cast.worker)
    sensitive = make_case(
        cast.supervisor, worker=cast.worker, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff"
    )
    return plain, sensitive


def primary_worker(case) -> User:
    return case.assignments.get(ended_at__isnull=True, role="primary").worker


def test_a_bulk_move_leaves_and_lists_the_cases_the_new_worker_is_not_cleared_for(cast, client_for):
    plain, sensitive = restricted_caseload(cast)
    successor = make_staff("successor", Role.CASEWORKER, unit=cast.unit)
    response = client_for(cast.supervisor).post(
        reverse("cases_reassign"),
        {"from_worker": str(cast.worker.public_id), "to_worker": str(successor.public_id)},
        follow=True,
    )
    page = response.content.decode()
    assert f"Moved 1 open case from {cast.worker.display_name} to {successor.display_name}." in page
    assert f"1 case was not moved: {sensitive.reference} ({successor.display_name} is not cleared for them)." in page
    assert primary_worker(plain) == successor
    assert primary_worker(sensitive) == cast.worker


def test_a_bulk_move_leaves_the_cases_the_supervisor_is_not_cleared_for_and_tells_a_cleared_manager(cast, api_for):
    plain, sensitive = restricted_caseload(cast)
    successor = make_staff("successor", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    cleared_manager = make_staff("cleared-manager", Role.PROGRAM_MANAGER, clearance_sensitive=True)
    lose_clearance(cast.supervisor)
    body = {"from_worker": str(cast.worker.public_id), "to_worker": str(successor.public_id)}
    response = api_for(cast.supervisor).post(reverse("api_case_reassign_all"), body)
    assert response.json() == {"moved": 1, "not_moved": [], "not_moved_restricted": 1}
    assert sensitive.reference not in response.content.decode()
    assert primary_worker(plain) == successor
    assert primary_worker(sensitive) == cast.worker
    assert not any(sensitive.reference in message for message in notices(cast.supervisor))
    assert any(f"{sensitive.reference} was not moved" in message for message in notices(cleared_manager))
    # The notices of the move are about cases: listed with them, not with staff and accounts.
    moved = Notification.objects.get(recipient=successor)
    assert "were assigned to you" in moved.message and moved.kind == "Cases"


def test_the_cleared_overseers_are_the_cleared_supervisors_of_the_records_unit_in_a_fixed_number_of_queries(
    cast, django_assert_max_num_queries
):
    worker = make_staff("cleared-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    case = make_case(
        cast.supervisor, worker=worker, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family"
    )

    def other_units(count: int) -> None:
        for _ in range(count):
            other = make_staff(f"other-sup-{User.objects.count()}", Role.SUPERVISOR, clearance_sensitive=True)
            make_unit(supervisor=other)

    other_units(1)
    with django_assert_max_num_queries(4) as few:
        assert access.cleared_overseers(case) == [cast.supervisor]
    other_units(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert access.cleared_overseers(case) == [cast.supervisor]
    # Their own supervisor uncleared: the program managers holding the clearance, not another unit's supervisor.
    lose_clearance(cast.supervisor)
    manager = make_staff("cleared-manager", Role.PROGRAM_MANAGER, clearance_sensitive=True)
    assert access.cleared_overseers(case) == [manager]
