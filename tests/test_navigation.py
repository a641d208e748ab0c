"""The navigation offers each role what it uses: no "My work" to those who carry no caseload, no
Investigations to screeners."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("worker", True),
        ("supervisor", True),
        ("program_manager", False),
        ("auditor", False),
        ("administrator", False),
        ("screener", False),
    ],
)
def test_my_work_is_offered_only_to_those_with_a_caseload(cast, client_for, who, offered):
    page = client_for(getattr(cast, who)).get(reverse("home")).content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert (f'href="{reverse("my_work")}"' in nav) is offered


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("worker", True),
        ("supervisor", True),
        ("program_manager", True),
        ("auditor", True),
        ("administrator", False),
        ("screener", False),
    ],
)
def test_investigations_are_offered_only_to_those_who_work_or_oversee_them(cast, client_for, who, offered):
    """A screener hands reports on and works no investigation: an Investigations item would always be empty."""
    page = client_for(getattr(cast, who)).get(reverse("home")).content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert (f'href="{reverse("investigation_list")}"' in nav) is offered
