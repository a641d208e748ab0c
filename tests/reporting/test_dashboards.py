"""My work and the unit dashboard: every number equals the list behind it, a fixed number of queries,
the federal monthly measure and the members seen within the visit interval on known examples, and who may
see what."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases import services
from cases.choices import VisitStatus
from cases.models import CaseMember
from demo.bench.dashboard import build_unit
from investigations.models import Investigation
from investigations.services.contacts import investigation_contact_record
from reporting import selectors as dashboards
from reporting.selectors import scope as scope_module
from tests.factories import make_case, make_investigation, make_report, make_staff

pytestmark = pytest.mark.django_db

# Each dashboard number, and how to read it from a row of figures.
FIGURES = {
    "cases": lambda row: row.cases,
    "children": lambda row: row.children,
    "overdue": lambda row: row.overdue,
    "due_soon": lambda row: row.due_soon,
    "requiring": lambda row: row.requiring,
    "seen": lambda row: row.seen,
    "not_yet_due": lambda row: row.not_yet_due,
    "visits": lambda row: row.visits,
    "child_months": lambda row: row.federal.child_months,
    "not_visited": lambda row: row.federal.not_visited,
    "care_visits": lambda row: row.federal.visits,
    "investigations": lambda row: row.investigations_past_due,
    "approvals": lambda row: row.approvals,
}


def local(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def visit(actor, case, *people, at=None, location="residence", contact_type="face_to_face"):
    return services.contact_record(
        actor=actor,
        case=case,
        occurred_at=at or timezone.now() - timedelta(minutes=5),
        contact_type=contact_type,
        location=location,
        people_seen=list(people),
        narrative="Saw the family.",
    )


def put_in_care(member, since, until=None):
    """Placements are recorded by the planning work; until then, set the dates the federal measure reads."""
    CaseMember.objects.filter(pk=member.pk).update(in_care_since=since, in_care_until=until)


def children_of(case):
    return list(case.members.filter(role="child").select_related("person").order_by("id"))


def parent_of(case):
    return case.members.select_related("person").get(role="parent")


def scope_for(user, month=None, unit=None):
    _, _, units = dashboards.units_in_view(user, unit.public_id if unit else None)
    return dashboards.Scope.build(user=user, units=units, month=month)


@dataclass
class Unit:
    second: object
    third: object
    shared_case: object


@pytest.fixture
def unit(cast) -> Unit:
    """Three workers, cases opened 5 to 40 days ago, visits in and out of the residence in this month
    and the last, excused members, a closed case, a closure awaiting approval and one returned, children
    in out-of-home care with and without visits, investigations past due or not, a screen-out to approve."""
    second = make_staff("worker-two", Role.CASEWORKER, unit=cast.unit)
    third = make_staff("worker-three", Role.CASEWORKER, unit=cast.unit)
    today = timezone.localdate()
    last_month = dashboards.Month.current().shifted(-1)

    shared = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40, children=3)
    services.case_assign(actor=cast.supervisor, case=shared, worker=second, role="secondary")
    first_child, second_child, third_child = children_of(shared)
    put_in_care(first_child, today - timedelta(days=90))
    put_in_care(second_child, today - timedelta(days=10))
    put_in_care(third_child, today - timedelta(days=90), until=today - timedelta(days=2))
    visit(cast.worker, shared, first_child.person, parent_of(shared).person)
    visit(second, shared, second_child.person, location="school")
    if local(last_month.first.replace(day=15)) > shared.opened_at:
        visit(cast.worker, shared, first_child.person, at=local(last_month.first.replace(day=15)), location="office")

    excused = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    services.member_excuse(actor=cast.supervisor, member=parent_of(excused), reason="Whereabouts unknown")
    due_soon = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=27)
    put_in_care(children_of(due_soon)[0], today - timedelta(days=27))
    returned = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=12)
    services.case_request_closure(actor=cast.worker, case=returned, reason="no_further_services")
    services.case_return_closure(actor=cast.supervisor, case=returned, comment="Visit the father first.")
    fresh = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=5, children=1)
    visit(cast.worker, fresh, *[member.person for member in fresh.members.all()], location="office")

    late = make_case(cast.supervisor, worker=second, opened_days_ago=35)
    put_in_care(children_of(late)[0], today - timedelta(days=200))
    visit(second, late, children_of(late)[0].person, at=timezone.now() - timedelta(days=1))
    awaiting = make_case(cast.supervisor, worker=second, opened_days_ago=8)
    services.case_request_closure(actor=second, case=awaiting, reason="reunified")

    closed = make_case(cast.supervisor, worker=third, opened_days_ago=33)
    put_in_care(children_of(closed)[0], today - timedelta(days=60))
    services.case_request_closure(actor=third, case=closed, reason="moved_away")
    services.case_approve_closure(actor=cast.supervisor, case=closed)
    make_case(cast.supervisor, worker=third, opened_days_ago=20)

    make_investigation(cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(days=5))
    make_investigation(cast.screener, worker=second)
    answered = make_investigation(cast.screener, worker=third, received_at=timezone.now() - timedelta(days=5))
    victim = answered.report.participants.get(role="alleged_victim").person
    investigation_contact_record(
        actor=third,
        investigation=answered,
        # Late, but met; its safety assessment is not yet due.
        occurred_at=timezone.now() - timedelta(hours=2),
        contact_type="face_to_face",
        location="residence",
        people_seen=[victim],
        narrative="First face-to-face contact.",
    )
    make_investigation(cast.screener, received_at=timezone.now() - timedelta(days=5))
    services.report_screen_out(
        actor=cast.screener, report=make_report(cast.screener), reason="insufficient_information"
    )

    make_case(cast.other_supervisor, worker=cast.other_worker, opened_days_ago=40)
    return Unit(second=second, third=third, shared_case=shared)


def rows_of(board):
    return [*board.rows, board.totals]


def listed(scope, metric, worker):
    rows = dashboards.drilldown(scope, metric, worker).rows
    return list(rows)


def test_it_shows_every_number_with_exactly_as_many_rows_behind_it(cast, unit):
    current = dashboards.Month.current()
    for user in (cast.supervisor, cast.program_manager):
        for month in (current, current.shifted(-1)):
            scope = scope_for(user, month)
            board = dashboards.unit_dashboard(scope)
            for row in rows_of(board):
                for metric, figure in FIGURES.items():
                    assert figure(row) == len(listed(scope, metric, row.worker)), (user, month, row.worker, metric)
                requiring = listed(scope, "requiring", row.worker)
                assert row.compliant == len([m for m in requiring if m.visit_status != VisitStatus.OVERDUE])
                assert row.federal.visited == len([m for m in listed(scope, "child_months", row.worker) if m.visited])
                care_visits = listed(scope, "care_visits", row.worker)
                assert row.federal.in_residence == len([m for m in care_visits if m.visit_location == "residence"])


def test_on_the_benchmarks_generated_units_every_number_equals_its_list(db):
    """The dashboard counts in SQL, the drill-downs list with the ORM: on random units (shared cases,
    excused members, children in care, visits in and out of the residence over a year, closures and
    screen-outs awaiting approval, investigations past due), for every month of the chart."""
    benches = [build_unit(label=f"Random unit {seed}", workers=3, cases_per_worker=6, seed=seed) for seed in (1, 2)]
    for bench in benches:
        scope = scope_for(bench.supervisor)
        board = dashboards.unit_dashboard(scope)
        assert board.totals.cases == bench.cases and board.totals.federal.child_months
        for row in rows_of(board):
            for metric, figure in FIGURES.items():
                assert figure(row) == len(listed(scope, metric, row.worker)), (row.worker, metric)
        for point in board.chart:
            month_scope = scope_for(bench.supervisor, point.month)
            assert point.federal.child_months == len(listed(month_scope, "child_months", None)), point.month
            assert point.federal.visits == len(listed(month_scope, "care_visits", None)), point.month
            assert point.federal.visited == len([m for m in listed(month_scope, "child_months", None) if m.visited])


def test_the_benchmarks_generated_investigations_have_child_deadlines_some_past_due(db):
    """So the benchmark measures the "investigations with a deadline passed" figure too, not a zero."""
    bench = build_unit(label="Deadline unit", workers=3, cases_per_worker=2)
    investigations = Investigation.objects.filter(unit=bench.unit).prefetch_related("child_deadlines")
    assert all(investigation.child_deadlines.all() for investigation in investigations)
    past_due = dashboards.unit_dashboard(scope_for(bench.supervisor)).totals.investigations_past_due
    assert 0 < past_due < len(investigations)
    assert past_due == len(listed(scope_for(bench.supervisor), "investigations", None))


def test_the_generated_unit_is_not_empty_so_the_comparison_means_something(cast, unit):
    board = dashboards.unit_dashboard(scope_for(cast.supervisor))
    totals = board.totals
    assert [row.worker for row in board.rows] == sorted(
        [cast.worker, unit.second, unit.third], key=lambda user: (user.last_name, user.first_name, user.username)
    )
    assert totals.cases == 8 and totals.overdue and totals.due_soon and totals.visits
    assert totals.federal.child_months and totals.federal.visited and totals.federal.not_visited
    assert totals.investigations_past_due == 2  # the worker's, and an unassigned one; not the answered one
    assert totals.approvals == 2  # a closure request and a screen-out
    by_worker = {row.worker: row for row in board.rows}
    assert by_worker[cast.worker].cases == 5 and by_worker[unit.second].cases == 3  # the shared case counts for both
    assert by_worker[unit.third].cases == 1  # the closed case is not open
    assert by_worker[unit.second].approvals == 1 and by_worker[cast.worker].approvals == 0


def test_the_drill_down_pages_list_as_many_rows_as_the_dashboard_shows(cast, unit, client_for):
    client = client_for(cast.supervisor)
    board = dashboards.unit_dashboard(scope_for(cast.supervisor))
    for row in rows_of(board):
        query = f"?worker={row.worker.public_id}" if row.worker else ""
        for metric, figure in FIGURES.items():
            response = client.get(reverse("dashboard_drilldown", args=[metric]) + query)
            assert response.status_code == 200
            assert response.context["page"].paginator.count == figure(row), (row.worker, metric)


def test_the_dashboard_page_links_each_number_to_its_list(cast, unit, client_for):
    response = client_for(cast.supervisor).get(reverse("supervisor_dashboard"))
    assert response.status_code == 200
    board = response.context["dashboard"]
    worker_row = next(row for row in board.rows if row.worker == cast.worker)
    overdue_link = f"{reverse('dashboard_drilldown', args=['overdue'])}?{response.context['filters']}"
    assert (
        f'href="{overdue_link}&amp;worker={cast.worker.public_id}">{worker_row.overdue}</a>'
        in response.content.decode()
    )
    assert cast.other_worker.display_name not in response.content.decode()


def test_the_supervisor_dashboard_costs_the_same_queries_for_2_cases_as_for_30(cast, client_for):
    """30 cases through the real services (200 would take a minute to open one by one; see the next test)."""
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=3)
    client = client_for(cast.supervisor)
    url = reverse("supervisor_dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    second = make_staff("worker-two", Role.CASEWORKER, unit=cast.unit)
    for index in range(28):
        case = make_case(cast.supervisor, worker=(cast.worker, second)[index % 2], opened_days_ago=5 + index)
        visit(cast.worker if index % 2 == 0 else second, case, children_of(case)[0].person)
        put_in_care(children_of(case)[0], timezone.localdate() - timedelta(days=30 + index))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_supervisor_dashboard_costs_the_same_queries_for_2_cases_as_for_200(db, client):
    """The benchmark's bulk loader: one worker with 2 cases, then 8 workers with 25 cases each."""
    small = build_unit(label="Small unit", workers=1, cases_per_worker=2)
    large = build_unit(label="Large unit", workers=8, cases_per_worker=25)
    assert large.cases == 200
    counts = []
    for bench in (small, large):
        client.force_login(bench.supervisor)
        client.get(reverse("supervisor_dashboard"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("supervisor_dashboard"))
        assert response.status_code == 200
        assert response.context["dashboard"].totals.cases == bench.cases
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_drill_down_costs_the_same_queries_for_few_rows_as_for_many(db):
    clients = []
    for bench in (
        build_unit(label="Small unit", workers=1, cases_per_worker=2),
        build_unit(label="Large unit", workers=2, cases_per_worker=40),
    ):
        client = Client()
        client.force_login(bench.supervisor)
        client.get(reverse("supervisor_dashboard"))
        clients.append(client)
    for metric in dashboards.METRICS:
        counts = []
        for client in clients:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("dashboard_drilldown", args=[metric]))
            assert response.status_code == 200
            counts.append((len(queries.captured_queries), response.context["page"].paginator.count > 0))
        # An empty page skips the query for its rows; any rows at all cost the same queries. Approvals list two
        # kinds of record (closures, reports), each named with one query that an empty kind skips.
        skipped = 1 if metric == "approvals" else 0
        assert counts[0][0] <= counts[1][0] <= counts[0][0] + skipped or (
            not counts[0][1] and counts[0][0] < counts[1][0]
        ), (metric, counts)


def test_the_federal_measure_counts_child_months_visited_and_visits_in_the_residence(cast):
    """Last month: of four children, three were in care during the month; two of them were visited,
    one twice. Three visits to children in care, two of them in the residence."""
    month = dashboards.Month.current().shifted(-1)
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=70, children=4)
    all_month, from_mid_month, left_before, never_visited = children_of(case)
    put_in_care(all_month, month.first - timedelta(days=30))
    put_in_care(from_mid_month, month.first + timedelta(days=14))
    put_in_care(left_before, month.first - timedelta(days=60), until=month.first - timedelta(days=1))
    put_in_care(never_visited, month.first - timedelta(days=5))
    day = month.first.replace
    visit(cast.worker, case, all_month.person, left_before.person, parent_of(case).person, at=local(day(day=5)))
    visit(cast.worker, case, all_month.person, at=local(day(day=20)), location="school")
    visit(cast.worker, case, from_mid_month.person, at=local(day(day=21), 23, 59))
    visit(cast.worker, case, never_visited.person, at=local(month.first - timedelta(days=1), 23, 59))
    visit(cast.worker, case, never_visited.person, at=local(month.first), contact_type="phone")

    expected = dashboards.Federal(child_months=3, visited=2, visits=3, in_residence=2)
    board = dashboards.unit_dashboard(scope_for(cast.supervisor, month))
    assert board.totals.federal == expected
    assert board.rows[0].federal == expected
    assert board.totals.federal.visited_rate == 66.7 and board.totals.federal.in_residence_rate == 66.7
    assert not board.totals.federal.meets_visited_target and board.totals.federal.meets_residence_target
    this_month = dashboards.unit_dashboard(scope_for(cast.supervisor)).chart
    assert [point.month for point in this_month][-2:] == [month, dashboards.Month.current()]
    assert this_month[-2].federal == expected
    not_visited = listed(scope_for(cast.supervisor, month), "not_visited", cast.worker)
    assert [member.pk for member in not_visited] == [never_visited.pk]


def test_it_counts_as_seen_only_members_visited_within_the_interval(cast, client_for):
    """Of the members who must be seen, those never seen, or seen longer ago, whose due date is still ahead
    (a case opened or reopened lately) are not yet due: not overdue, and not seen either."""
    behind = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    services.member_excuse(actor=cast.supervisor, member=parent_of(behind), reason="In prison out of state")
    seen_child, overdue_child = children_of(behind)
    visit(cast.worker, behind, seen_child.person)
    fresh = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=10)
    reopened = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=50)
    everyone = [member.person for member in reopened.members.all()]
    visit(cast.worker, reopened, *everyone, at=local(timezone.localdate() - timedelta(days=35)))
    services.case_request_closure(actor=cast.worker, case=reopened, reason="moved_away")
    services.case_approve_closure(actor=cast.supervisor, case=reopened)
    services.case_reopen(actor=cast.supervisor, case=reopened, reason="The family came back.")

    row = dashboards.unit_dashboard(scope_for(cast.supervisor)).rows[0]
    assert (row.requiring, row.overdue, row.seen, row.not_yet_due) == (8, 1, 1, 6)
    assert row.compliant == row.seen + row.not_yet_due == 7
    assert row.seen_rate == 12.5 and row.seen_percent == 12
    assert row.compliance_rate == 87.5
    scope = scope_for(cast.supervisor)
    assert [member.pk for member in listed(scope, "seen", cast.worker)] == [seen_child.pk]
    not_yet_due = {member.pk for member in listed(scope, "not_yet_due", cast.worker)}
    assert not_yet_due == {member.pk for member in [*fresh.members.all(), *reopened.members.all()]}
    assert overdue_child.pk not in not_yet_due

    page = client_for(cast.supervisor).get(reverse("supervisor_dashboard")).content.decode()
    assert "<strong>12%</strong> seen within 30 days" in page
    assert "<strong>6</strong> not yet due" in page


def test_it_labels_the_visit_interval_from_the_setting(cast, client_for, settings):
    settings.KINDRED_VISIT_INTERVAL_DAYS = 45
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    client = client_for(cast.supervisor)
    page = client.get(reverse("supervisor_dashboard")).content.decode()
    assert '<th scope="col">Seen within 45 days</th>' in page and "seen within 45 days</a>" in page
    assert "30 days" not in page
    assert dashboards.unit_dashboard(scope_for(cast.supervisor)).totals.overdue == 0  # 40 days: not yet 45
    listing = client.get(reverse("dashboard_drilldown", args=["seen"])).content.decode()
    assert "<h1>Members seen face to face within 45 days</h1>" in listing


def test_rates_on_the_page_round_down_so_a_miss_never_shows_as_the_target():
    federal = dashboards.Federal(child_months=1000, visited=949)
    assert federal.visited_rate == 94.9 and federal.visited_percent == 94 and not federal.meets_visited_target
    assert dashboards.Federal().visited_rate is None and dashboards.Federal().visited_percent is None


def test_my_work_lists_overdue_members_oldest_first_then_due_soon(cast, client_for):
    today = timezone.localdate()
    not_due = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=10)
    soon_later = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=26)
    overdue_recent = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=33)
    soon_first = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=29)
    overdue_oldest = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    visit(cast.worker, overdue_oldest, children_of(overdue_oldest)[0].person)
    make_case(cast.other_supervisor, worker=cast.other_worker, opened_days_ago=40)

    work = dashboards.my_work(cast.worker)
    order = [(member.case_id, member.visit_status, member.face_to_face_due) for member in work.members]
    expected_cases = [overdue_oldest.pk] * 2 + [overdue_recent.pk] * 3 + [soon_first.pk] * 3 + [soon_later.pk] * 3
    assert [case_id for case_id, _, _ in order] == expected_cases
    assert [status for _, status, _ in order] == [VisitStatus.OVERDUE] * 5 + [VisitStatus.DUE_SOON] * 6
    assert [due for _, _, due in order] == sorted(due for _, _, due in order)
    assert order[0][2] == today - timedelta(days=10)
    assert not_due.pk not in {case_id for case_id, _, _ in order}

    response = client_for(cast.worker).get(reverse("my_work"))
    page = response.content.decode()
    first = work.members[0]
    log_url = reverse("contact_create", args=[first.case.public_id]) + f"?member={first.public_id}"
    assert log_url in page
    # Each member's own link (invented names may repeat, or one may contain another).
    positions = [page.index(f"#member-{member.public_id}") for member in work.members]
    assert positions == sorted(positions)


def test_my_work_shows_investigation_deadlines_past_due_first_and_what_was_returned(cast, client_for):
    later = make_investigation(cast.screener, worker=cast.worker)
    late = make_investigation(cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(days=5))
    make_investigation(cast.screener, worker=make_staff("worker-two", Role.CASEWORKER, unit=cast.unit))
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=12)
    services.case_request_closure(actor=cast.worker, case=case, reason="no_further_services")
    services.case_return_closure(actor=cast.supervisor, case=case, comment="Visit the father first.")
    returned_report = make_report(cast.screener)
    services.report_submit(actor=cast.screener, report=returned_report)
    services.report_return(actor=cast.supervisor, report=returned_report, comment="Add the school's name.")

    work = dashboards.my_work(cast.worker)
    assert [investigation.pk for investigation in work.investigations] == [late.pk, later.pk]
    assert [returned.pk for returned in work.returned_cases] == [case.pk]
    assert work.returned_reports == []
    assert [report.pk for report in dashboards.my_work(cast.screener).returned_reports] == [returned_report.pk]

    page = client_for(cast.worker).get(reverse("my_work")).content.decode()
    assert "Overdue" in page and "Visit the father first." in page
    assert Investigation.objects.get(pk=late.pk).reference in page


def test_the_chart_draws_twelve_bars_without_script_or_inline_style(cast, client_for):
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    page = client_for(cast.supervisor).get(reverse("supervisor_dashboard")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert len(re.findall(r'<rect class="bar', svg)) == 12
    assert "&lt;" not in svg  # the marks are markup, not escaped text
    assert "style=" not in svg and "<script" not in svg and not re.search(r"\son[a-z]+=", svg)
    table = page[page.index('class="chart-table"') :]
    assert len(re.findall(r'<th scope="row" data-label="Month">', table)) == 12


def test_a_caseworker_an_administrator_and_a_screener_may_not_open_the_dashboard(cast, client_for):
    for user in (cast.worker, cast.administrator, cast.screener):
        client = client_for(user)
        assert client.get(reverse("supervisor_dashboard")).status_code == 403
        assert client.get(reverse("dashboard_drilldown", args=["overdue"])).status_code == 403
    assert client_for(cast.administrator).get(reverse("my_work")).status_code == 403
    assert client_for(cast.worker).get(reverse("my_work")).status_code == 200


def test_a_supervisor_sees_only_their_units_workers(cast, unit, client_for):
    client = client_for(cast.other_supervisor)
    page = client.get(reverse("supervisor_dashboard")).content.decode()
    assert cast.other_worker.display_name in page
    for worker in (cast.worker, unit.second, unit.third):
        assert worker.display_name not in page
    assert client.get(reverse("supervisor_dashboard"), {"unit": cast.unit.public_id}).status_code == 404
    drill = reverse("dashboard_drilldown", args=["overdue"])
    assert client.get(drill, {"worker": cast.worker.public_id}).status_code == 404
    listing = client.get(drill).content.decode()
    assert unit.shared_case.family_name not in listing


def test_program_managers_and_auditors_read_every_unit_and_may_pick_one(cast, unit, client_for):
    for user in (cast.program_manager, cast.auditor):
        client = client_for(user)
        page = client.get(reverse("supervisor_dashboard")).content.decode()
        assert cast.worker.display_name in page and cast.other_worker.display_name in page
        only_other = client.get(reverse("supervisor_dashboard"), {"unit": cast.other_unit.public_id})
        assert only_other.status_code == 200
        assert [row.worker for row in only_other.context["dashboard"].rows] == [cast.other_worker]
        assert client.get(reverse("supervisor_dashboard"), {"unit": "not-a-unit"}).status_code == 404


def test_an_unknown_metric_or_worker_is_not_found(cast, client_for):
    client = client_for(cast.supervisor)
    assert client.get(reverse("dashboard_drilldown", args=["everything"])).status_code == 404
    drill = reverse("dashboard_drilldown", args=["overdue"])
    assert client.get(drill, {"worker": "nobody"}).status_code == 404
    assert client.get(drill, {"worker": cast.supervisor.public_id}).status_code == 404


def test_the_home_page_links_each_role_to_its_work(cast, client_for):
    expected = {
        cast.worker: (True, False),
        cast.supervisor: (True, True),
        cast.program_manager: (False, True),
        cast.auditor: (False, True),
        cast.screener: (False, False),
        cast.administrator: (False, False),
    }
    for user, (my_work, dashboard) in expected.items():
        page = client_for(user).get(reverse("home")).content.decode()
        tiles = page[page.index('<ul class="tiles">') :]
        assert (f'href="{reverse("my_work")}"' in tiles) == my_work, user
        assert (f'href="{reverse("supervisor_dashboard")}"' in tiles) == dashboard, user


def test_a_unit_without_cases_shows_zeros_and_an_empty_chart(cast, client_for):
    response = client_for(cast.supervisor).get(reverse("supervisor_dashboard"))
    assert response.status_code == 200
    totals = response.context["dashboard"].totals
    assert (totals.cases, totals.overdue, totals.federal.child_months, totals.compliance_rate) == (0, 0, 0, None)
    assert len(re.findall(r'<rect class="bar empty"', response.content.decode())) == 12
    assert client_for(cast.supervisor).get(reverse("dashboard_drilldown", args=["overdue"])).status_code == 200


def test_the_figures_are_the_same_when_the_cases_in_view_are_too_many_to_fetch(cast, unit, monkeypatch):
    """Beyond CASE_IDS_FETCHED cases (an agency-wide view), every figure filters on the policy's SQL instead."""
    fetched = dashboards.unit_dashboard(scope_for(cast.program_manager))
    monkeypatch.setattr(scope_module, "CASE_IDS_FETCHED", 3)
    scope = scope_for(cast.program_manager)
    assert not isinstance(scope.case_ids, list)
    assert dashboards.unit_dashboard(scope) == fetched
    assert len(listed(scope, "overdue", None)) == fetched.totals.overdue


def test_the_workers_come_a_page_at_a_time_and_the_totals_cover_them_all(cast, unit, client_for, monkeypatch):
    monkeypatch.setattr(scope_module, "WORKERS_PER_PAGE", 2)
    client = client_for(cast.supervisor)
    first, second, beyond, garbled = (
        client.get(reverse("supervisor_dashboard"), {"page": number}) for number in (1, 2, 9, "two")
    )
    workers = [row.worker for row in first.context["dashboard"].rows + second.context["dashboard"].rows]
    assert workers == [row.worker for row in dashboards.unit_dashboard(scope_for(cast.supervisor)).rows]
    assert len(first.context["dashboard"].rows) == 2
    assert first.context["dashboard"].totals == second.context["dashboard"].totals
    assert "page=2" in first.content.decode()
    assert first.context["page"].paginator.count == second.context["page"].paginator.count == 3
    assert beyond.context["page"].number == 2 and garbled.context["page"].number == 1
    assert [row.worker for row in beyond.context["dashboard"].rows] == workers[2:]


def test_investigation_findings_and_closures_awaiting_the_supervisor_count_among_the_approvals(cast):
    """The dashboard's approvals are the approval queue's (`records.approvals`): investigations' findings and
    closures too, each counted for who asked and listed behind the number."""
    from records.approvals import approvals_for
    from tests.investigations.closing import submitted

    findings = submitted(cast)
    board = dashboards.unit_dashboard(scope_for(cast.supervisor))
    assert board.totals.approvals == len(approvals_for(cast.supervisor)) == 1
    assert {row.worker: row.approvals for row in board.rows}[cast.worker] == 1
    [item] = listed(scope_for(cast.supervisor), "approvals", cast.worker)
    assert item.kind == "Investigation findings" and item.record == findings
    assert listed(scope_for(cast.supervisor), "approvals", None) == [item]
