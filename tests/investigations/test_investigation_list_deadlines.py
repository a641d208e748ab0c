"""The investigation list (page and API): my investigations or my unit's, the nearest open deadline first,
with that deadline and how it stands, in a fixed number of queries whatever their number."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from investigations.models import Investigation
from investigations.services import investigation_contact_record
from tests.factories import make_investigation, make_staff

pytestmark = pytest.mark.django_db


def received(days=0, hours=2):
    return timezone.now() - timedelta(days=days, hours=hours)


def test_the_nearest_open_deadline_comes_first_with_its_state(cast, api_for):
    fresh = make_investigation(cast.screener, worker=cast.worker, received_at=received(hours=1))
    overdue = make_investigation(cast.screener, worker=cast.worker, received_at=received(days=5))
    due_soon = make_investigation(cast.screener, worker=cast.worker, received_at=received(days=2, hours=12))
    rows = api_for(cast.worker).get(reverse("api_investigation_list"), {"show": "mine"}).json()["results"]
    assert [row["id"] for row in rows] == [str(i.public_id) for i in (overdue, due_soon, fresh)]
    assert [row["nearest_deadline"]["state"] for row in rows] == ["overdue", "due_soon", "on_track"]
    assert {row["nearest_deadline"]["kind"] for row in rows} == {"first_contact"}
    assert rows[0]["nearest_deadline"]["due_at"] is not None


def test_a_met_first_contact_moves_on_to_the_next_deadline(cast, api_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    child = investigation.child_deadlines.get().person
    investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(minutes=10),
        contact_type="face_to_face",
        location="residence",
        people_seen=[child],
        narrative="Saw the child.",
    )
    (row,) = api_for(cast.worker).get(reverse("api_investigation_list")).json()["results"]
    assert row["nearest_deadline"]["kind"] == "safety_assessment"
    detail = api_for(cast.worker).get(reverse("api_investigation_detail", args=[investigation.public_id])).json()
    assert [d["state"] for d in detail["deadlines"]][:2] == ["met_on_time", "on_track"]


def test_mine_and_my_units_filters(cast, client_for, api_for):
    mine = make_investigation(cast.screener, worker=cast.worker)
    colleague = make_staff("colleague", Role.CASEWORKER, unit=cast.unit)
    theirs = make_investigation(cast.screener, worker=colleague)
    unassigned = make_investigation(cast.screener)
    supervisor = api_for(cast.supervisor)
    listed = supervisor.get(reverse("api_investigation_list"), {"show": "unit"}).json()["results"]
    assert {row["id"] for row in listed} == {str(i.public_id) for i in (mine, theirs, unassigned)}
    worker_rows = api_for(cast.worker).get(reverse("api_investigation_list"), {"show": "mine"}).json()["results"]
    assert [row["id"] for row in worker_rows] == [str(mine.public_id)]
    page = client_for(cast.worker).get(reverse("investigation_list"), {"show": "mine"}).content.decode()
    assert "My investigations" in page and mine.reference in page and theirs.reference not in page
    page = client_for(cast.supervisor).get(reverse("investigation_list"), {"show": "unit"}).content.decode()
    assert "My unit's investigations" in page and 'class="visit visit-on_track"' in page


def test_the_list_page_and_api_run_a_fixed_number_of_queries_whatever_their_number(cast, client_for, api_for):
    def queries(get):
        with CaptureQueriesContext(connection) as captured:
            assert get().status_code == 200
        return len(captured)

    client, api = client_for(cast.supervisor), api_for(cast.supervisor)
    make_investigation(cast.screener, worker=cast.worker, children=2)
    page_few = queries(lambda: client.get(reverse("investigation_list")))
    api_few = queries(lambda: api.get(reverse("api_investigation_list")))
    for days in range(8):
        make_investigation(cast.screener, worker=cast.worker, children=3, received_at=received(days=days))
    assert Investigation.objects.count() == 9
    assert queries(lambda: client.get(reverse("investigation_list"))) == page_few
    assert queries(lambda: api.get(reverse("api_investigation_list"))) == api_few


def test_the_list_page_names_each_investigation_for_the_family_not_only_its_code(cast, client_for):
    investigation = make_investigation(cast.screener, worker=cast.worker, received_at=received(hours=1))
    child = investigation.report.participants.filter(role="alleged_victim").first().person
    page = client_for(cast.worker).get(reverse("investigation_list"), {"show": "mine"}).content.decode()
    assert child.first_name in page and investigation.reference in page
