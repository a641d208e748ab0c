"""The people API follows the same rules as the pages: search, record with a duplicate check, read, change."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from families.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db

LIST = reverse("api_person_list")


def detail(person: Person) -> str:
    return reverse("api_person_detail", args=[person.public_id])


def new_person(**values) -> dict:
    return {"first_name": "Maria", "last_name": "Gonzalez", "sex": "female", **values}


def found_ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Search


def test_it_searches_by_name_despite_typos_and_order(cast, api_for):
    john = make_person(cast.screener, first_name="John", last_name="Smith", birth_date=date(1988, 4, 2))
    api = api_for(cast.screener)
    assert str(john.public_id) in found_ids(api.get(LIST, {"name": "Jonh Smiht"}))
    assert str(john.public_id) in found_ids(api.get(LIST, {"name": "smith john"}))


def test_it_filters_by_date_of_birth_and_phone(cast, api_for):
    john = make_person(cast.screener, first_name="John", last_name="Smith", birth_date=date(1988, 4, 2))
    other = make_person(cast.screener, first_name="John", last_name="Smith", phone="555-201-3344")
    api = api_for(cast.screener)
    assert found_ids(api.get(LIST, {"name": "John Smith", "birth_date": "1988-04-02"})) == [str(john.public_id)]
    assert found_ids(api.get(LIST, {"phone": "(555) 201 3344"})) == [str(other.public_id)]


def test_a_bad_date_of_birth_is_a_400_with_the_field_named(cast, api_for):
    response = api_for(cast.screener).get(LIST, {"birth_date": "April 2nd"})
    assert response.status_code == 400
    assert "birth_date" in response.json()


def test_the_search_shows_ids_never_database_keys(cast, api_for, child):
    response = api_for(cast.worker).get(LIST, {"name": child.full_name})
    row = next(row for row in response.json()["results"] if row["id"] == str(child.public_id))
    assert "pk" not in row
    assert row["age"] == child.age_on(timezone.localdate()) and row["age_is_estimate"] is False


def test_only_people_the_user_may_see_are_found(cast, api_for, child):
    assert str(child.public_id) in found_ids(api_for(cast.worker).get(LIST, {"name": child.full_name}))
    assert found_ids(api_for(cast.other_worker).get(LIST, {"name": child.full_name})) == []
    assert api_for(cast.administrator).get(LIST, {"name": child.full_name}).status_code == 403


# Recording


def test_it_records_a_person(cast, api_for):
    response = api_for(cast.screener).post(
        LIST,
        new_person(approximate_age=7, races=["asian"], aliases=[{"first_name": "Mari", "last_name": ""}]),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(public_id=body["id"])
    assert body["age"] == 7 and body["age_is_estimate"] is True
    assert body["approximate_age_on"] == timezone.localdate().isoformat()
    assert person.races == ["asian"]
    assert body["aliases"] == [{"first_name": "Mari", "last_name": "", "kind": "alias"}]


def test_a_likely_duplicate_is_a_400_listing_the_matches_until_confirmed(cast, api_for):
    existing = make_person(cast.screener, first_name="Maria", last_name="Gonzalez", birth_date=date(2016, 5, 4))
    api = api_for(cast.screener)
    response = api.post(LIST, new_person(last_name="Gonzales", birth_date="2016-05-04"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["confirmed_not_duplicate"]
    assert body["possible_duplicates"] == [
        {
            "id": str(existing.public_id),
            "name": "Maria Gonzalez",
            "birth_date": "2016-05-04",
            "age": existing.age_on(timezone.localdate()),
        }
    ]
    assert not Person.objects.filter(last_name="Gonzales").exists()
    confirmed = new_person(last_name="Gonzales", birth_date="2016-05-04", confirmed_not_duplicate=True)
    assert api.post(LIST, confirmed, format="json").status_code == 201
    assert Person.objects.filter(last_name="Gonzales").count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"birth_date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "birth_date"),
        ({"birth_date": "2016-05-04", "approximate_age": 9}, "approximate_age"),
        ({"races": ["martian"]}, "races"),
        ({"first_name": ""}, "first_name"),
    ],
    ids=["future date of birth", "date of birth and approximate age", "unknown race", "no first name"],
)
def test_invalid_values_are_a_400_with_field_errors_and_nothing_saved(cast, api_for, values, field):
    response = api_for(cast.screener).post(LIST, new_person(**values), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Person.objects.filter(last_name="Gonzalez").exists()


@pytest.mark.parametrize("role", ["program_manager", "auditor", "administrator"])
def test_roles_that_do_not_record_people_get_403(cast, api_for, role):
    response = api_for(cast.by_role()[role]).post(LIST, new_person(), format="json")
    assert response.status_code == 403
    assert not Person.objects.exists()


# Reading and changing


def test_reading_a_person_is_audited(cast, api_for, child):
    response = api_for(cast.worker).get(detail(child))
    assert response.status_code == 200
    assert response.json()["id"] == str(child.public_id)
    event = AuditEvent.objects.get(action="families.person.viewed")
    assert event.actor == cast.worker and event.target_id == str(child.public_id)


@pytest.mark.parametrize("role", ["other_worker", "other_supervisor", "administrator"])
def test_someone_who_may_not_see_the_child_gets_404(cast, api_for, child, role):
    api = api_for(getattr(cast, role))
    assert api.get(detail(child)).status_code == 404
    assert api.patch(detail(child), {"phone": "555"}, format="json").status_code == 404


@pytest.mark.parametrize("role", ["program_manager", "auditor"])
def test_program_managers_and_auditors_read_but_may_not_change(cast, api_for, child, role):
    api = api_for(getattr(cast, role))
    assert api.get(detail(child)).status_code == 200
    assert api.patch(detail(child), {"phone": "555"}, format="json").status_code == 403
    child.refresh_from_db()
    assert child.phone == ""


def test_the_assigned_worker_changes_a_person_with_an_audit_row(cast, api_for, child):
    response = api_for(cast.worker).patch(detail(child), {"phone": "555-0100", "races": ["black"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "555-0100"
    child.refresh_from_db()
    assert child.races == ["black"]
    event = AuditEvent.objects.get(action="families.person.updated")
    assert event.changes == {"fields": ["phone", "races"]}


def test_a_change_that_breaks_a_rule_is_a_400(cast, api_for, child):
    response = api_for(cast.worker).patch(detail(child), {"approximate_age": 7}, format="json")
    assert response.status_code == 400
    assert "approximate_age" in response.json()


def test_replacing_a_birth_date_with_an_estimate_dates_the_estimate(cast, api_for, child):
    response = api_for(cast.worker).patch(detail(child), {"birth_date": None, "approximate_age": 8}, format="json")
    assert response.status_code == 200
    assert response.json()["approximate_age_on"] == timezone.localdate().isoformat()
    assert response.json()["age_is_estimate"] is True
