"""The intake queue's "All" is all: decided reports are found again, by a name on them or their reference."""

import pytest
from django.urls import reverse

from cases import services
from tests.factories import make_investigation, make_report

pytestmark = pytest.mark.django_db


def queue(client, **params) -> str:
    response = client.get(reverse("intake_queue"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_screened_in_report_leaves_the_waiting_tab_but_not_all(cast, client_for):
    screened_in = make_investigation(cast.screener).report
    screened_out = services.report_screen_out(
        actor=cast.screener, report=make_report(cast.screener), reason="duplicate"
    )
    screened_out = services.report_approve_screen_out(actor=cast.supervisor, report=screened_out)
    waiting = make_report(cast.screener)
    client = client_for(cast.screener)
    assert screened_in.reference not in queue(client) and waiting.reference in queue(client)
    every = queue(client, status="all")
    assert all(report.reference in every for report in (screened_in, screened_out, waiting))
    decided = queue(client, status="decided")
    assert screened_in.reference in decided and screened_out.reference in decided and waiting.reference not in decided


def test_it_finds_a_report_by_a_childs_name_or_its_reference(cast, client_for):
    found = make_investigation(cast.screener).report
    other = make_report(cast.screener)
    child = found.participants.get(role="alleged_victim").person
    client = client_for(cast.supervisor)
    for words in (child.first_name, f"{child.first_name} {child.last_name}", found.reference):
        page = queue(client, status="all", q=words)
        assert found.reference in page and other.reference not in page, words
    assert f"{child.first_name}, 7" in queue(client, status="all", q=found.reference)


def test_the_api_searches_every_report(cast, api_for):
    found = make_investigation(cast.screener).report
    api = api_for(cast.screener)
    body = api.get(reverse("api_intake_report_list"), {"status": "all", "q": found.reference}).json()
    assert [row["id"] for row in body["results"]] == [str(found.public_id)]
    assert api.get(reverse("api_intake_report_list"), {"status": "lost"}).status_code == 400
    assert api.get(reverse("api_intake_report_list"), {"q": "word " * 11}).status_code == 400
