"""Every role reaches every page it uses by links alone, from its home page: a breadth-first walk over the
same-site links (`<a href>`, GET only, a few pages per kind) must arrive at each URL name listed for the role."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from cases import services
from tests.factories import log_visit, make_case, make_investigation, make_report

pytestmark = pytest.mark.django_db

# Pages of one URL name visited at most (a list's many rows lead to the same kinds of page).
PER_NAME = 3
MOST_PAGES = 400
NOT_WALKED = ("/api/", "/django-admin/", "/static/")

CASE_READING = {"home", "notification_list", "password_change", "case_list", "person_search", "investigation_list"}
MUST_REACH = {
    "caseworker": CASE_READING
    | {"my_work", "case_detail", "investigation_detail", "person_detail", "contact_create", "contact_detail"},
    "intake_screener": (CASE_READING - {"investigation_list"})
    | {"intake_queue", "intake_create", "intake_detail", "person_detail"},
    "supervisor": CASE_READING
    | {
        "my_work",
        "supervisor_dashboard",
        "dashboard_drilldown",
        "case_detail",
        "case_open",
        "cases_reassign",
        "case_assign",
        "intake_queue",
        "intake_detail",
        "investigation_detail",
        "investigation_assign",
        "person_detail",
    },
    "program_manager": CASE_READING
    | {
        "supervisor_dashboard",
        "dashboard_drilldown",
        "case_detail",
        "intake_queue",
        "intake_detail",
        "investigation_detail",
    },
    "auditor": CASE_READING
    | {
        "supervisor_dashboard",
        "dashboard_drilldown",
        "case_detail",
        "intake_queue",
        "intake_detail",
        "investigation_detail",
        "audit_list",
    },
    "administrator": {
        "home",
        "notification_list",
        "password_change",
        "staff_list",
        "staff_detail",
        "staff_create",
        "staff_approvals",
        "unit_list",
        "unit_create",
        "audit_list",
        "visit_job_page",
    },
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def walk(client) -> set[str]:
    """The URL names reached from home by following links, a few pages per name."""
    start = reverse("home")
    queue, seen, per_name, reached = deque([start]), {start}, {}, set()
    while queue and len(seen) <= MOST_PAGES:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        reached.add(resolve(urlsplit(path).path).url_name)
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = urljoin(path, href)
            parts = urlsplit(target)
            if parts.netloc or parts.scheme or target in seen or parts.path.startswith(NOT_WALKED):
                continue
            try:
                name = resolve(parts.path).url_name
            except Resolver404:
                continue
            if per_name.get(name, 0) >= PER_NAME:
                continue
            per_name[name] = per_name.get(name, 0) + 1
            seen.add(target.split("#")[0])
            queue.append(target.split("#")[0])
    return reached


@pytest.fixture
def records(cast):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    log_visit(cast.worker, case, *[member.person for member in case.members.all()])
    make_investigation(cast.screener, worker=cast.worker)
    make_investigation(cast.screener)
    services.report_submit(actor=cast.screener, report=make_report(cast.screener))
    services.report_screen_out(actor=cast.screener, report=make_report(cast.screener), reason="duplicate")
    make_report(cast.screener)


@pytest.mark.parametrize("role", sorted(MUST_REACH))
def test_every_role_reaches_its_pages_by_links_from_home(cast, client_for, records, role):
    reached = walk(client_for(cast.by_role()[role]))
    assert MUST_REACH[role] - reached == set()
