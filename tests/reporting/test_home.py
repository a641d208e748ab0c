"""Home is each role's work queue, named for people, in a fixed number of queries whatever it holds."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import duties
from accounts.roles import Role
from cases import services
from tests.factories import make_case, make_investigation, make_report, make_staff

pytestmark = pytest.mark.django_db


def home_of(client_for, user) -> tuple[str, int]:
    client = client_for(user)
    client.get(reverse("home"))  # the first request of a session fills caches the next ones reuse
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    return page, len(queries)


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def victim_of(report):
    return report.participants.get(role="alleged_victim").person


def test_a_caseworkers_home_is_their_work_named_for_people(cast, client_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    page, _ = home_of(client_for, cast.worker)
    work = section(page, "home-my-work")
    assert investigation.reference in work and f"{victim_of(investigation.report).last_name} family" in work
    assert case.family_name in work and f'href="{reverse("my_work")}"' in work


def test_a_screeners_home_holds_drafts_decisions_and_returns_and_a_new_report_button(cast, client_for):
    draft = make_report(cast.screener)
    waiting = services.report_submit(actor=cast.screener, report=make_report(cast.screener))
    returned = services.report_screen_out(
        actor=cast.screener, report=make_report(cast.screener), reason="insufficient_information"
    )
    services.report_return(actor=cast.supervisor, report=returned, comment="Call the school back.")
    page, _ = home_of(client_for, cast.screener)
    assert f'href="{reverse("intake_create")}"' in page
    assert draft.reference in section(page, "home-drafts")
    assert f"{victim_of(draft).first_name}, 7" in section(page, "home-drafts")
    assert waiting.reference in section(page, "home-awaiting-decision")
    assert returned.reference in section(page, "home-returned")


def test_a_supervisors_home_holds_approvals_assignments_and_the_units_figures(cast, client_for):
    screened_out = services.report_screen_out(
        actor=cast.screener, report=make_report(cast.screener), reason="insufficient_information"
    )
    unassigned = make_investigation(cast.screener)
    page, _ = home_of(client_for, cast.supervisor)
    approvals = section(page, "home-approvals")
    assert "Screen-out" in approvals and screened_out.reference in approvals
    assert f"{victim_of(screened_out).last_name} family" in approvals
    to_assign = section(page, "home-to-assign")
    assert (
        unassigned.reference in to_assign and reverse("investigation_assign", args=[unassigned.public_id]) in to_assign
    )
    assert f'href="{reverse("supervisor_dashboard")}"' in section(page, "home-unit")
    assert "home-agency" not in page and "home-my-work" not in page


@pytest.mark.parametrize("who", ["program_manager", "auditor"])
def test_a_manager_and_an_auditor_see_the_agency(cast, client_for, who):
    make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
    make_case(cast.other_supervisor, worker=cast.other_worker, opened_days_ago=40)
    page, _ = home_of(client_for, getattr(cast, who))
    agency = section(page, "home-agency")
    assert "<strong>2</strong> open cases" in agency and f'href="{reverse("supervisor_dashboard")}"' in agency
    assert "home-approvals" not in page and "home-drafts" not in page


def test_an_administrators_home_holds_the_staff_tasks(cast, client_for):
    newcomer = make_staff("newcomer", unit=cast.unit)
    locked = make_staff("locked", Role.CASEWORKER, unit=cast.unit)
    AccessAttempt.objects.create(
        username=locked.username,
        ip_address="192.0.2.7",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        user_agent="test",
        attempt_time=timezone.now() - timedelta(minutes=1),
        get_data="",
        post_data="",
    )
    asked = duties.staff_update(
        actor=cast.administrator,
        user=newcomer,
        first_name=newcomer.first_name,
        last_name=newcomer.last_name,
        email=newcomer.email,
        roles=[Role.AUDITOR],
        unit=None,
        clearance_sensitive=False,
        clearance_sealed=False,
        reason="Audits this year",
    )
    page, _ = home_of(client_for, cast.administrator)
    assert newcomer.display_name in section(page, "home-set-up")
    assert locked.display_name in section(page, "home-locked")
    pending = section(page, "home-approvals-staff")
    assert reverse("staff_approval", args=[asked.public_id]) in pending


def _grow_every_queue(cast, n: int) -> None:
    for _ in range(n):
        make_investigation(cast.screener, worker=cast.worker)
        make_investigation(cast.screener)
        make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)
        make_report(cast.screener)
        services.report_screen_out(
            actor=cast.screener, report=make_report(cast.screener), reason="insufficient_information"
        )
        make_staff(f"newcomer-{_}-{n}", unit=cast.unit)


def test_every_home_page_costs_the_same_queries_for_1_or_3_of_everything(cast, client_for):
    users = [cast.worker, cast.screener, cast.supervisor, cast.program_manager, cast.auditor, cast.administrator]
    _grow_every_queue(cast, 1)
    few = {user.username: home_of(client_for, user)[1] for user in users}
    _grow_every_queue(cast, 2)
    many = {user.username: home_of(client_for, user)[1] for user in users}
    assert many == few, (few, many)
    assert max(few.values()) <= 30, few


def test_a_supervisors_home_holds_every_approval_of_the_one_queue_and_its_read_is_audited(cast, client_for):
    """Investigation findings wait for the supervisor as screen-outs do (`records.approvals`), and the home page,
    which names records, writes one audit row naming each of them."""
    from accounts.models import AuditEvent
    from tests.investigations.closing import submitted

    findings = submitted(cast)
    screened_out = services.report_screen_out(
        actor=cast.screener, report=make_report(cast.screener), reason="insufficient_information"
    )
    page, _ = home_of(client_for, cast.supervisor)
    approvals = section(page, "home-approvals")
    assert "Investigation findings" in approvals and findings.reference in approvals
    assert "Screen-out" in approvals and screened_out.reference in approvals
    assert f'href="{reverse("approval_queue")}"' in approvals
    read = AuditEvent.objects.filter(actor=cast.supervisor, target_label="Home").latest("pk")
    named = read.changes["ids"]
    assert str(findings.public_id) in named["investigations.investigation"]
    assert str(screened_out.public_id) in named["cases.intakereport"]
