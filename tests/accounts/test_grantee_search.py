"""Finding whom to give access to a record: a search by name or username on the grants page (and in the API), not
a list of every member of staff. The search narrows among the staff the policy lets a grant go to; the grant
service decides again for the one chosen."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import access, selectors, services
from accounts.models import AuditEvent
from accounts.roles import Clearance, Role
from tests.factories import make_case, make_investigation, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    return make_case(cast.supervisor, worker=cast.worker)


def grants_url(case) -> str:
    return reverse("case_grants", args=[case.public_id])


def give(cast, person, **fields) -> dict:
    return {
        "person": str(person.public_id),
        "action": "view",
        "until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "reason": "Covering during leave",
        **fields,
    }


def test_it_finds_a_colleague_by_name_or_username_with_their_role_and_unit(cast, case, client_for):
    colleague = make_staff("mharlow", Role.CASEWORKER, unit=cast.other_unit, first_name="Maren", last_name="Harlow")
    web = client_for(cast.supervisor)
    for typed in ("harlow", "Maren Har", "mharl"):
        page = web.get(grants_url(case), {"q": typed}).content.decode()
        assert f'value="{colleague.public_id}"' in page, typed
        assert "Maren Harlow (mharlow) · Caseworker · South Unit" in page
        assert f'value="{typed}"' in page, "what was typed stays in the search field"
    shown = AuditEvent.objects.filter(action="accounts.user.listed", actor=cast.supervisor).latest("id")
    assert shown.changes["ids"] == {"accounts.user": [str(colleague.public_id)]}, "the staff shown are logged"


def test_the_grants_page_lists_no_one_before_a_search(cast, case, client_for):
    for number in range(5):
        make_staff(f"colleague{number}", Role.CASEWORKER, unit=cast.other_unit)
    page = client_for(cast.supervisor).get(grants_url(case)).content.decode()
    assert "colleague3" not in page and '<select name="person"' not in page
    assert 'name="q"' in page and 'type="radio"' not in page


def test_a_search_of_one_character_says_so_and_finds_no_one(cast, case, client_for):
    make_staff("ab-worker", Role.CASEWORKER, unit=cast.other_unit)
    page = client_for(cast.supervisor).get(grants_url(case), {"q": "a"})
    assert page.status_code == 200
    assert "at least 2 characters" in page.text and "ab-worker" not in page.text


def test_a_search_longer_than_the_cap_is_refused(cast, case, client_for):
    page = client_for(cast.supervisor).get(grants_url(case), {"q": "x" * 201})
    assert page.status_code == 200 and "at most 200 characters" in page.text
    assert 'type="radio"' not in page.text


def test_the_search_offers_only_staff_a_grant_on_the_record_may_go_to(cast, client_for):
    """Administrators-only accounts, deactivated accounts and staff not cleared for the record are not offered."""
    cleared = make_staff("search-cleared", Role.CASEWORKER, unit=cast.other_unit, clearance_sensitive=True)
    uncleared = make_staff("search-uncleared", Role.CASEWORKER, unit=cast.other_unit)
    admin_only = make_staff("search-admin", Role.ADMINISTRATOR)
    gone = make_staff("search-gone", Role.CASEWORKER, unit=cast.other_unit)
    services.user_deactivate(actor=cast.administrator, user=gone, reason="Left the agency")
    sensitive = make_investigation(
        cast.screener, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family"
    )
    found = selectors.grant_candidates(sensitive, search="search", granting=cast.supervisor).people
    assert found == [cleared]
    plain = make_investigation(cast.screener, worker=cast.worker)
    found = selectors.grant_candidates(plain, search="search", granting=cast.supervisor).people
    assert set(found) == {cleared, uncleared}
    assert admin_only not in found and gone not in found
    page = client_for(cast.supervisor).get(reverse("investigation_grants", args=[sensitive.public_id]), {"q": "search"})
    assert str(cleared.public_id) in page.text and str(uncleared.public_id) not in page.text


def test_it_shows_at_most_20_matches_and_says_more_matched(cast, case, client_for):
    for number in range(22):
        make_staff(f"many{number:02d}", Role.CASEWORKER, unit=cast.other_unit, last_name=f"Manyfold{number:02d}")
    page = client_for(cast.supervisor).get(grants_url(case), {"q": "manyfold"}).content.decode()
    assert page.count('type="radio"') == 20
    assert "The first 20 matches" in page


def test_a_colleague_found_is_given_access_and_the_grant_is_audited(cast, case, client_for):
    web = client_for(cast.supervisor)
    assert str(cast.other_worker.public_id) in web.get(grants_url(case), {"q": cast.other_worker.username}).text
    response = web.post(f"{grants_url(case)}?q={cast.other_worker.username}", give(cast, cast.other_worker))
    assert response.status_code == 302 and response["Location"] == grants_url(case)
    assert access.can_view(cast.other_worker, case)
    [row] = selectors.record_grants(case)
    assert row.grantee == cast.other_worker.display_name


def test_a_refused_grant_shows_the_same_choices_and_keeps_what_was_typed(cast, case, client_for):
    web = client_for(cast.supervisor)
    url = f"{grants_url(case)}?q={cast.other_worker.username}"
    page = web.post(url, give(cast, cast.other_worker, reason="", until="")).content.decode()
    assert f'value="{cast.other_worker.public_id}" id="id_person_0" checked' in page, "the choice stays made"
    assert page.count('class="error"') >= 2, "the reason and the last day are asked for"
    assert f'value="{cast.other_worker.username}"' in page
    assert not selectors.record_grants(case)


def test_the_service_still_refuses_a_person_the_search_never_offers(cast, case, client_for):
    web = client_for(cast.supervisor)
    page = web.post(grants_url(case), give(cast, cast.administrator))
    assert page.status_code == 200 and "granted to active staff who work with cases" in page.text
    assert not selectors.record_grants(case)


def query_count(web, case, search: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert web.get(grants_url(case), {"q": search}).status_code == 200
    return len(queries)


def test_the_grants_page_costs_the_same_queries_for_5_or_50_staff(cast, case, client_for):
    web = client_for(cast.supervisor)
    for number in range(5):
        make_staff(f"crowd{number:02d}", Role.CASEWORKER, unit=cast.other_unit, last_name=f"Crowder{number:02d}")
    few = query_count(web, case, "crowder")
    for number in range(5, 50):
        unit = cast.unit if number % 2 else cast.other_unit
        make_staff(f"crowd{number:02d}", Role.CASEWORKER, unit=unit, last_name=f"Crowder{number:02d}")
    assert query_count(web, case, "crowder") == few


# The API


def candidates_url(case) -> str:
    return reverse("api_case_grant_candidates", args=[case.public_id])


def test_the_api_finds_the_colleagues_a_grant_may_go_to(cast, case, api_for):
    make_staff("api-admin-only", Role.ADMINISTRATOR, first_name="Odile", last_name="Quenneville")
    colleague = make_staff("api-colleague", Role.CASEWORKER, unit=cast.other_unit, last_name="Quenneville")
    answer = api_for(cast.worker).get(candidates_url(case), {"q": "quenneville"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["more"] is False
    assert body["people"] == [
        {
            "id": str(colleague.public_id),
            "name": colleague.display_name,
            "username": "api-colleague",
            "roles": "Caseworker",
            "unit": "South Unit",
        }
    ]


def test_the_api_refuses_a_search_too_short_with_the_field_named(cast, case, api_for):
    for params in ({"q": "q"}, {}):
        answer = api_for(cast.worker).get(candidates_url(case), params)
        assert answer.status_code == 400 and "q" in answer.json()


@pytest.mark.parametrize(
    ("who", "status"),
    [("program_manager", 403), ("auditor", 403), ("other_worker", 404), ("administrator", 403), ("screener", 404)],
)
def test_only_those_who_may_grant_search_through_the_api(cast, case, api_for, who, status):
    assert api_for(getattr(cast, who)).get(candidates_url(case), {"q": "worker"}).status_code == status


def test_nobody_is_offered_or_given_access_to_a_record_by_themselves(cast):
    """A grant to oneself would keep one's access after the assignment or role that let one grant has ended."""
    case = make_case(cast.supervisor, worker=cast.worker)
    found = selectors.grant_candidates(case, search=cast.worker.username, granting=cast.worker).people
    assert cast.worker not in found
    with pytest.raises(ValidationError) as refused:
        services.access_grant(
            actor=cast.worker,
            obj=case,
            grantee=cast.worker,
            action="view",
            expires_at=timezone.now() + timedelta(days=30),
            reason="To keep reading it",
        )
    assert refused.value.message_dict == {"grantee": ["You cannot grant access to yourself."]}
