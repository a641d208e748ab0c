"""Recording a person gives no access to them: the records they are on decide who sees them (issue #10, item 5)."""

import pytest
from django.urls import reverse

from families.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_alone(cast) -> Person:
    """Someone the cast's caseworker recorded, on no report, case or relationship."""
    return make_person(cast.worker, first_name="Odalys", last_name="Brightwater", age=9)


def test_it_hides_a_person_on_no_record_from_whoever_recorded_them(cast, client_for, api_for, recorded_alone):
    client = client_for(cast.worker)
    found = client.get(reverse("person_search"), {"name": "Odalys Brightwater"})
    assert reverse("person_detail", args=[recorded_alone.public_id]) not in found.content.decode()
    for name in ("person_detail", "person_edit"):
        assert client.get(reverse(name, args=[recorded_alone.public_id])).status_code == 404
    api = api_for(cast.worker)
    listed = api.get(reverse("api_person_list"), {"name": "Odalys Brightwater"})
    assert listed.status_code == 200
    assert listed.json()["results"] == []
    url = reverse("api_person_detail", args=[recorded_alone.public_id])
    assert api.get(url).status_code == 404
    assert api.patch(url, {"first_name": "Odalis"}, format="json").status_code == 404


def test_a_role_reading_every_person_still_finds_them(cast, client_for, recorded_alone):
    response = client_for(cast.screener).get(reverse("person_search"), {"name": "Odalys Brightwater"})
    assert reverse("person_detail", args=[recorded_alone.public_id]) in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_recording_someone_on_no_record_is_refused_to_whoever_could_not_see_them(cast, client_for, api_for, role):
    user = cast.by_role()[role]
    body = {"first_name": "Odalys", "last_name": "Brightwater", "approximate_age": 9}
    assert client_for(user).get(reverse("person_create")).status_code == 403
    assert api_for(user).post(reverse("api_person_list"), body, format="json").status_code == 403
    assert not Person.objects.filter(last_name="Brightwater").exists()


def test_the_screener_still_records_someone_on_no_record(cast, api_for):
    body = {"first_name": "Odalys", "last_name": "Brightwater", "approximate_age": 9}
    assert api_for(cast.screener).post(reverse("api_person_list"), body, format="json").status_code == 201


def test_the_people_page_offers_the_standalone_form_only_to_those_who_may_use_it(cast, client_for):
    worker_page = client_for(cast.worker).get(reverse("person_search"), {"name": "Nobody Here"}).content.decode()
    assert reverse("person_create") not in worker_page
    assert "Record someone new on this case" in worker_page and "Record a new relative" in worker_page
    screener_page = client_for(cast.screener).get(reverse("person_search")).content.decode()
    assert reverse("person_create") in screener_page
    manager_page = client_for(cast.program_manager).get(reverse("person_search")).content.decode()
    assert reverse("person_create") not in manager_page and "Record a new relative" not in manager_page
