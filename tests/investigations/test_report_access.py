"""The report behind an investigation: the investigation's worker and unit work it through cases'
extension points, and the supervisor of the investigation's unit may read the reporter; the
supervisor of a unit holding a case opened from the report sees the report, never the reporter."""

import pytest

from accounts import access
from accounts import services as staff
from accounts.roles import Role
from cases import services as casework
from investigations.services import investigation_assign
from tests.factories import approving_administrator, make_investigation, make_person, make_staff, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_elsewhere(cast):
    """A report of cast.unit whose investigation went to the East unit and whose case was opened in the West unit
    (both first supervised by cast.supervisor, who made those moves, then each given its own supervisor)."""
    investigation = make_investigation(cast.screener)
    report = investigation.report
    east, west = make_unit("East Unit"), make_unit("West Unit")
    for unit in (east, west):
        staff.unit_update(
            actor=cast.administrator,
            unit=unit,
            name=unit.name,
            supervisor=cast.supervisor,
            approved_by=approving_administrator(),
        )
    east_worker = make_staff("east-worker", Role.CASEWORKER, unit=east)
    west_worker = make_staff("west-worker", Role.CASEWORKER, unit=west)
    investigation_assign(actor=cast.supervisor, investigation=investigation, worker=east_worker)
    child = report.allegations.get().victim
    casework.case_open(
        actor=cast.supervisor,
        family_name="Report family",
        opened_for="voluntary",
        unit=west,
        members=[casework.NewMember(person=child, role="child")],
        primary_worker=west_worker,
        source_report=report,
    )
    east_supervisor = make_staff("east-supervisor", Role.SUPERVISOR, unit=east)
    west_supervisor = make_staff("west-supervisor", Role.SUPERVISOR, unit=west)
    staff.unit_update(
        actor=cast.administrator,
        unit=east,
        name=east.name,
        supervisor=east_supervisor,
        approved_by=approving_administrator(),
    )
    staff.unit_update(
        actor=cast.administrator,
        unit=west,
        name=west.name,
        supervisor=west_supervisor,
        approved_by=approving_administrator(),
    )
    report.refresh_from_db()
    return report, east_worker, west_worker, east_supervisor, west_supervisor


def test_the_investigations_worker_and_unit_supervisor_see_the_report(cast, worked_elsewhere):
    report, east_worker, west_worker, east_supervisor, west_supervisor = worked_elsewhere
    for user in (east_worker, east_supervisor, west_worker, west_supervisor, cast.supervisor):
        assert access.can_view(user, report), user
    assert not access.can_view(cast.other_supervisor, report)
    assert not access.can_view(make_staff("east-colleague", Role.CASEWORKER, unit=east_worker.unit), report)


def test_the_reporter_is_for_the_reports_and_the_investigations_unit_supervisors_not_the_cases(cast, worked_elsewhere):
    report, east_worker, west_worker, east_supervisor, west_supervisor = worked_elsewhere
    assert access.can_see_reporter(cast.supervisor, report)
    assert access.can_see_reporter(east_supervisor, report)
    assert not access.can_see_reporter(west_supervisor, report)
    assert not access.can_see_reporter(cast.other_supervisor, report)
    assert not access.can_see_reporter(east_worker, report)


def test_a_record_without_a_reporter_names_no_reader(cast):
    assert not access.can_see_reporter(cast.supervisor, make_person(cast.screener))
