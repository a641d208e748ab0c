"""Prior history: each person on the report (the reporter left out) with their other reports, investigations
(with disposition) and cases, on the investigation page and the screening page; only what the viewer may
see, and nothing at all of the rest."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as intake
from cases.models import CaseMember
from cases.selectors.history import prior_history
from investigations.models import Investigation
from investigations.services import investigation_assign
from tests.factories import make_case, make_investigation

pytestmark = pytest.mark.django_db


def report_on(screener, child, parent, **fields):
    report = intake.report_create(
        actor=screener,
        received_at=timezone.now() - timedelta(days=3),
        method="phone",
        report_source="education",
        narrative="School nurse reports the child was hungry again.",
        reporter_name="Pat Reporterly",
        reporter_relationship="Nurse",
        **fields,
    )
    intake.allegation_add(actor=screener, report=report, victim=child, perpetrator=parent, maltreatment_type="neglect")
    return report


@pytest.fixture
def history(cast):
    """The worker's investigation of a child who is also on: an earlier investigation the worker had
    (substantiated), a sensitive report still awaiting screening, a case in the worker's unit and a case of
    the other unit."""
    investigation = make_investigation(cast.screener, worker=cast.worker)
    report = investigation.report
    child = report.participants.get(role="alleged_victim").person
    parent = report.participants.get(role="alleged_perpetrator").person
    earlier = intake.report_screen_in(
        actor=cast.screener, report=report_on(cast.screener, child, parent), response_priority="3_days"
    )
    earlier_investigation = investigation_assign(
        actor=cast.supervisor, investigation=Investigation.objects.get(report=earlier), worker=cast.worker
    )
    Investigation.objects.filter(pk=earlier_investigation.pk).update(disposition="substantiated")
    sensitive = report_on(
        cast.screener, child, parent, access_restriction="sensitive", restriction_reason="A staff member's relative"
    )
    own_case = make_case(cast.supervisor, worker=cast.worker)
    CaseMember.objects.create(case=own_case, person=child, role="child")
    other_case = make_case(cast.other_supervisor, worker=cast.other_worker)
    CaseMember.objects.create(case=other_case, person=child, role="child")
    return {
        "investigation": investigation,
        "child": child,
        "earlier": earlier,
        "earlier_investigation": earlier_investigation,
        "sensitive": sensitive,
        "own_case": own_case,
        "other_case": other_case,
    }


def investigation_page(client, history) -> str:
    return client.get(reverse("investigation_detail", args=[history["investigation"].public_id])).content.decode()


def test_the_worker_sees_what_they_may_and_nothing_else(cast, client_for, history):
    html = investigation_page(client_for(cast.worker), history)
    assert "Prior history" in html
    assert history["earlier"].reference in html
    assert history["earlier_investigation"].reference in html and "Substantiated" in html
    assert history["own_case"].reference in html
    assert history["sensitive"].reference not in html
    assert history["other_case"].reference not in html
    assert "cannot open" not in html and "other record" not in html


def test_a_restricted_record_shows_only_to_those_cleared_for_it(cast, client_for, history):
    manager = investigation_page(client_for(cast.program_manager), history)
    assert history["earlier"].reference in manager and history["other_case"].reference in manager
    assert history["sensitive"].reference not in manager
    supervisor = investigation_page(client_for(cast.supervisor), history)
    assert history["sensitive"].reference in supervisor
    assert history["other_case"].reference not in supervisor


def test_the_reporter_is_not_among_the_people(cast, client_for, history):
    reporter = history["investigation"].report.participants.filter(role="reporter").first()
    html = investigation_page(client_for(cast.worker), history)
    assert "Reporterly" not in html
    if reporter is not None:
        assert reporter.person.full_name not in html


def test_the_screening_page_shows_the_reports_the_screener_may_see(cast, client_for, history):
    child = history["child"]
    parent = history["investigation"].report.participants.get(role="alleged_perpetrator").person
    new = report_on(cast.screener, child, parent)
    html = client_for(cast.screener).get(reverse("intake_decide", args=[new.public_id])).content.decode()
    assert "Prior history" in html and child.full_name in html
    assert history["earlier"].reference in html and history["investigation"].report.reference in html
    assert history["sensitive"].reference in html  # the screener holds the sensitive clearance
    # Screeners see no investigations nor cases: not even that they exist.
    assert history["earlier_investigation"].reference not in html
    assert history["own_case"].reference not in html and history["other_case"].reference not in html


def test_the_history_costs_the_same_queries_whatever_its_size(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    report = investigation.report
    child = report.participants.get(role="alleged_victim").person
    parent = report.participants.get(role="alleged_perpetrator").person
    report_on(cast.screener, child, parent)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            people = prior_history(user=cast.supervisor, report=report)
        return len(captured), sum(len(entry.records) for entry in people)

    queries()  # the user's units and clearances, read once per request
    few, shown_few = queries()
    for _ in range(5):
        intake.report_screen_in(
            actor=cast.screener, report=report_on(cast.screener, child, parent), response_priority="3_days"
        )
    many, shown_many = queries()
    assert shown_many > shown_few
    assert many == few
