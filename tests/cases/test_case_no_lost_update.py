"""No lost update on a case: the worker and the supervisor use the same case form at once; the second is refused."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import CaseStatus
from cases.models import Case, CaseMember
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    return make_case(cast.supervisor, worker=cast.worker, opened_days_ago=40)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def care_url(member: CaseMember) -> str:
    return reverse("case_member_care", args=[member.case.public_id, member.public_id])


def days_ago(days: int) -> str:
    return str(timezone.localdate() - timedelta(days=days))


def test_it_refuses_the_second_of_two_care_records_and_keeps_what_was_typed(cast, case):
    child = case.members.filter(role="child").order_by("id").first()
    worker, supervisor = signed_in(cast.worker), signed_in(cast.supervisor)
    worker_version = worker.get(care_url(child)).context["form"]["version"].value()
    supervisor_version = supervisor.get(care_url(child)).context["form"]["version"].value()

    saved = supervisor.post(
        care_url(child), {"in_care_since": days_ago(20), "reason": "Placement order", "version": supervisor_version}
    )
    assert saved.status_code == 302
    response = worker.post(
        care_url(child), {"in_care_since": days_ago(10), "reason": "Kin placement", "version": worker_version}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this case since you opened it" in page
    assert cast.supervisor.display_name in page
    assert "Kin placement" in page
    assert "On record now:" in page and "<dd>Placement order</dd>" in page
    child.refresh_from_db()
    assert (child.in_care_since, child.in_care_note) == (timezone.localdate() - timedelta(days=20), "Placement order")


def test_a_single_editor_records_care_twice_in_a_row(cast, case):
    child = case.members.filter(role="child").order_by("id").first()
    client = signed_in(cast.worker)
    for note in ("First", "Corrected"):
        version = client.get(care_url(child)).context["form"]["version"].value()
        response = client.post(care_url(child), {"in_care_since": days_ago(20), "reason": note, "version": version})
        assert response.status_code == 302
    child.refresh_from_db()
    assert child.in_care_note == "Corrected"
    assert Case.objects.get(pk=case.pk).version == 3


def test_two_closure_requests_at_once_leave_the_first_standing(cast, case):
    """Closure moves the case's status, which the workflow checks on the locked row: the second is refused."""
    url = reverse("case_request_closure", args=[case.public_id])
    worker, supervisor = signed_in(cast.worker), signed_in(cast.supervisor)
    worker.get(url)
    supervisor.get(url)
    assert worker.post(url, {"closure_reason": "reunified", "closure_note": "Home safe"}).status_code == 302
    response = supervisor.post(url, {"closure_reason": "other", "closure_note": "Moved out of state"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be" in page
    assert "Moved out of state" in page
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closure_note) == (
        CaseStatus.CLOSURE_REQUESTED,
        "reunified",
        "Home safe",
    )


def test_the_api_gives_the_case_version_as_etag_and_field(cast, case, api_for):
    response = api_for(cast.worker).get(reverse("api_case_detail", args=[case.public_id]))
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_a_stale_version_on_the_care_api_answers_409_and_a_stale_if_match_412(cast, case, api_for):
    child = case.members.filter(role="child").order_by("id").first()
    url = reverse("api_case_member_care", args=[child.public_id])
    supervisor = api_for(cast.supervisor)
    assert supervisor.post(url, {"in_care_since": days_ago(20), "version": 1}, format="json").status_code == 200

    worker = api_for(cast.worker)
    stale_body = worker.post(url, {"in_care_since": days_ago(10), "version": 1}, format="json")
    stale_header = worker.post(url, {"in_care_since": days_ago(10)}, format="json", HTTP_IF_MATCH='"1"')

    assert (stale_body.status_code, stale_header.status_code) == (409, 412)
    child.refresh_from_db()
    assert child.in_care_since == timezone.localdate() - timedelta(days=20)
