"""A way between a case and its people: each member links to their page, and the page lists their cases."""

import pytest
from django.urls import reverse

from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_each_member_links_to_their_page_and_the_page_lists_the_case(cast, client_for):
    case = make_case(cast.supervisor, worker=cast.worker)
    child = case.members.filter(role="child").first().person
    client = client_for(cast.worker)
    case_page = client.get(reverse("case_detail", args=[case.public_id])).content.decode()
    person_url = reverse("person_detail", args=[child.public_id])
    assert f'href="{person_url}"' in case_page
    person_page = client.get(person_url).content.decode()
    assert f'href="{reverse("case_detail", args=[case.public_id])}"' in person_page
    assert case.family_name in person_page and "Child" in person_page


def test_a_case_the_viewer_may_not_see_is_not_listed(cast, client_for):
    case = make_case(cast.supervisor, worker=cast.worker)
    child = case.members.filter(role="child").first().person
    page = client_for(cast.screener).get(reverse("person_detail", args=[child.public_id]))
    assert reverse("case_detail", args=[case.public_id]) not in page.content.decode()
