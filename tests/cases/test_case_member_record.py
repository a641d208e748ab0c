"""Recording someone new on a case: the person is recorded and joins the case in one go, both or neither, since
recording a person gives no access and the case is what lets the worker see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases import services
from cases.models import CaseMember
from families.models import Person
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    """An open case of the North Unit: two children and a parent, worked by the unit's worker."""
    return make_case(cast.supervisor, worker=cast.worker, opened_days_ago=3)


def member_form(**values) -> dict:
    return {
        "first_name": "Teodor",
        "middle_name": "",
        "last_name": "Quillfeather",
        "suffix": "",
        "birth_date": "",
        "approximate_age": "1",
        "sex": "male",
        "hispanic_ethnicity": "no",
        "primary_language": "English",
        "phone": "",
        "email": "",
        "deceased_on": "",
        "role": "child",
        "started_on": "",
        **values,
    }


def record_url(case) -> str:
    return reverse("case_member_record", args=[case.public_id])


def members_url(case) -> str:
    return reverse("api_case_members", args=[case.public_id])


# The page


def test_the_members_page_links_the_new_page_and_it_links_back(cast, client_for, case):
    client = client_for(cast.worker)
    assert record_url(case) in client.get(reverse("case_member_add", args=[case.public_id])).content.decode()
    assert (
        reverse("person_create") not in client.get(reverse("case_member_add", args=[case.public_id])).content.decode()
    )
    page = client.get(record_url(case)).content.decode()
    assert reverse("case_detail", args=[case.public_id]) in page


def test_it_records_someone_new_and_puts_them_on_the_case(cast, client_for, case):
    client = client_for(cast.worker)
    response = client.post(record_url(case), member_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.public_id])
    member = CaseMember.objects.select_related("person").get(case=case, person__last_name="Quillfeather")
    assert (member.role, member.started_on) == ("child", timezone.localdate())
    # Seen through the case: the recorder opens their page.
    assert client.get(reverse("person_detail", args=[member.person.public_id])).status_code == 200
    created = AuditEvent.objects.get(action="families.person.created", actor=cast.worker)
    assert created.target_id == str(member.person.public_id)
    assert AuditEvent.objects.filter(action="cases.case.member_added", actor=cast.worker).exists()


def test_a_likely_duplicate_is_listed_and_the_box_goes_on(cast, client_for, case):
    on_case = case.members.filter(role="child").select_related("person").first().person
    client = client_for(cast.worker)
    people_before = Person.objects.count()
    typed = member_form(first_name=on_case.first_name, last_name=on_case.last_name, approximate_age="")
    response = client.post(record_url(case), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("person_detail", args=[on_case.public_id]) in page
    assert "None of these is the same person" in page
    assert Person.objects.count() == people_before
    response = client.post(record_url(case), {**typed, "confirmed_not_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == people_before + 1


def test_a_refused_member_keeps_what_was_typed_and_leaves_no_person_behind(cast, client_for, case):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(cast.worker).post(record_url(case), member_form(started_on=tomorrow, phone="555 010 4242"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot join the case in the future" in page
    assert 'value="Quillfeather"' in page and 'value="555 010 4242"' in page and f'value="{tomorrow}"' in page
    assert 'value="child" selected' in page
    assert not Person.objects.filter(last_name="Quillfeather").exists()


def test_a_closed_case_takes_no_one_and_leaves_no_person_behind(cast, client_for, case):
    services.case_request_closure(actor=cast.worker, case=case, reason="reunified")
    services.case_approve_closure(actor=cast.supervisor, case=case)
    response = client_for(cast.supervisor).post(record_url(case), member_form())
    assert response.status_code == 200
    assert "Members join an open case only." in response.content.decode()
    assert not Person.objects.filter(last_name="Quillfeather").exists()


def test_another_units_worker_is_told_the_case_does_not_exist(cast, client_for, case):
    client = client_for(cast.other_worker)
    assert client.get(record_url(case)).status_code == 404
    assert client.post(record_url(case), member_form()).status_code == 404
    assert not Person.objects.filter(last_name="Quillfeather").exists()


def test_a_read_only_role_may_not(cast, client_for, case):
    client = client_for(cast.auditor)
    assert client.get(record_url(case)).status_code == 403
    assert client.post(record_url(case), member_form()).status_code == 403
    assert not Person.objects.filter(last_name="Quillfeather").exists()


# The API


def new_person(**values) -> dict:
    return {"first_name": "Teodor", "last_name": "Quillfeather", "approximate_age": 1, "sex": "male", **values}


def test_the_api_records_a_new_member(cast, api_for, case):
    response = api_for(cast.worker).post(
        members_url(case), {"new_person": new_person(), "role": "child"}, format="json"
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(last_name="Quillfeather")
    assert CaseMember.objects.filter(case=case, person=person, role="child").exists()
    assert AuditEvent.objects.filter(action="families.person.created", target_id=str(person.public_id)).exists()
    assert AuditEvent.objects.filter(action="cases.case.member_added", actor=cast.worker).exists()


def test_the_api_takes_a_person_or_a_new_one_never_both(cast, api_for, case):
    api = api_for(cast.worker)
    someone = case.members.filter(role="parent").first().person
    both = api.post(
        members_url(case),
        {"person": str(someone.public_id), "new_person": new_person(), "role": "child"},
        format="json",
    )
    assert both.status_code == 400
    assert "new_person" in both.json()
    neither = api.post(members_url(case), {"role": "child"}, format="json")
    assert neither.status_code == 400
    assert "person" in neither.json()
    assert not Person.objects.filter(last_name="Quillfeather").exists()


def test_the_api_answers_a_likely_duplicate_as_recording_a_person_does(cast, api_for, case):
    on_case = case.members.filter(role="child").select_related("person").first().person
    api = api_for(cast.worker)
    body = {"new_person": new_person(first_name=on_case.first_name, last_name=on_case.last_name), "role": "parent"}
    body["new_person"].pop("approximate_age")
    response = api.post(members_url(case), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"confirmed_not_duplicate", "possible_duplicates"}
    assert str(on_case.public_id) in [match["id"] for match in response.json()["possible_duplicates"]]
    body["new_person"]["confirmed_not_duplicate"] = True
    assert api.post(members_url(case), body, format="json").status_code == 201


def test_the_api_refuses_a_member_from_tomorrow_and_records_nobody(cast, api_for, case):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api_for(cast.worker).post(
        members_url(case), {"new_person": new_person(), "role": "child", "started_on": tomorrow}, format="json"
    )
    assert response.status_code == 400
    assert "started_on" in response.json()
    assert not Person.objects.filter(last_name="Quillfeather").exists()


def test_the_api_gives_another_units_worker_404(cast, api_for, case):
    response = api_for(cast.other_worker).post(
        members_url(case), {"new_person": new_person(), "role": "child"}, format="json"
    )
    assert response.status_code == 404
    assert not Person.objects.filter(last_name="Quillfeather").exists()
