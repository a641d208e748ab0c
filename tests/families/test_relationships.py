"""Relationships are recorded once and read from either side: 'Birth parent of' on one page, 'Child (by birth) of'
on the other. Kin linked to a child on an investigation are seen by those who work it."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from families import services
from families.models import Relationship
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def relationships_url(person) -> str:
    return reverse("api_person_relationships", args=[person.public_id])


def page_of(client, person) -> str:
    response = client.get(reverse("person_detail", args=[person.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def link(actor, person, relative, kind="birth_parent", kin_resource=""):
    return services.relationship_create(
        actor=actor, person=person, relative=relative, kind=kind, kin_resource=kin_resource, notes=""
    )


# Pages


def test_it_finds_the_relative_by_search_and_offers_them_to_choose(cast, client_for, child, parent):
    url = reverse("relationship_create", args=[child.public_id])
    page = client_for(cast.worker).get(url, {"name": parent.full_name}).content.decode()
    assert f'value="{parent.public_id}"' in page
    assert f'value="{child.public_id}"' not in page, "nobody is their own relative"


def test_it_records_a_relationship_chosen_from_the_childs_side_and_says_it_both_ways(cast, client_for, child, parent):
    client = client_for(cast.worker)
    url = reverse("relationship_create", args=[child.public_id]) + "?" + urlencode({"name": parent.last_name})
    response = client.post(
        url,
        {"relative": parent.public_id, "kind": "inverse:birth_parent", "kin_resource": "", "notes": "Lives nearby"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("person_detail", args=[child.public_id])
    relationship = Relationship.objects.get()
    assert (relationship.person, relationship.relative, relationship.kind) == (parent, child, "birth_parent")
    message = str(next(iter(response.context["messages"])))
    assert "is birth parent of" in message and "is child (by birth) of" in message
    assert "Child (by birth) of" in page_of(client, child)
    assert "Birth parent of" in page_of(client, parent)
    assert AuditEvent.objects.filter(action="families.relationship.created", actor=cast.worker).exists()


def test_it_refuses_the_same_relationship_twice(cast, client_for, child, parent):
    link(cast.screener, parent, child)
    url = reverse("relationship_create", args=[parent.public_id]) + "?" + urlencode({"name": child.last_name})
    response = client_for(cast.worker).post(url, {"relative": child.public_id, "kind": "birth_parent"})
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert Relationship.objects.count() == 1


def test_kin_show_with_their_kin_resource_status(cast, client_for, child):
    grandmother = make_person(cast.screener, first_name="Edna", last_name="Krabappel", age=66)
    link(cast.screener, grandmother, child, kind="grandparent", kin_resource="placement")
    page = page_of(client_for(cast.worker), child)
    assert "Grandchild of" in page and "Possible placement" in page
    assert "Grandparent of" in page_of(client_for(cast.worker), grandmother)


def test_those_who_work_the_case_see_the_childs_kin_but_not_the_kins_other_relatives(cast, client_for, child):
    grandmother = make_person(cast.screener, first_name="Edna", last_name="Krabappel", age=66)
    cousin = make_person(cast.screener, first_name="Milhouse", last_name="Krabappel", age=9)
    link(cast.screener, grandmother, child, kind="grandparent")
    link(cast.screener, grandmother, cousin, kind="grandparent")
    worker = client_for(cast.worker)
    page = page_of(worker, grandmother)
    assert escape(child.full_name) in page
    assert "Milhouse" not in page
    assert worker.get(reverse("person_detail", args=[cousin.public_id])).status_code == 404
    assert client_for(cast.supervisor).get(reverse("person_detail", args=[grandmother.public_id])).status_code == 200
    other = client_for(cast.other_worker)
    assert other.get(reverse("person_detail", args=[grandmother.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["program_manager", "auditor"])
def test_readers_may_not_record_relationships(cast, client_for, child, parent, role):
    client = client_for(getattr(cast, role))
    url = reverse("relationship_create", args=[child.public_id])
    assert client.post(url, {"relative": parent.public_id, "kind": "sibling"}).status_code == 403
    assert not Relationship.objects.exists()


# API


def test_the_api_reads_a_relationship_from_both_sides(cast, api_for, child, parent):
    link(cast.screener, parent, child)
    api = api_for(cast.worker)
    [from_child] = api.get(relationships_url(child)).json()
    [from_parent] = api.get(relationships_url(parent)).json()
    assert from_child["label"] == "Child (by birth) of" and from_child["other_person"]["id"] == str(parent.public_id)
    assert from_parent["label"] == "Birth parent of" and from_parent["other_person"]["id"] == str(child.public_id)
    assert from_child["id"] == from_parent["id"] == str(Relationship.objects.get().public_id)


def test_the_api_records_a_relationship(cast, api_for, child, parent):
    response = api_for(cast.worker).post(
        relationships_url(parent),
        {"relative": str(child.public_id), "kind": "birth_parent", "kin_resource": "support"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["label"] == "Birth parent of"
    assert Relationship.objects.get().kin_resource == "support"


def test_the_api_will_not_link_someone_the_user_may_not_see(cast, api_for, child):
    stranger = make_person(cast.screener)
    response = api_for(cast.worker).post(
        relationships_url(child), {"relative": str(stranger.public_id), "kind": "sibling"}, format="json"
    )
    assert response.status_code == 400
    assert "relative" in response.json()
    assert not Relationship.objects.exists()


def test_the_api_hides_the_relationships_of_people_the_user_may_not_see(cast, api_for, child):
    assert api_for(cast.other_worker).get(relationships_url(child)).status_code == 404
    assert api_for(cast.program_manager).get(relationships_url(child)).status_code == 200
    response = api_for(cast.program_manager).post(
        relationships_url(child), {"relative": str(child.public_id), "kind": "sibling"}, format="json"
    )
    assert response.status_code == 403
