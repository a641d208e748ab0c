"""The investigation page: a heading naming the family and children, the report's facts and allegations, the
people, the contacts (purpose, who was seen, collaterals), in a number of queries that does not grow with them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from investigations.services.contacts import investigation_contact_record
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(
        cast.screener, worker=cast.worker, children=2, incident_address="14 Alder Row", children_location="At school"
    )


def log_contacts(cast, investigation, count: int) -> None:
    people = [p.person for p in investigation.report.participants.exclude(role="reporter")]
    for number in range(count):
        investigation_contact_record(
            actor=cast.worker,
            investigation=investigation,
            occurred_at=timezone.now() - timedelta(minutes=90 - number),
            contact_type="face_to_face",
            location="residence",
            people_seen=people,
            narrative=f"Visit {number}.",
            purpose="home_assessment",
            collaterals=[{"name": f"Neighbour {number}", "role": "neighbour"}],
        )


def page(client, investigation) -> str:
    return client.get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()


def test_the_heading_names_the_family_and_children(cast, client_for, investigation):
    children = [p.person for p in investigation.report.participants.filter(role="alleged_victim")]
    html = page(client_for(cast.worker), investigation)
    heading = html[html.index("<h1>") : html.index("</h1>")]
    assert f"{children[0].last_name} family" in heading
    assert all(child.first_name in heading for child in children)
    assert investigation.reference in html


def test_it_shows_the_report_the_people_and_a_way_to_log_a_contact(cast, client_for, investigation):
    html = page(client_for(cast.worker), investigation)
    report = investigation.report
    assert report.reference in html and "14 Alder Row" in html and "At school" in html
    assert "Teacher reports the children arrive hungry" in html
    assert html.count("<strong>Neglect</strong>") == 2
    for participant in report.participants.exclude(role="reporter").select_related("person"):
        assert reverse("person_detail", args=[participant.person.public_id]) in html
        assert participant.get_role_display() in html
    assert reverse("investigation_contact_create", args=[investigation.public_id]) in html


def test_the_contacts_list_their_purpose_people_and_collaterals(cast, client_for, investigation):
    log_contacts(cast, investigation, 1)
    contact = investigation.contacts.get()
    html = page(client_for(cast.worker), investigation)
    assert reverse("contact_detail", args=[contact.public_id]) in html
    assert "Home assessment" in html and "Neighbour 0" in html


def test_read_only_roles_see_no_way_to_log_a_contact(cast, client_for, investigation):
    html = page(client_for(cast.program_manager), investigation)
    assert reverse("investigation_contact_create", args=[investigation.public_id]) not in html


def test_the_page_costs_the_same_queries_with_1_or_40_contacts(cast, client_for, investigation):
    client = client_for(cast.worker)
    log_contacts(cast, investigation, 1)
    page(client, investigation)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("investigation_detail", args=[investigation.public_id])).status_code == 200
        return len(captured)

    one = queries()
    log_contacts(cast, investigation, 39)
    forty = queries()
    assert page(client, investigation).count("Neighbour ") == 40
    assert forty == one


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_the_page_asks_nothing_twice(cast, client_for, investigation, who):
    """Its sections share what several of them read (the allegations, assessments, deadlines, the policy's
    answers): no query is sent twice in one request."""
    log_contacts(cast, investigation, 3)
    client = client_for(getattr(cast, who))
    page(client, investigation)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("investigation_detail", args=[investigation.public_id])).status_code == 200
    sent = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")]
    assert len(sent) == len(set(sent)), [sql for sql in sent if sent.count(sql) > 1]
