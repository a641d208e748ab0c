"""A child's out-of-home care on a case: recorded by its worker or supervisor, on the page and through the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases.models import CaseMember
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    """An open case of the North Unit (1 parent, 2 children), opened 40 days ago, worked by the unit's worker."""
    return make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)


def child_of(case) -> CaseMember:
    return case.members.filter(role="child").select_related("person").order_by("id").first()


def page_url(member: CaseMember) -> str:
    return reverse("case_member_care", args=[member.case.public_id, member.public_id])


def api_url(member: CaseMember) -> str:
    return reverse("api_case_member_care", args=[member.public_id])


def days_ago(days: int) -> str:
    return str(timezone.localdate() - timedelta(days=days))


def test_it_records_a_childs_care_from_the_case_page(cast, client_for, case):
    child = child_of(case)
    client = client_for(cast.worker)
    detail = client.get(reverse("case_detail", args=[case.public_id])).content.decode()
    assert page_url(child) in detail
    assert page_url(case.members.get(role="parent")) not in detail
    assert client.get(page_url(child)).status_code == 200

    response = client.post(page_url(child), {"in_care_since": days_ago(20), "in_care_until": "", "reason": "Order"})

    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.public_id])
    child.refresh_from_db()
    assert (child.in_care_since, child.in_care_until) == (timezone.localdate() - timedelta(days=20), None)
    event = AuditEvent.objects.get(action="cases.case.member_care_recorded")
    assert event.actor == cast.worker and event.reason == "" and event.changes["reason_given"]
    assert "In out-of-home care since" in client.get(reverse("case_detail", args=[case.public_id])).content.decode()


def test_the_supervisor_records_when_care_ended_through_the_api(cast, api_for, case):
    child = child_of(case)
    response = api_for(cast.supervisor).post(
        api_url(child), {"in_care_since": days_ago(30), "in_care_until": days_ago(5)}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["in_care_since"] == days_ago(30)
    assert response.json()["in_care_until"] == days_ago(5)
    child.refresh_from_db()
    assert child.in_care_until == timezone.localdate() - timedelta(days=5)


def test_it_refuses_care_in_the_future_or_ending_before_it_started(cast, client_for, api_for, case):
    child = child_of(case)
    page = client_for(cast.worker).post(page_url(child), {"in_care_since": days_ago(-1)})
    assert page.status_code == 200
    assert "Care cannot start in the future." in page.content.decode()

    api = api_for(cast.worker)
    ended_early = api.post(api_url(child), {"in_care_since": days_ago(10), "in_care_until": days_ago(12)})
    assert ended_early.status_code == 400
    assert "in_care_until" in ended_early.json()
    ends_later = api.post(api_url(child), {"in_care_since": days_ago(10), "in_care_until": days_ago(-2)})
    assert ends_later.status_code == 400
    before_joining = api.post(api_url(child), {"in_care_since": days_ago(60)})
    assert before_joining.status_code == 400
    assert "in_care_since" in before_joining.json()
    child.refresh_from_db()
    assert child.in_care_since is None
    assert not AuditEvent.objects.filter(action="cases.case.member_care_recorded").exists()


def test_it_records_care_for_children_only(cast, client_for, api_for, case):
    parent = case.members.get(role="parent")
    page = client_for(cast.worker).post(page_url(parent), {"in_care_since": days_ago(5)})
    assert page.status_code == 200
    assert "for children only" in page.content.decode()
    assert api_for(cast.worker).post(api_url(parent), {"in_care_since": days_ago(5)}).status_code == 400
    parent.refresh_from_db()
    assert parent.in_care_since is None


def test_a_worker_of_another_unit_gets_not_found(cast, client_for, api_for, case):
    child = child_of(case)
    assert client_for(cast.other_worker).get(page_url(child)).status_code == 404
    assert api_for(cast.other_worker).post(api_url(child), {"in_care_since": days_ago(5)}).status_code == 404


def test_a_program_manager_may_see_but_not_record_care(cast, client_for, api_for, case):
    child = child_of(case)
    assert client_for(cast.program_manager).get(page_url(child)).status_code == 403
    assert api_for(cast.program_manager).post(api_url(child), {"in_care_since": days_ago(5)}).status_code == 403
    child.refresh_from_db()
    assert child.in_care_since is None


def test_it_keeps_the_note_on_the_care_period_and_shows_it_on_the_case_and_in_the_api(cast, client_for, api_for, case):
    child = child_of(case)
    client = client_for(cast.worker)
    client.post(page_url(child), {"in_care_since": days_ago(20), "reason": "Placement order 24-113"})
    child.refresh_from_db()
    assert child.in_care_note == "Placement order 24-113"
    detail = client.get(reverse("case_detail", args=[case.public_id])).content.decode()
    assert "Placement order 24-113" in detail
    assert "Placement order 24-113" in client.get(page_url(child)).content.decode()  # the form holds it to edit

    api = api_for(cast.worker)
    members = api.get(reverse("api_case_members", args=[case.public_id])).json()
    assert next(m for m in members if m["id"] == str(child.public_id))["in_care_note"] == "Placement order 24-113"
    ended = api.post(api_url(child), {"in_care_since": days_ago(20), "in_care_until": days_ago(2), "reason": "Home"})
    assert ended.json()["in_care_note"] == "Home"
