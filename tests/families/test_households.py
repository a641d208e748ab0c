"""Households: who lives with whom, started from a person's page, seen through the people who live there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent
from families import selectors, services
from families.models import Household, HouseholdMember

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def start(actor, *members, name="Simpson household", started_on=None):
    return services.household_create(
        actor=actor,
        name=name,
        address="742 Evergreen Terrace",
        members=list(members),
        started_on=started_on or TODAY() - timedelta(days=30),
    )


def page_of(client, person) -> str:
    response = client.get(reverse("person_detail", args=[person.public_id]))
    assert response.status_code == 200
    return response.content.decode()


# Pages


def test_it_starts_a_household_from_the_persons_page(cast, client_for, child):
    client = client_for(cast.worker)
    response = client.post(
        reverse("household_create", args=[child.public_id]),
        {"name": "Simpson household", "address": "742 Evergreen Terrace", "started_on": TODAY().isoformat()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("person_detail", args=[child.public_id])
    household = Household.objects.get()
    assert [m.person for m in household.memberships.all()] == [child]
    page = response.content.decode()
    assert "Simpson household" in page and "742 Evergreen Terrace" in page
    assert AuditEvent.objects.filter(action="families.household.created", target_id=str(household.public_id)).exists()
    assert AuditEvent.objects.filter(action="families.person.household_joined", target_id=str(child.public_id)).exists()


def test_it_adds_someone_found_by_search_and_records_who_leaves(cast, client_for, child, parent):
    household = start(cast.screener, child)
    client = client_for(cast.worker)
    search = page_of(client, child).replace("&#x27;", "'")
    assert "Add someone" in search and "Leaves the household" in search
    found = client.get(reverse("person_detail", args=[child.public_id]), {"name": parent.full_name}).content.decode()
    assert f'value="{parent.public_id}"' in found
    response = client.post(
        reverse("household_member_add", args=[child.public_id]),
        {"household": household.public_id, "person": parent.public_id, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    assert household.memberships.filter(person=parent, ended_on__isnull=True).exists()
    assert escape(parent.full_name) in page_of(client, child)

    membership = household.memberships.get(person=child)
    response = client.post(
        reverse("household_member_end", args=[child.public_id]),
        {"membership": membership.public_id, "ended_on": TODAY().isoformat(), "reason": "Placed with kin"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == TODAY() and membership.end_reason == "Placed with kin"
    assert "past member" in page_of(client, child)
    event = AuditEvent.objects.get(action="families.person.household_left")
    assert event.reason == "" and event.changes["reason_given"] and event.actor == cast.worker


def test_the_page_shows_form_errors_and_saves_nothing(cast, client_for, child, parent):
    household = start(cast.screener, child, parent)
    client = client_for(cast.worker)
    response = client.post(
        reverse("household_create", args=[child.public_id]), {"name": "", "started_on": TODAY().isoformat()}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(
        reverse("household_member_add", args=[child.public_id]),
        {"household": household.public_id, "person": parent.public_id, "started_on": TODAY().isoformat()},
    )
    assert response.status_code == 200 and "already a member" in response.content.decode()
    membership = household.memberships.get(person=child)
    response = client.post(
        reverse("household_member_end", args=[child.public_id]),
        {"membership": membership.public_id, "ended_on": (membership.started_on - timedelta(days=1)).isoformat()},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required" in page
    response = client.post(
        reverse("household_member_end", args=[child.public_id]),
        {
            "membership": membership.public_id,
            "ended_on": (membership.started_on - timedelta(days=1)).isoformat(),
            "reason": "Moved",
        },
    )
    assert "before the day they joined" in response.content.decode()
    assert Household.objects.count() == 1 and HouseholdMember.objects.count() == 2
    assert not HouseholdMember.objects.filter(ended_on__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="families.person.household_left").exists()


def test_other_units_get_404_and_readers_get_403(cast, client_for, child):
    household = start(cast.screener, child)
    data = {"name": "Another household", "started_on": TODAY().isoformat()}
    url = reverse("household_create", args=[child.public_id])
    assert client_for(cast.other_worker).post(url, data).status_code == 404
    assert client_for(cast.program_manager).post(url, data).status_code == 403
    membership = household.memberships.get()
    end = {"membership": membership.public_id, "ended_on": TODAY().isoformat(), "reason": "Moved"}
    assert (
        client_for(cast.program_manager).post(reverse("household_member_end", args=[child.public_id]), end).status_code
        == 403
    )
    assert Household.objects.count() == 1
    assert "Start a household" not in page_of(client_for(cast.program_manager), child)
    assert "Simpson household" in page_of(client_for(cast.program_manager), child)


# Services and selectors


def test_it_refuses_a_household_without_members_and_a_merged_person(cast, child, parent):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        start(cast.screener)
    household = start(cast.screener, child)
    with pytest.raises(ValidationError, match="already a member"):
        services.household_add_member(actor=cast.screener, household=household, person=child, started_on=TODAY())
    services.person_merge(actor=cast.supervisor, survivor=child, duplicate=parent, reason="Same child")
    parent.refresh_from_db()
    with pytest.raises(ValidationError, match="merged"):
        services.household_add_member(actor=cast.screener, household=household, person=parent, started_on=TODAY())
    assert HouseholdMember.objects.count() == 1


def test_households_for_reads_in_a_fixed_number_of_queries(cast, child, parent, django_assert_num_queries):
    for number in range(3):
        start(cast.screener, child, parent, name=f"Household {number}")
    # Two reads, and the one INSERT of the list read's audit row (members named from the rows: no lookup).
    with django_assert_num_queries(3):
        households = selectors.households_for(cast.worker, child)
    assert len(households) == 3 and all(len(h.current_memberships) == 2 for h in households)
    assert selectors.households_for(cast.other_worker, child) == []


# API


def test_the_api_creates_lists_adds_and_ends(cast, api_for, child, parent):
    api = api_for(cast.worker)
    url = reverse("api_person_households", args=[child.public_id])
    response = api.post(
        url,
        {"name": "Simpson household", "address": "", "members": [str(child.public_id)], "started_on": "2024-01-02"},
        format="json",
    )
    assert response.status_code == 201, response.content
    household_id = response.json()["id"]
    response = api.post(
        reverse("api_household_members", args=[household_id]),
        {"person": str(parent.public_id), "started_on": "2024-02-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    member_id = response.json()["id"]
    response = api.post(
        reverse("api_household_member_end", args=[member_id]),
        {"ended_on": TODAY().isoformat(), "reason": "Moved out"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["ended_on"] == TODAY().isoformat()
    [household] = api.get(url).json()
    assert household["id"] == household_id
    assert {m["person"]["id"]: m["ended_on"] for m in household["members"]} == {
        str(child.public_id): None,
        str(parent.public_id): TODAY().isoformat(),
    }
    assert AuditEvent.objects.filter(action="families.person.household_joined").count() == 2
    assert AuditEvent.objects.filter(action="families.person.household_left", changes__reason_given=True).count() == 1


def test_the_api_answers_400_and_saves_nothing(cast, api_for, child, parent):
    api = api_for(cast.worker)
    url = reverse("api_person_households", args=[child.public_id])
    response = api.post(url, {"name": "Empty", "members": [], "started_on": "2024-01-02"}, format="json")
    assert response.status_code == 400 and "members" in response.json()
    assert not Household.objects.exists()
    household = start(cast.screener, child)
    response = api.post(
        reverse("api_household_members", args=[household.public_id]),
        {"person": str(child.public_id), "started_on": "2024-02-01"},
        format="json",
    )
    assert response.status_code == 400 and "already a member" in str(response.json())
    membership = household.memberships.get()
    end_url = reverse("api_household_member_end", args=[membership.public_id])
    early = (membership.started_on - timedelta(days=1)).isoformat()
    response = api.post(end_url, {"ended_on": early, "reason": "Moved"}, format="json")
    assert response.status_code == 400 and "ended_on" in response.json()
    response = api.post(end_url, {"ended_on": TODAY().isoformat(), "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    membership.refresh_from_db()
    assert membership.ended_on is None and HouseholdMember.objects.count() == 1


def test_the_api_denies_other_units_and_readers(cast, api_for, child):
    household = start(cast.screener, child)
    membership = household.memberships.get()
    body = {"name": "X", "members": [str(child.public_id)], "started_on": "2024-01-02"}
    url = reverse("api_person_households", args=[child.public_id])
    other, manager = api_for(cast.other_worker), api_for(cast.program_manager)
    assert other.get(url).status_code == 404
    assert other.post(url, body, format="json").status_code == 404
    assert manager.get(url).status_code == 200
    assert manager.post(url, body, format="json").status_code == 403
    join = {"person": str(child.public_id), "started_on": "2024-02-01"}
    members_url = reverse("api_household_members", args=[household.public_id])
    assert other.post(members_url, join, format="json").status_code == 404
    assert manager.post(members_url, join, format="json").status_code == 403
    end_url = reverse("api_household_member_end", args=[membership.public_id])
    end = {"ended_on": TODAY().isoformat(), "reason": "Moved"}
    assert other.post(end_url, end, format="json").status_code == 404
    assert manager.post(end_url, end, format="json").status_code == 403
    assert Household.objects.count() == 1 and HouseholdMember.objects.filter(ended_on__isnull=True).count() == 1
