"""The dashboards' API: unit figures per worker, my caseload's and the visible caseload's visit status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from cases import services
from reporting import selectors as dashboards
from tests.factories import log_visit, make_case, make_staff

pytestmark = pytest.mark.django_db

UUID_LENGTH = 36


def first_child(case):
    return case.members.filter(role="child").select_related("person").order_by("id").first()


@pytest.fixture
def caseload(cast):
    second = make_staff("worker-two", Role.CASEWORKER, unit=cast.unit)
    overdue = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    log_visit(cast.worker, overdue, first_child(overdue).person)
    due_soon = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=27)
    theirs = make_case(cast.supervisor, worker=second, opened_days_ago=35)
    elsewhere = make_case(cast.other_supervisor, worker=cast.other_worker, opened_days_ago=35)
    return {"overdue": overdue, "due_soon": due_soon, "theirs": theirs, "elsewhere": elsewhere, "second": second}


def ids_in(body) -> set[str]:
    return {row["id"] for row in body["results"]}


def member_ids(*cases) -> set[str]:
    return {str(member.public_id) for case in cases for member in case.members.all()}


def test_the_dashboard_api_gives_the_pages_figures_per_worker_and_for_the_unit(cast, caseload, api_for):
    response = api_for(cast.supervisor).get(reverse("api_dashboard"))
    assert response.status_code == 200
    body = response.json()
    board = dashboards.unit_dashboard(
        dashboards.Scope.build(user=cast.supervisor, units=dashboards.dashboard_units(cast.supervisor))
    )
    assert body["month"] == dashboards.Month.current().key
    assert (body["page"], body["pages"], body["worker_count"]) == (1, 1, 2)
    assert [unit["id"] for unit in body["units"]] == [str(cast.unit.public_id)]
    assert [row["worker"] for row in body["workers"]] == [str(row.worker.public_id) for row in board.rows]
    mine = next(row for row in body["workers"] if row["worker"] == str(cast.worker.public_id))
    expected = next(row for row in board.rows if row.worker == cast.worker)
    assert (mine["cases"], mine["overdue"], mine["due_soon"], mine["requiring"]) == (
        expected.cases,
        expected.overdue,
        expected.due_soon,
        expected.requiring,
    )
    assert mine["compliance_rate"] == expected.compliance_rate
    assert body["totals"]["worker"] is None and body["totals"]["cases"] == 3
    assert len(body["monthly"]) == 12 and body["monthly"][-1]["month"] == body["month"]
    assert set(body["totals"]["federal"]) >= {"child_months", "visited", "visited_rate", "in_residence_rate"}


def test_the_dashboard_api_takes_a_unit_and_a_month(cast, caseload, api_for):
    api = api_for(cast.program_manager)
    both = api.get(reverse("api_dashboard")).json()
    assert {row["worker"] for row in both["workers"]} >= {str(cast.worker.public_id), str(cast.other_worker.public_id)}
    other = api.get(reverse("api_dashboard"), {"unit": cast.other_unit.public_id, "month": "2020-01"}).json()
    assert [row["worker"] for row in other["workers"]] == [str(cast.other_worker.public_id)]
    assert other["month"] == "2020-01" and other["monthly"][0]["month"] == "2019-02"


def test_the_dashboard_api_is_refused_as_the_page_is(cast, caseload, api_for, client):
    for user in (cast.worker, cast.administrator, cast.screener):
        assert api_for(user).get(reverse("api_dashboard")).status_code == 403
    assert client.get(reverse("api_dashboard")).status_code == 403
    other = api_for(cast.other_supervisor).get(reverse("api_dashboard"), {"unit": cast.unit.public_id})
    assert other.status_code == 404


def test_my_work_api_lists_my_caseload_most_urgent_first(cast, caseload, api_for):
    response = api_for(cast.worker).get(reverse("api_my_work"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["id"] for row in rows} == member_ids(caseload["overdue"], caseload["due_soon"])
    statuses = [row["visit_status"] for row in rows]
    assert statuses == ["overdue"] * 2 + ["due_soon"] * 3 + ["visited"]
    assert rows[0]["case"] == str(caseload["overdue"].public_id)
    assert all(len(row[key]) == UUID_LENGTH for row in rows for key in ("id", "case", "person"))
    overdue_only = api_for(cast.worker).get(reverse("api_my_work"), {"status": "overdue"}).json()["results"]
    assert [row["visit_status"] for row in overdue_only] == ["overdue", "overdue"]


def test_the_caseload_api_follows_who_may_see_which_cases(cast, caseload, api_for):
    unit_members = member_ids(caseload["overdue"], caseload["due_soon"], caseload["theirs"])
    assert ids_in(api_for(cast.supervisor).get(reverse("api_caseload_visit_status")).json()) == unit_members
    other = ids_in(api_for(cast.other_supervisor).get(reverse("api_caseload_visit_status")).json())
    assert other == member_ids(caseload["elsewhere"])
    worker = ids_in(api_for(cast.worker).get(reverse("api_caseload_visit_status")).json())
    assert worker == member_ids(caseload["overdue"], caseload["due_soon"])
    due_soon = api_for(cast.supervisor).get(reverse("api_caseload_visit_status"), {"status": "due_soon"}).json()
    assert ids_in(due_soon) == member_ids(caseload["due_soon"])


def test_the_visit_status_apis_refuse_an_unknown_status_and_the_administrator(cast, caseload, api_for):
    assert api_for(cast.worker).get(reverse("api_my_work"), {"status": "late"}).status_code == 400
    for name in ("api_my_work", "api_caseload_visit_status"):
        assert api_for(cast.administrator).get(reverse(name)).status_code == 403


def test_an_excused_member_shows_as_excused_and_a_closed_case_not_at_all(cast, api_for):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=10)
    parent = case.members.get(role="parent")
    services.member_excuse(actor=cast.supervisor, member=parent, reason="Whereabouts unknown")
    closed = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=10)
    services.case_request_closure(actor=cast.worker, case=closed, reason="reunified")
    services.case_approve_closure(actor=cast.supervisor, case=closed)
    rows = api_for(cast.worker).get(reverse("api_my_work")).json()["results"]
    assert {row["id"]: row["visit_status"] for row in rows}[str(parent.public_id)] == "excused"
    assert not member_ids(closed) & {row["id"] for row in rows}


def test_the_caseload_api_costs_the_same_queries_for_one_case_as_for_many(cast, api_for):
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    api = api_for(cast.supervisor)
    with CaptureQueriesContext(connection) as few:
        api.get(reverse("api_caseload_visit_status"))
    for days in (3, 12, 28, 33):
        make_case(cast.supervisor, worker=cast.worker, opened_days_ago=days)
    with CaptureQueriesContext(connection) as many:
        body = api.get(reverse("api_caseload_visit_status")).json()
    assert body["count"] == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_gives_the_members_seen_within_the_interval_and_those_not_yet_due(cast, caseload, api_for):
    body = api_for(cast.supervisor).get(reverse("api_dashboard")).json()
    mine = next(row for row in body["workers"] if row["worker"] == str(cast.worker.public_id))
    # One child seen today; the overdue case's two others overdue; the case opened 27 days ago never visited.
    assert (mine["requiring"], mine["overdue"], mine["seen"], mine["not_yet_due"]) == (6, 2, 1, 3)
    assert mine["seen_rate"] == 16.7 and mine["compliant"] == 4 and mine["compliance_rate"] == 66.7
    assert body["totals"]["seen"] == 1 and body["totals"]["not_yet_due"] == 3
