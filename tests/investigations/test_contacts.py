"""An investigation's contacts, in investigations' own table, read and corrected on the shared contact pages and API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from cases.models import Contact
from families.services import person_merge
from investigations.models import InvestigationContactAmendment
from investigations.services.contacts import investigation_contact_record
from tests.factories import make_investigation, make_relative

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def contact(cast, investigation):
    victim = investigation.report.participants.get(role="alleged_victim").person
    return investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(minutes=30),
        contact_type="face_to_face",
        location="school",
        people_seen=[victim],
        narrative="Interviewed the child at school.",
    )


def test_the_contact_page_leads_back_to_the_investigation(cast, client_for, investigation, contact):
    page = client_for(cast.worker).get(reverse("contact_detail", args=[contact.public_id])).content.decode()
    assert f'href="{reverse("investigation_detail", args=[investigation.public_id])}"' in page
    assert "Interviewed the child at school." in page
    assert not Contact.objects.exists()


def test_the_worker_corrects_it_on_the_shared_page(cast, client_for, investigation, contact):
    url = reverse("contact_amend", args=[contact.public_id])
    data = {"field": "safety_concerns", "value": "A bruise on the arm.", "reason": "Left out"}
    response = client_for(cast.worker).post(url, data)
    assert response.status_code == 302
    amendment = InvestigationContactAmendment.objects.get()
    assert (amendment.contact, amendment.field, amendment.old_value) == (contact, "safety_concerns", "")
    event = AuditEvent.objects.get(action="cases.contact.amended")
    assert event.target_id == str(investigation.public_id)
    assert Notification.objects.filter(recipient=cast.supervisor, message__contains="safety concerns").exists()


def test_the_api_reads_and_corrects_it(cast, api_for, investigation, contact):
    api = api_for(cast.worker)
    amend = reverse("api_contact_amend", args=[contact.public_id])
    response = api.post(amend, {"field": "next_steps", "value": "Home visit.", "reason": "Agreed"}, format="json")
    assert response.status_code == 200, response.json()
    body = api.get(reverse("api_contact_detail", args=[contact.public_id])).json()
    assert body["investigation"] == str(investigation.public_id) and body["case"] is None
    assert [(row["field"], row["new_value"]) for row in body["amendments"]] == [("next_steps", "Home visit.")]


@pytest.mark.parametrize(("who", "status"), [("program_manager", 403), ("other_worker", 404), ("administrator", 404)])
def test_only_those_working_the_investigation_correct_its_contacts(cast, client_for, contact, who, status):
    url = reverse("contact_amend", args=[contact.public_id])
    assert client_for(getattr(cast, who)).get(url).status_code == status


def test_a_merge_moves_the_people_seen_at_investigation_contacts(cast, contact):
    victim = contact.people_seen.get()
    # Recorded again as the child's relative, so that the supervisor sees the duplicate (recording gives no access).
    again = make_relative(cast.screener, of=victim, first_name=victim.first_name, last_name="Again")
    contact.people_seen.set([again])
    person_merge(actor=cast.supervisor, survivor=victim, duplicate=again, reason="Same child")
    assert list(contact.people_seen.all()) == [victim]
    moved = AuditEvent.objects.get(action="families.person.merged").changes["links_moved"]
    assert moved == {"investigation contacts (people seen)": 1}
