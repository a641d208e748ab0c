"""An investigation's deadlines on its page and in the API, and the supervisor's excuse of a child's deadline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from investigations.models import ChildContactDeadline
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(
        cast.screener, worker=cast.worker, children=2, received_at=timezone.now() - timedelta(days=5)
    )


def excuse_url(investigation, deadline, api=False):
    name = "api_child_deadline_excuse" if api else "child_deadline_excuse"
    return reverse(name, args=[investigation.public_id, deadline.person.public_id])


def test_the_page_shows_each_deadline_with_its_state(cast, client_for, investigation):
    page = client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id])).content
    page = page.decode()
    for deadline in investigation.child_deadlines.select_related("person"):
        assert f"First face-to-face contact with {deadline.person.full_name}" in page
    assert page.count('class="visit visit-overdue"') == 2
    assert "Safety assessment" in page and "Investigation closure" in page
    assert "Excuse this deadline" not in page


def test_the_supervisor_sees_the_excuse_link(cast, client_for, investigation):
    deadline = investigation.child_deadlines.select_related("person").first()
    page = client_for(cast.supervisor).get(reverse("investigation_detail", args=[investigation.public_id]))
    assert excuse_url(investigation, deadline) in page.content.decode()


def test_the_section_runs_a_fixed_number_of_queries(cast, client_for):
    def queries(children):
        investigation = make_investigation(cast.screener, worker=cast.worker, children=children)
        client = client_for(cast.supervisor)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("investigation_detail", args=[investigation.public_id]))
        return len(captured)

    assert queries(1) == queries(5)


def test_the_supervisor_excuses_a_deadline_and_the_reason_shows_beside_it(cast, client_for, investigation):
    deadline = investigation.child_deadlines.select_related("person").first()
    client = client_for(cast.supervisor)
    response = client.post(excuse_url(investigation, deadline), {"reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(excuse_url(investigation, deadline), {"reason": "Family left; searched known addresses."})
    assert response.status_code == 302
    page = client.get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()
    assert "Family left; searched known addresses." in page and 'class="visit visit-excused"' in page
    # The audit log notes that a reason was given, never its text (that stays on the deadline).
    excused = AuditEvent.objects.get(action="investigations.deadline.excused")
    assert excused.reason == "" and excused.changes.get("reason_given") is True
    assert Notification.objects.filter(recipient=cast.worker, message__contains="was excused").exists()


def test_a_met_deadline_is_not_excused(cast, client_for, investigation):
    deadline = investigation.child_deadlines.select_related("person").first()
    ChildContactDeadline.objects.filter(pk=deadline.pk).update(met_at=timezone.now())
    response = client_for(cast.supervisor).post(excuse_url(investigation, deadline), {"reason": "No need"})
    assert response.status_code == 200 and "already seen" in response.content.decode()


def test_the_api_lists_the_deadlines_and_the_supervisor_excuses_one(cast, api_for, investigation):
    deadline = investigation.child_deadlines.select_related("person").first()
    body = api_for(cast.worker).get(reverse("api_investigation_deadlines", args=[investigation.public_id])).json()
    assert [row["kind"] for row in body] == ["first_contact", "first_contact", "safety_assessment", "closure"]
    assert [row["state"] for row in body][:2] == ["overdue", "overdue"]
    api = api_for(cast.supervisor)
    assert api.post(excuse_url(investigation, deadline, api=True), {}, format="json").status_code == 400
    response = api.post(excuse_url(investigation, deadline, api=True), {"reason": "Not located"}, format="json")
    assert response.status_code == 200
    excused = [row for row in response.json() if row["child"] == str(deadline.person.public_id)]
    assert excused[0]["state"] == "excused" and excused[0]["excused_by"] == str(cast.supervisor.public_id)
    again = api.post(excuse_url(investigation, deadline, api=True), {"reason": "Again"}, format="json")
    assert again.status_code == 400


def test_the_worker_may_not_excuse_their_own_deadline(cast, api_for, client_for, investigation):
    deadline = investigation.child_deadlines.select_related("person").first()
    assert client_for(cast.worker).get(excuse_url(investigation, deadline)).status_code == 403
    api = api_for(cast.worker)
    assert api.post(excuse_url(investigation, deadline, api=True), {"reason": "x"}, format="json").status_code == 403
