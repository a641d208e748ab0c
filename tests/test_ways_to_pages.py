"""Pages that were linked from nowhere: "Open a case" from a screened-in report and the dashboard,
"Move a worker's cases" from the dashboard, for the supervisors who use them."""

import pytest
from django.urls import reverse

from tests.factories import make_investigation

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
