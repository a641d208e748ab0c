"""The case list: every case the viewer may see, closed ones included, found by family, member or reference,
filtered by status, worker, unit, overdue visits and restriction; on the page and in the API; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.naming import child_label
from cases import services
from tests.factories import make_case, make_staff

pytestmark = pytest.mark.django_db


def listed(client, **params) -> str:
    response = client.get(reverse("case_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def closed_case(cast):
    case = make_case(cast.supervisor, worker=cast.worker)
    case = services.case_request_closure(actor=cast.worker, case=case, reason="no_further_services")
    return services.case_approve_closure(actor=cast.supervisor, case=case)


def test_it_lists_closed_cases_with_the_childrens_names_and_ages(cast, client_for):
    case = closed_case(cast)
    child = case.members.filter(role="child").select_related("person").first().person
    page = listed(client_for(cast.supervisor))
    assert case.reference in page and case.family_name in page
    assert child_label(child, timezone.localdate()) in page
    assert case.reference in listed(client_for(cast.supervisor), status="closed")
    assert case.reference not in listed(client_for(cast.supervisor), status="open")


def test_it_finds_a_case_by_family_member_or_reference(cast, client_for):
    case = make_case(cast.supervisor, worker=cast.worker)
    other = make_case(cast.supervisor, worker=cast.worker)
    member = case.members.first().person
    client = client_for(cast.worker)
    for words in (case.family_name, member.first_name, case.reference, case.reference.split()[-1].lower()):
        page = listed(client, q=words)
        assert case.reference in page, words
    assert other.reference not in listed(client, q=case.reference)


def test_it_filters_by_worker_unit_overdue_and_restriction(cast, client_for):
    second = make_staff("second-worker", "caseworker", unit=cast.unit, clearance_sensitive=True)
    mine = make_case(cast.supervisor, worker=cast.worker)
    theirs = make_case(cast.supervisor, worker=second, opened_days_ago=40)
    restricted = make_case(cast.supervisor, worker=second)
    services.case_change_restriction(
        actor=cast.supervisor, case=restricted, access_restriction="sensitive", reason="A relative works here."
    )
    elsewhere = make_case(cast.other_supervisor, worker=cast.other_worker)
    manager = client_for(cast.program_manager)
    by_worker = listed(manager, worker=second.public_id)
    assert theirs.reference in by_worker and mine.reference not in by_worker
    by_unit = listed(manager, unit=cast.other_unit.public_id)
    assert elsewhere.reference in by_unit and mine.reference not in by_unit
    overdue = listed(client_for(cast.supervisor), overdue="on")
    assert theirs.reference in overdue and mine.reference not in overdue
    sensitive = listed(client_for(cast.supervisor), restriction="sensitive")
    assert restricted.reference in sensitive and mine.reference not in sensitive
    assert elsewhere.reference not in listed(client_for(cast.supervisor))


def test_the_api_takes_the_same_filters_and_answers_400_to_a_wrong_one(cast, api_for):
    case = closed_case(cast)
    open_case = make_case(cast.supervisor, worker=cast.worker)
    api = api_for(cast.supervisor)
    found = api.get(reverse("api_case_list"), {"status": "closed", "q": case.family_name}).json()
    assert [row["id"] for row in found["results"]] == [str(case.public_id)]
    mine = api.get(reverse("api_case_list"), {"mine": "true"}).json()
    assert mine["count"] == 0
    assert str(open_case.public_id) in {row["id"] for row in api.get(reverse("api_case_list")).json()["results"]}
    wrong = api.get(reverse("api_case_list"), {"status": "lost", "unit": "not-a-unit"})
    assert wrong.status_code == 400 and set(wrong.json()) >= {"status", "unit"}


def test_the_page_costs_the_same_queries_for_2_or_6_cases(cast, client_for):
    client = client_for(cast.supervisor)
    listed(client)
    counts = []
    for _ in range(2):
        make_case(cast.supervisor, worker=cast.worker)
        make_case(cast.supervisor, worker=cast.worker, children=3)
        with CaptureQueriesContext(connection) as queries:
            listed(client)
        counts.append(len(queries))
        make_case(cast.supervisor, worker=cast.worker)
        make_case(cast.supervisor, worker=cast.worker)
    assert counts[0] == counts[1]


def test_the_menu_leads_every_case_reader_to_the_list(cast, client_for):
    for user in (cast.worker, cast.supervisor, cast.program_manager, cast.auditor):
        nav = client_for(user).get(reverse("home")).content.decode()
        assert f'href="{reverse("case_list")}"' in nav
    assert f'href="{reverse("case_list")}"' not in client_for(cast.administrator).get(reverse("home")).content.decode()
