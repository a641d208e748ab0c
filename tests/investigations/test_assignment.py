"""A screened-in report waits for assignment; the unit supervisor assigns it, and access follows."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from investigations.choices import InvestigationStatus
from investigations.services import investigation_assign
from tests.factories import make_investigation, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(cast):
    return make_investigation(cast.screener)


def test_it_waits_for_assignment_in_the_screeners_unit(cast, waiting):
    assert waiting.status == InvestigationStatus.AWAITING_ASSIGNMENT
    assert waiting.unit == cast.unit
    assert waiting.assigned_worker is None


def test_the_supervisor_assigns_a_worker_who_is_notified_once(cast, client_for, waiting):
    client = client_for(cast.supervisor)
    response = client.post(reverse("investigation_assign", args=[waiting.public_id]), {"worker": cast.worker.pk})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.assigned_worker == cast.worker
    assert waiting.status == InvestigationStatus.ASSIGNED
    assert Notification.objects.filter(recipient=cast.worker).count() == 1
    assert AuditEvent.objects.filter(action="investigations.investigation.assigned").count() == 1
    page = client_for(cast.worker).get(reverse("investigation_detail", args=[waiting.public_id]))
    assert page.status_code == 200


def test_the_assign_form_offers_only_the_supervisors_caseworkers(cast, client_for, waiting):
    page = client_for(cast.supervisor).get(reverse("investigation_assign", args=[waiting.public_id]))
    assert cast.worker.display_name in page.content.decode()
    assert cast.other_worker.display_name not in page.content.decode()
    response = client_for(cast.supervisor).post(
        reverse("investigation_assign", args=[waiting.public_id]), {"worker": cast.other_worker.pk}
    )
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.assigned_worker is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("caseworker", 404), ("program_manager", 403), ("auditor", 403), ("administrator", 404)],
)
def test_only_the_unit_supervisor_assigns(cast, client_for, waiting, role, status):
    response = client_for(cast.by_role()[role]).post(
        reverse("investigation_assign", args=[waiting.public_id]), {"worker": cast.worker.pk}
    )
    assert response.status_code == status
    waiting.refresh_from_db()
    assert waiting.assigned_worker is None


def test_another_units_supervisor_gets_404(cast, client_for, waiting):
    client = client_for(cast.other_supervisor)
    assert client.get(reverse("investigation_detail", args=[waiting.public_id])).status_code == 404
    assert client.get(reverse("investigation_assign", args=[waiting.public_id])).status_code == 404


def test_the_assigned_worker_cannot_reassign(cast, client_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    response = client_for(cast.worker).get(reverse("investigation_assign", args=[investigation.public_id]))
    assert response.status_code == 403


def test_the_api_assigns_and_answers_400_for_a_worker_outside_the_unit(cast, api_for, waiting):
    api = api_for(cast.supervisor)
    url = reverse("api_investigation_assign", args=[waiting.public_id])
    response = api.post(url, {"worker": str(cast.other_worker.public_id)}, format="json")
    assert response.status_code == 400
    assert "worker" in response.json()
    response = api.post(url, {"worker": str(cast.worker.public_id)}, format="json")
    assert response.status_code == 200
    assert response.json()["assigned_worker"] == str(cast.worker.public_id)


def test_the_api_lists_only_what_the_user_may_see(cast, api_for):
    mine = make_investigation(cast.screener, worker=cast.worker)
    make_investigation(cast.screener)
    ids = [row["id"] for row in api_for(cast.worker).get(reverse("api_investigation_list")).json()["results"]]
    assert ids == [str(mine.public_id)]
    assert api_for(cast.other_worker).get(reverse("api_investigation_list")).json()["count"] == 0
    detail = reverse("api_investigation_detail", args=[mine.public_id])
    assert api_for(cast.other_worker).get(detail).status_code == 404
    assert api_for(cast.worker).get(detail).status_code == 200
    assert AuditEvent.objects.filter(action="investigations.investigation.viewed", actor=cast.worker).exists()


def test_the_list_page_is_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.supervisor)
    make_investigation(cast.screener)
    client.get(reverse("investigation_list"))
    # 11 with the list read's audit row and the prefetch that names each investigation for its family.
    with django_assert_max_num_queries(11) as few:
        client.get(reverse("investigation_list"))
    for _ in range(6):
        make_investigation(cast.screener)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("investigation_list"))
    assert response.content.decode().count("Awaiting assignment") >= 7


def test_a_restricted_investigation_goes_only_to_a_worker_with_the_clearance(cast, api_for):
    from accounts.roles import Clearance

    sensitive = make_investigation(
        cast.screener, access_restriction=Clearance.SENSITIVE, restriction_reason="A staff member's relative"
    )
    response = api_for(cast.supervisor).post(
        reverse("api_investigation_assign", args=[sensitive.public_id]),
        {"worker": str(cast.worker.public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "clearance" in response.json()["worker"][0]
    sensitive.refresh_from_db()
    assert sensitive.assigned_worker is None


def test_it_writes_a_history_row_for_each_assignment_and_shows_it(cast, client_for, waiting):
    second = make_staff("second-worker", Role.CASEWORKER, unit=cast.unit)
    investigation_assign(actor=cast.supervisor, investigation=waiting, worker=cast.worker)
    investigation_assign(actor=cast.supervisor, investigation=waiting, worker=second)
    rows = list(waiting.transitions.values_list("from_status", "to_status", "by", "comment"))
    assert rows == [
        (
            InvestigationStatus.AWAITING_ASSIGNMENT,
            InvestigationStatus.ASSIGNED,
            cast.supervisor.pk,
            f"Assigned to {cast.worker.display_name}.",
        ),
        (
            InvestigationStatus.ASSIGNED,
            InvestigationStatus.ASSIGNED,
            cast.supervisor.pk,
            f"Assigned to {second.display_name}.",
        ),
    ]
    page = client_for(cast.supervisor).get(reverse("investigation_detail", args=[waiting.public_id])).content.decode()
    assert f"Assigned to {second.display_name}." in page


@pytest.mark.parametrize("keep", [False, True])
def test_the_previous_worker_loses_access_at_reassignment_unless_the_supervisor_lets_them_keep_reading(
    cast, client_for, keep
):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    second = make_staff("second_worker", Role.CASEWORKER, unit=cast.worker.unit)
    supervisor = client_for(cast.supervisor)
    form = supervisor.get(reverse("investigation_assign", args=[investigation.public_id])).content.decode()
    assert "keep reading it" in form
    posted = {"worker": second.pk, **({"keep_previous_access": "on"} if keep else {})}
    response = supervisor.post(reverse("investigation_assign", args=[investigation.public_id]), posted)
    assert response.status_code == 302
    detail = reverse("investigation_detail", args=[investigation.public_id])
    assert client_for(cast.worker).get(detail).status_code == (200 if keep else 404)
    assert client_for(second).get(detail).status_code == 200
    assert Notification.objects.filter(recipient=cast.worker, message__contains="was reassigned").exists()
    kept = investigation.user_grants.filter(user=cast.worker)
    assert kept.exists() == keep


def test_a_first_assignment_offers_no_access_to_keep(cast, client_for, waiting):
    form = client_for(cast.supervisor).get(reverse("investigation_assign", args=[waiting.public_id])).content.decode()
    assert "keep reading it" not in form
