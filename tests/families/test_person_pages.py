"""A person's pages: recording (with the duplicate check), the person page, and changes to names, addresses, ICWA."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent
from cases import services as intake
from cases.choices import ParticipantRole
from families import services
from families.models import Person
from investigations.models import Investigation
from investigations.services import investigation_assign
from tests.factories import make_person, make_report

pytestmark = pytest.mark.django_db

CHANGE_PAGES = ["person_edit", "person_add_alias", "person_move", "person_icwa", "relationship_create"]


def person_form(**values) -> dict:
    return {
        "first_name": "Maria",
        "middle_name": "",
        "last_name": "Gonzalez",
        "suffix": "",
        "birth_date": "",
        "approximate_age": "",
        "sex": "female",
        "hispanic_ethnicity": "yes",
        "primary_language": "Spanish",
        "phone": "",
        "email": "",
        "deceased_on": "",
        **values,
    }


# Recording a person


def test_it_records_a_person_with_races_and_other_names(cast, client_for):
    client = client_for(cast.screener)
    response = client.post(
        reverse("person_create"),
        person_form(
            birth_date="2016-05-04",
            races=["black", "white"],
            alias_1_first_name="Mari",
            alias_1_last_name="Gonzalez",
            interpreter_needed="on",
        ),
    )
    person = Person.objects.get(last_name="Gonzalez")
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[person.public_id])
    assert person.races == ["black", "white"]
    assert person.interpreter_needed
    assert [str(alias) for alias in person.aliases.all()] == ["Mari Gonzalez"]
    assert AuditEvent.objects.get(action="families.person.created").target_id == str(person.public_id)


def test_a_likely_duplicate_keeps_what_was_typed_and_lists_the_matches(cast, client_for):
    existing = make_person(cast.screener, first_name="Maria", last_name="Gonzalez", birth_date=date(2016, 5, 4))
    client = client_for(cast.screener)
    typed = person_form(
        last_name="Gonzales",
        middle_name="Elena",
        birth_date="2016-05-04",
        phone="555 010 2020",
        races=["white"],
        alias_1_first_name="Mary",
        alias_1_last_name="Gonzales",
    )
    response = client.post(reverse("person_create"), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Person.objects.filter(last_name="Gonzales").exists()
    assert reverse("person_detail", args=[existing.public_id]) in page
    assert "None of these is the same person" in page
    for value in ('value="Elena"', 'value="Gonzales"', 'value="2016-05-04"', 'value="555 010 2020"', 'value="Mary"'):
        assert value in page, value
    assert re.search(r'value="white"[^>]*checked', page)


def test_confirming_that_none_is_the_same_person_records_the_new_one(cast, client_for):
    make_person(cast.screener, first_name="Maria", last_name="Gonzalez", birth_date=date(2016, 5, 4))
    client = client_for(cast.screener)
    typed = person_form(last_name="Gonzales", birth_date="2016-05-04", confirmed_not_duplicate="on")
    response = client.post(reverse("person_create"), typed)
    assert response.status_code == 302
    assert Person.objects.filter(last_name="Gonzales").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"birth_date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "cannot be in the future"),
        ({"birth_date": "2016-05-04", "approximate_age": "9"}, "not both"),
        ({"races": ["martian"]}, "Select a valid choice"),
    ],
    ids=["future date of birth", "date of birth and approximate age", "unknown race"],
)
def test_it_explains_what_is_wrong_and_saves_nothing(cast, client_for, values, message):
    response = client_for(cast.screener).post(reverse("person_create"), person_form(**values))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(last_name="Gonzalez").exists()
    assert not AuditEvent.objects.filter(action="families.person.created").exists()


# Recording gives no access: only a role reading every person records someone on no record (the screener).
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "program_manager", "auditor", "administrator"])
def test_only_a_role_reading_every_person_records_someone_alone(cast, client_for, role):
    client = client_for(cast.by_role()[role])
    assert client.get(reverse("person_create")).status_code == 403
    assert client.post(reverse("person_create"), person_form()).status_code == 403
    assert not Person.objects.exists()


# The person page


def test_the_person_page_shows_the_whole_picture(cast, client_for, child, parent):
    screener = cast.screener
    services.person_add_alias(actor=screener, person=child, first_name="Bee", last_name="", kind="nickname")
    address = {"line2": "", "city": "Fresno", "state": "ca", "postal_code": "93701"}
    services.person_move(actor=screener, person=child, line1="12 Elm St", started_on=date(2020, 1, 1), **address)
    services.person_move(actor=screener, person=child, line1="40 Oak Ave", started_on=date(2023, 6, 1), **address)
    services.person_record_icwa_inquiry(
        actor=screener, person=child, reason_to_know="yes", tribes=[("Navajo Nation", "enrolled")]
    )
    services.relationship_create(
        actor=screener, person=parent, relative=child, kind="birth_parent", kin_resource="", notes=""
    )
    response = client_for(cast.worker).get(reverse("person_detail", args=[child.public_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(child.full_name) in page
    assert "Bee" in page and "Nickname" in page
    assert "40 Oak Ave, Fresno, CA, 93701" in page
    assert "Earlier addresses" in page and "12 Elm St" in page
    assert "Navajo Nation" in page and "Enrolled member" in page
    assert "Reason to know" in page and escape(screener.display_name) in page
    assert "Child (by birth) of" in page and escape(parent.full_name) in page
    report = child.report_roles.get().report
    assert report.reference in page and "Alleged victim" in page


def test_an_estimated_age_reads_as_an_estimate_on_the_page(cast, client_for):
    person = make_person(cast.screener, approximate_age=7)
    page = client_for(cast.screener).get(reverse("person_detail", args=[person.public_id])).content.decode()
    assert "about 7 (estimated)" in page


def test_every_read_of_the_person_page_is_audited(cast, client_for, child):
    client_for(cast.auditor).get(reverse("person_detail", args=[child.public_id]))
    event = AuditEvent.objects.get(action="families.person.viewed")
    assert event.actor == cast.auditor
    assert event.target_id == str(child.public_id)
    assert child.last_name not in event.target_label, "the audit log names people by record id only"


@pytest.mark.parametrize("role", ["other_worker", "other_supervisor", "administrator"])
def test_someone_who_may_not_see_the_child_gets_not_found(cast, client_for, child, role):
    client = client_for(getattr(cast, role))
    assert client.get(reverse("person_detail", args=[child.public_id])).status_code == 404
    for name in CHANGE_PAGES:
        assert client.get(reverse(name, args=[child.public_id])).status_code == 404, name
    assert not AuditEvent.objects.filter(action="families.person.viewed").exists()


@pytest.mark.parametrize("role", ["program_manager", "auditor"])
def test_program_managers_and_auditors_read_but_change_nothing(cast, client_for, child, role):
    client = client_for(getattr(cast, role))
    assert client.get(reverse("person_detail", args=[child.public_id])).status_code == 200
    for name in CHANGE_PAGES:
        assert client.get(reverse(name, args=[child.public_id])).status_code == 403, name
    response = client.post(reverse("person_edit", args=[child.public_id]), person_form())
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="families.person.updated").exists()


def test_a_caseworker_never_learns_who_made_the_report(cast, client_for):
    report = make_report(cast.screener)
    reporter = make_person(cast.screener, first_name="Rhoda", last_name="Penmark")
    intake.report_add_person(actor=cast.screener, report=report, person=reporter, role=ParticipantRole.REPORTER)
    intake.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    investigation_assign(
        actor=cast.supervisor, investigation=Investigation.objects.get(report=report), worker=cast.worker
    )
    assert client_for(cast.worker).get(reverse("person_detail", args=[reporter.public_id])).status_code == 404
    page = client_for(cast.supervisor).get(reverse("person_detail", args=[reporter.public_id])).content.decode()
    assert report.reference in page and "Reporter" in page


# Changes


def test_it_saves_an_edit_with_an_audit_row(cast, client_for, child):
    values = person_form(
        first_name=child.first_name,
        last_name=child.last_name,
        birth_date=child.birth_date.isoformat(),
        phone="555-0100",
    )
    response = client_for(cast.worker).post(reverse("person_edit", args=[child.public_id]), values)
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.phone == "555-0100" and child.phone_digits == "5550100"
    event = AuditEvent.objects.get(action="families.person.updated")
    assert event.actor == cast.worker
    assert "phone" in event.changes["fields"] and "555" not in str(event.changes), "field names, never values"


def test_an_edit_giving_both_a_birth_date_and_an_age_is_refused(cast, client_for, child):
    values = person_form(
        first_name=child.first_name, last_name=child.last_name, birth_date="2019-01-01", approximate_age="7"
    )
    response = client_for(cast.worker).post(reverse("person_edit", args=[child.public_id]), values)
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not AuditEvent.objects.filter(action="families.person.updated").exists()


def test_it_adds_another_name_that_search_then_finds(cast, client_for, child):
    client = client_for(cast.worker)
    response = client.post(
        reverse("person_add_alias", args=[child.public_id]),
        {"first_name": "Kiki", "last_name": "Marchetti", "kind": "previous"},
    )
    assert response.status_code == 302
    page = client.get(reverse("person_search"), {"name": "Kiki Marchetti"}).content.decode()
    assert reverse("person_detail", args=[child.public_id]) in page


def test_a_new_address_ends_the_current_one(cast, client_for, child):
    client = client_for(cast.worker)
    url = reverse("person_move", args=[child.public_id])
    first = {"line1": "12 Elm St", "city": "Fresno", "state": "CA", "postal_code": "", "started_on": "2022-02-01"}
    assert client.post(url, first).status_code == 302
    assert client.post(url, {**first, "line1": "40 Oak Ave", "started_on": "2024-03-15"}).status_code == 302
    old, new = child.addresses.order_by("started_on")
    assert old.ended_on == date(2024, 3, 15) and new.ended_on is None
    response = client.post(url, {**first, "line1": "1 Early Rd", "started_on": "2020-01-01"})
    assert "starts before the current one" in response.content.decode()


def test_it_records_an_icwa_inquiry_and_asks_for_a_tribe_when_there_is_reason_to_know(cast, client_for, child):
    client = client_for(cast.worker)
    url = reverse("person_icwa", args=[child.public_id])
    response = client.post(url, {"reason_to_know": "yes"})
    assert "Name at least one tribe" in response.content.decode()
    response = client.post(
        url,
        {
            "reason_to_know": "yes",
            "tribe_1": "Cherokee Nation",
            "enrollment_1": "eligible",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.icwa_reason_to_know == "yes" and child.icwa_asked_by == cast.worker
    assert [(t.tribe, t.enrollment_status) for t in child.tribal_affiliations.all()] == [
        ("Cherokee Nation", "eligible")
    ]
    assert AuditEvent.objects.filter(action="families.person.icwa_inquiry", actor=cast.worker).exists()
