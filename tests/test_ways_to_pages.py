"""Pages that were linked from nowhere: "Open a case" from a screened-in report and the dashboard,
"Move a worker's cases" from the dashboard, for the supervisors who use them."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import make_investigation, make_staff, make_unit

pytestmark = pytest.mark.django_db


def test_a_screened_in_report_offers_its_supervisor_to_open_a_case(cast, client_for):
    report = make_investigation(cast.screener, worker=cast.worker).report
    link = f'href="{reverse("case_open")}?report={report.public_id}"'
    assert link in client_for(cast.supervisor).get(reverse("intake_detail", args=[report.public_id])).content.decode()
    assert link not in client_for(cast.screener).get(reverse("intake_detail", args=[report.public_id])).content.decode()
    assert client_for(cast.supervisor).get(reverse("case_open"), {"report": report.public_id}).status_code == 200


def test_the_dashboard_links_a_supervisor_to_opening_and_moving_cases(cast, client_for):
    page = client_for(cast.supervisor).get(reverse("supervisor_dashboard")).content.decode()
    assert f'href="{reverse("case_open")}"' in page and f'href="{reverse("cases_reassign")}"' in page


def test_the_dashboard_offers_a_program_manager_neither_nor_my_work(cast, client_for):
    page = client_for(cast.program_manager).get(reverse("supervisor_dashboard")).content.decode()
    actions = page[page.index('aria-label="Dashboard actions"') : page.index("</nav>", page.index("Dashboard actions"))]
    assert reverse("case_open") not in actions and reverse("cases_reassign") not in actions
    assert reverse("my_work") not in actions


def test_a_supervisors_dashboard_row_offers_to_move_that_workers_cases(cast, client_for):
    move = f'href="{reverse("cases_reassign")}?from={cast.worker.public_id}"'
    assert move in client_for(cast.supervisor).get(reverse("supervisor_dashboard")).content.decode()
    assert move not in client_for(cast.program_manager).get(reverse("supervisor_dashboard")).content.decode()
    page = client_for(cast.supervisor).get(reverse("cases_reassign"), {"from": cast.worker.public_id})
    assert page.context["form"]["from_worker"].value() == str(cast.worker.public_id)


def test_the_staff_row_offers_move_cases_only_to_who_supervises_the_workers_unit(cast, client_for):
    move = f'href="{reverse("cases_reassign")}?from={cast.worker.public_id}"'
    assert move not in client_for(cast.administrator).get(reverse("staff_list")).content.decode()
    both = make_staff("admin-supervisor", Role.ADMINISTRATOR, Role.SUPERVISOR)
    make_unit("East Unit", supervisor=both)
    moved = make_staff("east-worker", Role.CASEWORKER, unit=both.supervised_units.get())
    page = client_for(both).get(reverse("staff_list")).content.decode()
    assert f'href="{reverse("cases_reassign")}?from={moved.public_id}"' in page and move not in page
