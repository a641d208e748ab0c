"""One approval queue for supervisors across record types: screen-outs, priority downgrades, case closures,
investigation findings and closures of the units they supervise, the most urgent first, each linking to where
it is decided, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audit import target_id_of, target_type_of
from accounts.models import AuditEvent
from cases import services as cases
from records.approvals import approvals_for
from tests.factories import make_case, make_investigation, make_report
from tests.investigations.closing import closure_requested, submitted

pytestmark = pytest.mark.django_db


def _waiting(cast, copies: int = 1) -> None:
    """`copies` of each kind of request awaiting cast.supervisor."""
    for _ in range(copies):
        cases.report_screen_out(actor=cast.screener, report=make_report(cast.screener), reason="no_maltreatment")
        investigation = make_investigation(cast.screener, worker=cast.worker)
        cases.report_change_priority(
            actor=cast.worker, report=investigation.report, response_priority="10_days", reason="Children are safe."
        )
        case = make_case(cast.supervisor, worker=cast.worker)
        cases.case_request_closure(actor=cast.worker, case=case, reason="no_further_services")
        submitted(cast)
        closure_requested(cast)


def test_the_queue_holds_every_kind_of_request_with_where_it_is_decided(cast):
    _waiting(cast)
    items = approvals_for(cast.supervisor)
    assert sorted(item.kind for item in items) == [
        "Case closure",
        "Investigation closure",
        "Investigation findings",
        "Priority downgrade",
        "Screen-out",
    ]
    by_kind = {item.kind: item for item in items}
    assert by_kind["Screen-out"].url.endswith("/review/") and by_kind["Screen-out"].asked_by == cast.screener
    assert by_kind["Priority downgrade"].url.endswith("/priority/")
    assert by_kind["Priority downgrade"].asked_by == cast.worker and by_kind["Priority downgrade"].due_at
    assert by_kind["Case closure"].url.endswith("/closure/review/") and by_kind["Case closure"].name.endswith("family")
    assert by_kind["Investigation findings"].url.endswith("/findings/review/")
    assert by_kind["Investigation findings"].asked_by == cast.worker
    assert by_kind["Investigation closure"].asked == "Approve the closure: Closed, no further services"
    for item in items:
        assert item.reference and item.asked


def test_the_most_urgent_come_first(cast):
    _waiting(cast)
    items = approvals_for(cast.supervisor)
    due = [item.due_at for item in items if item.due_at]
    assert due == sorted(due)
    assert all(item.due_at for item in items[: len(due)])
    undated = [item.asked_at for item in items[len(due) :] if item.asked_at]
    assert undated == sorted(undated)


def test_another_units_supervisor_and_everyone_else_see_none_of_it(cast):
    _waiting(cast)
    for user in (cast.other_supervisor, cast.worker, cast.program_manager, cast.auditor, cast.administrator):
        assert approvals_for(user) == []


def test_the_queue_costs_the_same_queries_for_one_or_three_of_each(cast, client_for):
    _waiting(cast)
    client = client_for(cast.supervisor)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("approval_queue")).status_code == 200
    _waiting(cast, copies=2)
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("approval_queue"))
    assert page.content.decode().count("<tr>") == 1 + 15
    assert len(three) == len(one)


def test_the_page_links_each_item_and_the_api_lists_the_same(cast, client_for, api_for):
    _waiting(cast)
    items = approvals_for(cast.supervisor)
    page = client_for(cast.supervisor).get(reverse("approval_queue")).content.decode()
    for item in items:
        assert f'href="{item.url}"' in page
    body = api_for(cast.supervisor).get(reverse("api_approval_queue")).json()
    assert [(row["kind"], row["reference"], row["url"]) for row in body] == [
        (item.kind, item.reference, item.url) for item in items
    ]
    assert body[0]["asked_by_name"]


def test_only_supervisors_are_offered_the_queue(cast, client_for):
    for user, offered in ((cast.supervisor, True), (cast.worker, False), (cast.program_manager, False)):
        home = client_for(user).get(reverse("home")).content.decode()
        assert (f'href="{reverse("approval_queue")}"' in home) is offered
    assert client_for(cast.worker).get(reverse("approval_queue")).status_code == 403


def test_an_empty_queue_says_so(cast, client_for):
    assert (
        "Nothing awaits your approval." in client_for(cast.supervisor).get(reverse("approval_queue")).content.decode()
    )


@pytest.mark.parametrize("url_name", ["approval_queue", "api_approval_queue"])
def test_reading_the_queue_is_one_audit_row_naming_every_record_on_it(cast, client_for, api_for, url_name):
    _waiting(cast)
    expected: dict[str, set[str]] = {}
    for item in approvals_for(cast.supervisor):
        expected.setdefault(target_type_of(item.audit_record), set()).add(target_id_of(item.audit_record))
    client = client_for(cast.supervisor) if url_name == "approval_queue" else api_for(cast.supervisor)
    before = AuditEvent.objects.count()
    assert client.get(reverse(url_name)).status_code == 200
    assert AuditEvent.objects.count() == before + 1
    named = AuditEvent.objects.latest("pk").changes["ids"]
    assert {kind: set(ids) for kind, ids in named.items()} == expected
