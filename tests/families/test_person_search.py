"""Searching people: typo-tolerant, any name order, aliases, date of birth and phone, and only people you may see."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families import selectors
from tests.factories import make_person

pytestmark = pytest.mark.django_db

RESULT_ROW = '<td data-label="Name">'


def search(client, **criteria) -> str:
    response = client.get(reverse("person_search"), criteria)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def john(cast):
    return make_person(cast.screener, first_name="John", last_name="Smith", birth_date=date(1988, 4, 2))


def test_it_finds_a_misspelled_name(cast, client_for, john):
    page = search(client_for(cast.screener), name="Jonh Smiht")
    assert reverse("person_detail", args=[john.public_id]) in page


def test_it_finds_a_name_given_last_name_first(cast, client_for, john):
    page = search(client_for(cast.screener), name="Smith, John")
    assert reverse("person_detail", args=[john.public_id]) in page


def test_it_ignores_accents_and_case(cast, client_for):
    jose = make_person(cast.screener, first_name="José", last_name="Núñez")
    page = search(client_for(cast.screener), name="jose nunez")
    assert reverse("person_detail", args=[jose.public_id]) in page


def test_it_finds_a_person_by_an_alias_and_shows_the_alias(cast, client_for):
    person = make_person(cast.screener, first_name="Dolores", last_name="Haze", aliases=[("Lola", "Haze")])
    page = search(client_for(cast.screener), name="Lola Haze")
    assert reverse("person_detail", args=[person.public_id]) in page
    assert "Lola Haze" in page


def test_it_filters_by_date_of_birth(cast, client_for, john):
    namesake = make_person(cast.screener, first_name="John", last_name="Smith", birth_date=date(1990, 1, 9))
    client = client_for(cast.screener)
    page = search(client, name="John Smith", birth_date="1988-04-02")
    assert reverse("person_detail", args=[john.public_id]) in page
    assert reverse("person_detail", args=[namesake.public_id]) not in page
    page = search(client, birth_date="1990-01-09")
    assert reverse("person_detail", args=[namesake.public_id]) in page
    assert reverse("person_detail", args=[john.public_id]) not in page


def test_it_filters_by_phone_whatever_the_formatting(cast, client_for, john):
    caller = make_person(cast.screener, first_name="Ines", last_name="Okafor", phone="(555) 201-3344")
    client = client_for(cast.screener)
    for typed in ("555-201-3344", "5552013344", "201 3344"):
        page = search(client, phone=typed)
        assert reverse("person_detail", args=[caller.public_id]) in page, typed
        assert reverse("person_detail", args=[john.public_id]) not in page


def test_a_date_of_birth_that_is_not_a_date_is_a_form_error(cast, client_for):
    page = search(client_for(cast.screener), birth_date="2-30-yesterday")
    assert "Enter a valid date." in page
    assert RESULT_ROW not in page


def test_it_shows_an_estimated_age_as_an_estimate_and_an_exact_age_with_the_birth_date(cast, client_for):
    make_person(cast.screener, first_name="Wren", last_name="Castellano", approximate_age=7)
    make_person(cast.screener, first_name="Ivy", last_name="Castellano", birth_date=date(2015, 3, 1))
    page = search(client_for(cast.screener), name="Castellano")
    assert "about 7 (estimated)" in page
    assert "born Mar 1, 2015" in page


def test_it_searches_in_the_same_number_of_queries_for_3_or_20_people(cast, client_for, django_assert_num_queries):
    client = client_for(cast.screener)
    for _ in range(3):
        make_person(cast.screener, last_name="Thistlewood")
    search(client, name="Thistlewood")
    with CaptureQueriesContext(connection) as few:
        page = search(client, name="Thistlewood")
    assert page.count(RESULT_ROW) == 3
    for _ in range(17):
        make_person(cast.screener, last_name="Thistlewood", aliases=[("Alias", "Thistlewood")])
    with django_assert_num_queries(len(few)):
        page = search(client, name="Thistlewood")
    assert page.count(RESULT_ROW) == 20


def test_a_caseworker_finds_the_people_of_their_investigations_and_no_one_else(cast, client_for, child):
    stranger = make_person(cast.screener, first_name=child.first_name, last_name=child.last_name)
    page = search(client_for(cast.worker), name=child.full_name)
    assert reverse("person_detail", args=[child.public_id]) in page
    assert reverse("person_detail", args=[stranger.public_id]) not in page


def test_a_worker_of_another_unit_does_not_find_the_child(cast, client_for, child):
    page = search(client_for(cast.other_worker), name=child.full_name)
    assert reverse("person_detail", args=[child.public_id]) not in page
    assert "No one matches." in page


def test_the_administrator_finds_no_one(cast, client_for, child):
    response = client_for(cast.administrator).get(reverse("person_search"), {"name": child.full_name})
    assert response.status_code == 403
    assert selectors.person_search(user=cast.administrator, name=child.full_name) == []


def test_supervisors_program_managers_and_auditors_find_the_child(cast, client_for, child):
    for reader in (cast.supervisor, cast.program_manager, cast.auditor):
        page = search(client_for(reader), name=child.full_name)
        assert reverse("person_detail", args=[child.public_id]) in page, reader.username
    assert child not in selectors.person_search(user=cast.other_supervisor, name=child.full_name)
