"""Merging duplicate records: supervisors only, both records visible to them, a reason, every link moves,
and the duplicate stays on record marked as merged."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent
from cases import people as case_people
from cases import services as intake
from cases.models import Allegation, Contact, ReportParticipant
from families import selectors, services
from families.choices import AliasKind
from families.models import Person, PersonAddress, PersonAlias, Relationship
from tests.factories import make_case, make_person, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(cast, child):
    """The same child, recorded again on a second report, with a name, an address and a relative of its own."""
    record = make_person(
        cast.screener,
        first_name=child.first_name,
        last_name=child.last_name,
        birth_date=child.birth_date,
        aliases=[("Sunny", child.last_name)],
    )
    services.person_move(
        actor=cast.screener,
        person=record,
        line1="9 Birch Ln",
        line2="",
        city="Fresno",
        state="CA",
        postal_code="",
        started_on=date(2023, 1, 1),
    )
    aunt = make_person(cast.screener, first_name="Selma", last_name="Bouvier", age=45)
    services.relationship_create(actor=cast.screener, person=aunt, relative=record, kind="aunt_uncle")
    second_report = make_report(cast.screener)
    intake.allegation_add(
        actor=cast.screener, report=second_report, victim=record, perpetrator=None, maltreatment_type="medical_neglect"
    )
    return record


def merge_url(survivor: Person, **query) -> str:
    url = reverse("person_merge", args=[survivor.public_id])
    return url + ("?" + urlencode(query) if query else "")


def test_a_supervisor_finds_compares_and_merges_a_duplicate(cast, client_for, child, duplicate):
    client = client_for(cast.supervisor)
    page = client.get(merge_url(child, name=child.last_name)).content.decode()
    assert merge_url(child, duplicate=duplicate.public_id).split("?")[1] in page
    page = client.get(merge_url(child, duplicate=duplicate.public_id)).content.decode()
    assert "9 Birch Ln" in page and "Sunny" in page and "Stays" in page and "Duplicate" in page
    response = client.post(merge_url(child), {"duplicate": duplicate.public_id, "reason": ""})
    assert "This field is required." in response.content.decode()
    response = client.post(
        merge_url(child), {"duplicate": duplicate.public_id, "reason": "Same birth date, mother confirmed"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[child.public_id])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == child


def test_a_merge_moves_every_link_and_is_audited(cast, child, duplicate):
    services.person_merge(actor=cast.supervisor, survivor=child, duplicate=duplicate, reason="Same child")
    assert not ReportParticipant.objects.filter(person=duplicate).exists()
    assert ReportParticipant.objects.filter(person=child).count() == 2
    assert Allegation.objects.filter(victim=child, maltreatment_type="medical_neglect").exists()
    assert not Allegation.objects.filter(victim=duplicate).exists()
    assert Relationship.objects.get(kind="aunt_uncle").relative == child
    assert PersonAddress.objects.get(line1="9 Birch Ln").person == child
    names = {(alias.first_name, alias.kind) for alias in PersonAlias.objects.filter(person=child)}
    assert ("Sunny", AliasKind.ALIAS) in names and (duplicate.first_name, AliasKind.MERGED) in names
    duplicate.refresh_from_db()
    assert duplicate.merged_into == child
    merged = AuditEvent.objects.get(action="families.person.merged")
    assert merged.actor == cast.supervisor and merged.target_id == str(child.public_id)
    assert merged.reason == "" and merged.changes["reason_given"], "the log notes a reason was given, not its text"
    assert AuditEvent.objects.filter(action="families.person.merged_away", target_id=str(duplicate.public_id)).exists()


def test_after_a_merge_search_finds_only_the_survivor_and_the_duplicate_points_to_it(
    cast, client_for, child, duplicate
):
    services.person_merge(actor=cast.supervisor, survivor=child, duplicate=duplicate, reason="Same child")
    found = selectors.person_search(user=cast.screener, name=child.full_name)
    assert child in found and duplicate not in found
    page = client_for(cast.screener).get(reverse("person_detail", args=[duplicate.public_id])).content.decode()
    assert "merged into" in page
    assert reverse("person_detail", args=[child.public_id]) in page and escape(child.full_name) in page


def test_records_holding_the_same_allegation_are_not_merged_until_one_is_corrected(cast, child, duplicate):
    report = duplicate.report_roles.get().report
    intake.allegation_add(
        actor=cast.screener, report=report, victim=child, perpetrator=None, maltreatment_type="medical_neglect"
    )
    with pytest.raises(ValidationError, match="same allegation"):
        services.person_merge(actor=cast.supervisor, survivor=child, duplicate=duplicate, reason="Same child")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not AuditEvent.objects.filter(action="families.person.merged").exists()


def test_a_caseworker_may_not_merge(cast, client_for, api_for, child, duplicate):
    client = client_for(cast.worker)
    assert client.get(merge_url(child)).status_code == 403
    response = client.post(merge_url(child), {"duplicate": duplicate.public_id, "reason": "Same"})
    assert response.status_code == 403
    api_url = reverse("api_person_merge", args=[child.public_id])
    response = api_for(cast.worker).post(api_url, {"duplicate": str(duplicate.public_id), "reason": "Same"})
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_a_supervisor_who_cannot_see_one_of_the_records_gets_not_found(cast, client_for, api_for, child):
    unseen = make_person(cast.screener, first_name=child.first_name, last_name=child.last_name)
    client = client_for(cast.supervisor)
    assert client.get(merge_url(child, duplicate=unseen.public_id)).status_code == 404
    assert client.post(merge_url(child), {"duplicate": unseen.public_id, "reason": "Same"}).status_code == 404
    assert client_for(cast.other_supervisor).get(merge_url(child)).status_code == 404
    api_url = reverse("api_person_merge", args=[child.public_id])
    response = api_for(cast.supervisor).post(api_url, {"duplicate": str(unseen.public_id), "reason": "Same"})
    assert response.status_code == 404
    unseen.refresh_from_db()
    assert unseen.merged_into is None


def test_the_api_merges_and_answers_with_the_survivor(cast, api_for, child, duplicate):
    api_url = reverse("api_person_merge", args=[child.public_id])
    response = api_for(cast.supervisor).post(
        api_url, {"duplicate": str(duplicate.public_id), "reason": "Same child"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(child.public_id)
    assert {"first_name": "Sunny", "last_name": child.last_name, "kind": "alias"} in response.json()["aliases"]
    merged = api_for(cast.screener).get(reverse("api_person_detail", args=[duplicate.public_id])).json()
    assert merged["merged_into"] == str(child.public_id)


def test_the_api_asks_for_a_reason(cast, api_for, child, duplicate):
    api_url = reverse("api_person_merge", args=[child.public_id])
    response = api_for(cast.supervisor).post(api_url, {"duplicate": str(duplicate.public_id)}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


@pytest.fixture
def case_seen_twice(cast):
    """A case with one child, recorded again as a second member (then ended) and seen at a visit under that record."""
    case = make_case(cast.supervisor, worker=cast.worker, children=1, opened_days_ago=20)
    child_member = case.members.get(role="child")
    entered_twice = intake.case_add_new_member(
        actor=cast.supervisor,
        case=case,
        role="child",
        started_on=timezone.localdate() - timedelta(days=15),
        first_name=child_member.person.first_name,
        last_name="Again",
        confirmed_not_duplicate=True,
    )
    again = entered_twice.person
    visit = intake.contact_record(
        actor=cast.worker,
        case=case,
        occurred_at=timezone.now() - timedelta(days=10),
        contact_type="face_to_face",
        location="residence",
        people_seen=[again],
        narrative="Saw the child at home.",
    )
    intake.case_end_member(actor=cast.supervisor, member=entered_twice, ended_on=timezone.localdate(), reason="Twice")
    return case, child_member, again, visit


def test_a_merge_moves_the_people_seen_at_contacts_and_recomputes_the_visit_due_date(cast, case_seen_twice):
    case, child_member, again, visit = case_seen_twice
    child_member.refresh_from_db()
    assert child_member.last_face_to_face_at is None
    services.person_merge(actor=cast.supervisor, survivor=child_member.person, duplicate=again, reason="Same child")
    assert list(visit.people_seen.all()) == [child_member.person]
    assert not Contact.objects.filter(people_seen=again).exists()
    assert case.members.filter(person=child_member.person).count() == 2
    child_member.refresh_from_db()
    assert child_member.last_face_to_face_at == visit.occurred_at
    seen_on = timezone.localdate(visit.occurred_at)
    assert child_member.face_to_face_due == seen_on + timedelta(days=settings.KINDRED_VISIT_INTERVAL_DAYS)
    moved = AuditEvent.objects.get(action="families.person.merged").changes["links_moved"]
    assert moved["contacts (people seen)"] == 1 and moved["case members"] == 1


def test_a_contact_that_saw_both_records_keeps_one_row_for_the_survivor(cast):
    case = make_case(cast.supervisor, worker=cast.worker, children=1, opened_days_ago=5)
    child = case.members.get(role="child").person
    member = intake.case_add_new_member(
        actor=cast.supervisor,
        case=case,
        role="child",
        first_name=child.first_name,
        last_name="Again",
        confirmed_not_duplicate=True,
    )
    again = member.person
    visit = intake.contact_record(
        actor=cast.worker,
        case=case,
        occurred_at=timezone.now() - timedelta(minutes=5),
        contact_type="face_to_face",
        location="residence",
        people_seen=[child, again],
        narrative="Saw both.",
    )
    intake.case_end_member(actor=cast.supervisor, member=member, ended_on=timezone.localdate(), reason="Twice")
    services.person_merge(actor=cast.supervisor, survivor=child, duplicate=again, reason="Same child")
    assert list(visit.people_seen.all()) == [child]


def test_a_link_no_mover_moves_stops_the_merge_and_changes_nothing(cast, case_seen_twice, monkeypatch):
    _case, child_member, again, visit = case_seen_twice
    without_contacts = [link for link in case_people.PERSON_LINKS if link[0] is not Contact]
    monkeypatch.setattr(case_people, "PERSON_LINKS", without_contacts)
    with pytest.raises(ImproperlyConfigured, match="people_seen"):
        services.person_merge(actor=cast.supervisor, survivor=child_member.person, duplicate=again, reason="Same")
    again.refresh_from_db()
    assert again.merged_into is None and list(visit.people_seen.all()) == [again]
    assert again.case_memberships.exists()
