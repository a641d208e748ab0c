"""What the report page offers on a draft: two ways on, each said for what it is."""

import pytest
from django.urls import reverse

from cases import services

pytestmark = pytest.mark.django_db


def test_a_draft_says_what_submit_and_decide_are_each_for(cast, client_for, report):
    page = client_for(cast.screener).get(reverse("intake_detail", args=[report.public_id])).content.decode()
    assert "Submit for decision" in page and ">Decide</a>" in page
    assert 'id="submit-or-decide"' in page
    assert "puts the finished report in the queue for a screener to decide" in page
    # One primary action: submitting is the secondary one when the screener may decide at once.
    assert 'class="secondary" aria-describedby="submit-or-decide">Submit for decision' in page


def test_the_report_lists_a_person_with_two_roles_once(cast, client_for, report):
    parent = report.participants.get(role="alleged_perpetrator").person
    services.report_add_person(actor=cast.screener, report=report, person=parent, role="parent_caregiver")
    page = client_for(cast.screener).get(reverse("intake_detail", args=[report.public_id])).content.decode()
    people = page[page.index("<h2>People</h2>") : page.index("<h2>Allegations</h2>")]
    assert people.count(parent.full_name) == 1
    assert "Alleged perpetrator, Parent or caregiver" in people or "Parent or caregiver, Alleged perpetrator" in people
