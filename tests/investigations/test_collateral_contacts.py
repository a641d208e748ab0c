"""An investigation's contact: its purpose and the collateral contacts who are not on the record, on the shared
contact form and the API, saved together with the contact or not at all."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from investigations.models import CollateralContact, Investigation, InvestigationContact
from investigations.services.contacts import investigation_contact_record
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def victim(investigation):
    return investigation.report.participants.get(role="alleged_victim").person


def form_data(*people, collaterals=(), **overrides) -> dict:
    data = {
        "occurred_at": timezone.localtime(timezone.now() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        "contact_type": "face_to_face",
        "people_seen": [str(person.public_id) for person in people],
        "location": "school",
        "narrative": "Spoke with the child and her teacher at school.",
        "purpose": "interview",
        "collaterals-TOTAL_FORMS": str(len(collaterals) + 1),
        "collaterals-INITIAL_FORMS": "0",
    }
    for number, collateral in enumerate(collaterals):
        data.update({f"collaterals-{number}-{name}": value for name, value in collateral.items()})
    return {**data, **overrides}


TEACHER = {"name": "Ms Rowan Keel", "role": "teacher", "organisation": "Elm Street Primary", "phone": "555-0134"}
NURSE = {"name": "Dale Firth", "role": "doctor", "organisation": "Northside Clinic", "phone": ""}


def test_the_form_offers_the_purpose_and_an_empty_collateral_row(cast, client_for, investigation):
    page = client_for(cast.worker).get(reverse("investigation_contact_create", args=[investigation.public_id]))
    html = page.content.decode()
    assert 'name="purpose"' in html and "Home assessment" in html
    assert 'name="collaterals-0-name"' in html and 'name="collaterals-TOTAL_FORMS" value="1"' in html
    assert "Add another collateral contact" in html


def test_the_worker_records_collaterals_with_the_contact_and_sees_them(cast, client_for, investigation, victim):
    client = client_for(cast.worker)
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    response = client.post(url, form_data(victim, collaterals=[TEACHER, NURSE], purpose="collateral"), follow=True)
    contact = InvestigationContact.objects.get()
    assert contact.purpose == "collateral"
    assert [(c.name, c.role, c.organisation, c.phone) for c in contact.collaterals.all()] == [
        ("Ms Rowan Keel", "teacher", "Elm Street Primary", "555-0134"),
        ("Dale Firth", "doctor", "Northside Clinic", ""),
    ]
    detail = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("contact_detail", args=[contact.public_id])
    assert "Collateral contact" in detail and "Ms Rowan Keel" in detail and "Elm Street Primary" in detail
    assert "Doctor or nurse" in detail
    page = client.get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()
    assert "Ms Rowan Keel" in page and "Dale Firth" in page


def test_the_empty_row_is_skipped(cast, client_for, investigation, victim):
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    response = client_for(cast.worker).post(url, form_data(victim))
    assert response.status_code == 302
    contact = InvestigationContact.objects.get()
    assert contact.purpose == "interview" and not contact.collaterals.exists()


def test_a_half_filled_collateral_is_refused_and_nothing_is_saved(cast, client_for, investigation, victim):
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    half = {"name": "", "role": "teacher", "organisation": "Elm Street Primary", "phone": ""}
    response = client_for(cast.worker).post(url, form_data(victim, collaterals=[TEACHER, half]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="Ms Rowan Keel"' in html and "Spoke with the child and her teacher" in html
    assert not InvestigationContact.objects.exists() and not CollateralContact.objects.exists()


def test_the_purpose_is_required_on_the_page(cast, client_for, investigation, victim):
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    response = client_for(cast.worker).post(url, form_data(victim, purpose=""))
    assert response.status_code == 200 and not InvestigationContact.objects.exists()


def test_a_collateral_contact_names_who_was_contacted(cast, client_for, investigation, victim):
    url = reverse("investigation_contact_create", args=[investigation.public_id])
    response = client_for(cast.worker).post(url, form_data(victim, purpose="collateral"))
    assert response.status_code == 200
    assert "A collateral contact names who was contacted." in response.content.decode()
    assert not InvestigationContact.objects.exists()


def test_a_face_to_face_contact_with_only_a_collateral_is_accepted(cast, investigation):
    contact = investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(minutes=10),
        contact_type="face_to_face",
        location="school",
        people_seen=[],
        narrative="Met the teacher.",
        purpose="collateral",
        collaterals=[TEACHER],
    )
    assert contact.collaterals.get().name == "Ms Rowan Keel"


def test_the_service_refuses_a_bad_collateral_with_nothing_half_saved(cast, investigation, victim):
    with pytest.raises(ValidationError) as refused:
        investigation_contact_record(
            actor=cast.worker,
            investigation=investigation,
            occurred_at=timezone.now() - timedelta(minutes=10),
            contact_type="face_to_face",
            location="school",
            people_seen=[victim],
            narrative="Interview.",
            collaterals=[TEACHER, {"name": "X" * 201, "role": "astronaut"}],
        )
    messages = refused.value.message_dict["collaterals"]
    assert any("Collateral contact 2, name" in message for message in messages)
    assert any("Collateral contact 2, role" in message for message in messages)
    assert not InvestigationContact.objects.exists() and not CollateralContact.objects.exists()


def test_the_api_records_and_reads_the_purpose_and_collaterals(cast, api_for, investigation, victim):
    api = api_for(cast.worker)
    url = reverse("api_contact_investigation_list", args=[investigation.public_id])
    body = {
        "occurred_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "contact_type": "face_to_face",
        "location": "school",
        "people_seen": [str(victim.public_id)],
        "narrative": "Interviewed at school with the teacher present.",
        "purpose": "initial",
        "collaterals": [TEACHER, {"name": "Dale Firth", "role": "doctor"}],
    }
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["purpose"] == "initial"
    assert created["collaterals"] == [TEACHER, {**NURSE, "organisation": ""}]
    [listed] = api.get(url).json()["results"]
    assert listed["collaterals"] == created["collaterals"] and listed["purpose"] == "initial"


def test_the_api_purpose_defaults_to_an_interview(cast, api_for, investigation, victim):
    url = reverse("api_contact_investigation_list", args=[investigation.public_id])
    body = {
        "occurred_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "contact_type": "phone",
        "location": "office",
        "people_seen": [],
        "narrative": "Called the mother.",
    }
    response = api_for(cast.worker).post(url, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["purpose"] == "interview" and response.json()["collaterals"] == []


def test_the_api_refuses_bad_collaterals_with_field_errors(cast, api_for, investigation, victim):
    url = reverse("api_contact_investigation_list", args=[investigation.public_id])
    body = {
        "occurred_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "contact_type": "face_to_face",
        "location": "school",
        "people_seen": [str(victim.public_id)],
        "narrative": "Interview.",
        "purpose": "visit",
        "collaterals": [{"name": "", "role": "astronaut"}],
    }
    response = api_for(cast.worker).post(url, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "purpose" in errors and "collaterals" in errors
    refused = str(errors["collaterals"])
    assert "'name'" in refused and "'role'" in refused
    assert not InvestigationContact.objects.exists()


def test_a_closed_investigation_takes_no_contact(cast, investigation, victim):
    Investigation.objects.filter(pk=investigation.pk).update(status="closed")
    with pytest.raises(ValidationError, match="This investigation is closed"):
        investigation_contact_record(
            actor=cast.worker,
            investigation=investigation,
            occurred_at=timezone.now() - timedelta(minutes=10),
            contact_type="phone",
            location="office",
            people_seen=[],
            narrative="Call.",
        )
