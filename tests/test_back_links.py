"""Every detail page has a way back: one partial (`common/back.html`) linking to the list it belongs to."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import log_visit, make_case, make_investigation

pytestmark = pytest.mark.django_db


def back_link(page: str) -> str:
    start = page.index('<p class="back">')
    return page[start : page.index("</p>", start)]


def test_each_detail_page_links_back_to_its_list(cast, client_for):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=2)
    contact = log_visit(cast.worker, case, case.members.first().person)
    report = make_investigation(cast.screener).report
    person = case.members.first().person
    event = AuditEvent.objects.filter(target_type="cases.case").first()
    pages = [
        (cast.worker, reverse("case_detail", args=[case.public_id]), reverse("case_list")),
        (
            cast.worker,
            reverse("contact_detail", args=[contact.public_id]),
            reverse("case_detail", args=[case.public_id]),
        ),
        (cast.screener, reverse("intake_detail", args=[report.public_id]), reverse("intake_queue")),
        (cast.worker, reverse("person_detail", args=[person.public_id]), reverse("person_search")),
        (cast.administrator, reverse("staff_detail", args=[cast.worker.public_id]), reverse("staff_list")),
        (
            cast.auditor,
            reverse("audit_target", args=[event.target_type, event.target_id]),
            reverse("audit_list"),
        ),
    ]
    for user, url, back in pages:
        assert f'href="{back}"' in back_link(client_for(user).get(url).content.decode()), url


def test_a_report_links_each_person_on_it_to_their_page(cast, client_for):
    report = make_investigation(cast.screener).report
    victim = report.participants.get(role="alleged_victim").person
    page = client_for(cast.screener).get(reverse("intake_detail", args=[report.public_id])).content.decode()
    assert f'href="{reverse("person_detail", args=[victim.public_id])}"' in page
