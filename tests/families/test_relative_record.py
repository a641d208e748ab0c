"""Recording a new relative: someone not on record yet is recorded and related to a person in one go, both or
neither, since recording a person gives no access and the relationship is what lets the recorder see them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from families import services
from families.models import Person, Relationship
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def relative_form(**values) -> dict:
    return {
        "first_name": "Ilse",
        "middle_name": "",
        "last_name": "Marchetti",
        "suffix": "",
        "birth_date": "1961-02-14",
        "approximate_age": "",
        "sex": "female",
        "hispanic_ethnicity": "no",
        "primary_language": "English",
        "phone": "",
        "email": "",
        "deceased_on": "",
        "kind": "grandparent",
        "kin_resource": "",
        "notes": "Offers weekend care",
        **values,
    }


def record_url(person: Person) -> str:
    return reverse("relationship_record", args=[person.public_id])


def api_url(person: Person) -> str:
    return reverse("api_person_relationships", args=[person.public_id])


# The page


def test_it_records_a_new_relative_and_the_relationship_together(cast, client_for, child):
    client = client_for(cast.worker)
    response = client.post(record_url(child), relative_form(kind="inverse:grandparent"))
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[child.public_id])
    grandmother = Person.objects.get(last_name="Marchetti")
    relationship = Relationship.objects.get(relative=child)
    assert (relationship.person, relationship.kind, relationship.notes) == (
        grandmother,
        "grandparent",
        "Offers weekend care",
    )
    # Seen through the child: the recorder opens the new relative's page.
    assert client.get(reverse("person_detail", args=[grandmother.public_id])).status_code == 200
    created = AuditEvent.objects.get(action="families.person.created", actor=cast.worker)
    assert created.target_id == str(grandmother.public_id)
    assert AuditEvent.objects.filter(action="families.relationship.created", actor=cast.worker).exists()


def test_the_person_page_and_the_relationship_page_link_the_new_page(cast, client_for, child):
    client = client_for(cast.worker)
    assert record_url(child) in client.get(reverse("person_detail", args=[child.public_id])).content.decode()
    assert record_url(child) in client.get(reverse("relationship_create", args=[child.public_id])).content.decode()
    page = client.get(record_url(child)).content.decode()
    assert reverse("person_detail", args=[child.public_id]) in page, "a way back"


def test_a_likely_duplicate_is_listed_and_the_box_goes_on(cast, client_for, child, parent):
    client = client_for(cast.worker)
    people_before = Person.objects.count()
    typed = relative_form(first_name=parent.first_name, last_name=parent.last_name, birth_date="")
    response = client.post(record_url(child), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("person_detail", args=[parent.public_id]) in page
    assert "None of these is the same person" in page
    assert f'value="{parent.first_name}"' in page, "what was typed is kept"
    assert not Relationship.objects.exists()
    assert Person.objects.count() == people_before
    response = client.post(record_url(child), {**typed, "confirmed_not_duplicate": "on"})
    assert response.status_code == 302
    assert Relationship.objects.filter(person=child, kind="grandparent").exists()


def test_a_refusal_keeps_what_was_typed_and_records_nobody(cast, client_for, child):
    client = client_for(cast.worker)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(record_url(child), relative_form(birth_date=tomorrow, phone="555 010 3131"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Marchetti"' in page and 'value="555 010 3131"' in page and "Offers weekend care" in page
    assert 'value="grandparent" selected' in page
    assert not Person.objects.filter(last_name="Marchetti").exists()


def test_a_relative_of_someone_seen_only_as_a_relative_is_refused_and_nothing_is_saved(cast, client_for, child):
    aunt = make_person(cast.screener, first_name="Selma", last_name="Voss", age=45)
    services.relationship_create(actor=cast.screener, person=aunt, relative=child, kind="aunt_uncle")
    response = client_for(cast.worker).post(record_url(aunt), relative_form(kind="sibling"))
    assert response.status_code == 200
    assert "out of your sight" in response.content.decode()
    assert not Person.objects.filter(last_name="Marchetti").exists()
    assert Relationship.objects.count() == 1


def test_another_units_worker_is_told_the_person_does_not_exist(cast, client_for, child):
    client = client_for(cast.other_worker)
    assert client.get(record_url(child)).status_code == 404
    assert client.post(record_url(child), relative_form()).status_code == 404
    assert not Person.objects.filter(last_name="Marchetti").exists()


# The API


def new_relative(**values) -> dict:
    return {"first_name": "Ilse", "last_name": "Marchetti", "birth_date": "1961-02-14", "sex": "female", **values}


def test_the_api_records_a_new_relative(cast, api_for, child):
    response = api_for(cast.worker).post(
        api_url(child), {"new_relative": new_relative(), "kind": "grandchild_of_does_not_exist"}, format="json"
    )
    assert response.status_code == 400 and "kind" in response.json()
    response = api_for(cast.worker).post(
        api_url(child), {"new_relative": new_relative(), "kind": "sibling"}, format="json"
    )
    assert response.status_code == 201, response.json()
    sibling = Person.objects.get(last_name="Marchetti")
    assert response.json()["other_person"]["id"] == str(sibling.public_id)
    assert Relationship.objects.filter(person=child, relative=sibling, kind="sibling").exists()
    assert AuditEvent.objects.filter(action="families.person.created", target_id=str(sibling.public_id)).exists()


def test_the_api_takes_a_relative_or_a_new_one_never_both(cast, api_for, child, parent):
    api = api_for(cast.worker)
    both = api.post(
        api_url(child),
        {"relative": str(parent.public_id), "new_relative": new_relative(), "kind": "sibling"},
        format="json",
    )
    assert both.status_code == 400
    assert "new_relative" in both.json()
    neither = api.post(api_url(child), {"kind": "sibling"}, format="json")
    assert neither.status_code == 400
    assert "relative" in neither.json()
    assert not Person.objects.filter(last_name="Marchetti").exists()


def test_the_api_answers_a_likely_duplicate_as_recording_a_person_does(cast, api_for, child, parent):
    api = api_for(cast.worker)
    body = {"new_relative": new_relative(first_name=parent.first_name, last_name=parent.last_name, birth_date=None)}
    response = api.post(api_url(child), {**body, "kind": "sibling"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"confirmed_not_duplicate", "possible_duplicates"}
    assert str(parent.public_id) in [match["id"] for match in response.json()["possible_duplicates"]]
    confirmed = {"new_relative": {**body["new_relative"], "confirmed_not_duplicate": True}, "kind": "sibling"}
    assert api.post(api_url(child), confirmed, format="json").status_code == 201


def test_the_api_names_a_new_relatives_own_fields_under_it(cast, api_for, child):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api_for(cast.worker).post(
        api_url(child), {"new_relative": new_relative(birth_date=tomorrow), "kind": "sibling"}, format="json"
    )
    assert response.status_code == 400
    assert "birth_date" in response.json()["new_relative"]
    assert not Person.objects.filter(last_name="Marchetti").exists()


def test_the_api_gives_another_units_worker_404(cast, api_for, child):
    response = api_for(cast.other_worker).post(
        api_url(child), {"new_relative": new_relative(), "kind": "sibling"}, format="json"
    )
    assert response.status_code == 404
    assert not Person.objects.filter(birth_date=date(1961, 2, 14)).exists()
