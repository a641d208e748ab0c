"""Explicit grants of access to one record: what they give, to whom, for how long, and who gives them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import access, selectors, services
from accounts.models import AuditEvent
from accounts.roles import Clearance, Role
from tests.factories import approving_administrator, make_investigation, make_report, make_staff

pytestmark = pytest.mark.django_db


def sees(user, obj) -> bool:
    return access.visible(user, type(obj).objects.all()).filter(pk=obj.pk).exists()


def grant(actor, obj, grantee, *, action: str = "view", days: float = 7, reason: str = "Covering during leave"):
    return services.access_grant(
        actor=actor,
        obj=obj,
        grantee=grantee,
        action=action,
        expires_at=timezone.now() + timedelta(days=days),
        reason=reason,
    )


def set_clearance(cast, user, *, sensitive: bool = False, sealed: bool = False):
    services.user_update(
        actor=cast.administrator,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        roles=[role.value for role in user.roles],
        unit=user.unit,
        clearance_sensitive=sensitive,
        clearance_sealed=sealed,
        approved_by=approving_administrator(),
    )
    user.refresh_from_db()
    user.forget_groups()


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def sensitive(cast):
    set_clearance(cast, cast.worker, sensitive=True)
    return make_investigation(
        cast.screener, worker=cast.worker, access_restriction=Clearance.SENSITIVE, restriction_reason="Staff family"
    )


def test_a_grant_never_bypasses_the_clearance(cast, sensitive):
    set_clearance(cast, cast.other_worker, sensitive=True)
    grant(cast.supervisor, sensitive, cast.other_worker, action="change")
    assert sees(cast.other_worker, sensitive)
    set_clearance(cast, cast.other_worker, sensitive=False)
    assert not sees(cast.other_worker, sensitive), "the grant stands, but the grantee is no longer cleared"
    assert not access.can_change(cast.other_worker, sensitive)


def test_a_grant_to_someone_not_cleared_for_the_record_is_refused(cast, sensitive):
    with pytest.raises(ValidationError):
        grant(cast.supervisor, sensitive, cast.other_worker)
    assert not sees(cast.other_worker, sensitive)
    assert not AuditEvent.objects.filter(action="accounts.grant.granted").exists()


def test_a_unit_grant_reaches_only_the_members_cleared_for_the_record(cast, sensitive):
    grant(cast.supervisor, sensitive, cast.other_unit)
    assert not sees(cast.other_worker, sensitive)
    set_clearance(cast, cast.other_worker, sensitive=True)
    assert sees(cast.other_worker, sensitive)


def test_a_grant_lasts_at_most_366_days_exactly(cast, investigation):
    assert grant(cast.supervisor, investigation, cast.other_worker, days=366)
    with pytest.raises(ValidationError):
        grant(cast.supervisor, investigation, cast.other_worker, days=366 + 1 / 24)
    with pytest.raises(ValidationError):
        grant(cast.supervisor, investigation, cast.other_worker, days=367)


def test_a_grant_to_change_is_a_grant_to_view_too(cast, investigation):
    grant(cast.supervisor, investigation, cast.other_worker, action="change")
    assert sees(cast.other_worker, investigation)
    assert access.can_change(cast.other_worker, investigation)
    assert access.get_for_view(cast.other_worker, type(investigation).objects.all(), pk=investigation.pk)


def test_a_grantee_cannot_pass_access_on_nor_revoke_it(cast, investigation):
    given = grant(cast.supervisor, investigation, cast.other_worker, action="change")
    third = make_staff("third", Role.CASEWORKER, unit=cast.other_unit)
    with pytest.raises(PermissionDenied):
        grant(cast.other_worker, investigation, third)
    with pytest.raises(PermissionDenied):
        services.access_revoke(actor=cast.other_worker, grant=given, reason="Mine now")
    assert not sees(third, investigation)
    assert access.may_grant(cast.worker, investigation), "the assigned worker may grant"
    assert not access.may_grant(cast.other_worker, investigation)


def test_a_grant_is_never_given_to_an_account_that_only_administers(cast, investigation):
    with pytest.raises(ValidationError):
        grant(cast.supervisor, investigation, cast.administrator)
    assert not sees(cast.administrator, investigation)


def test_a_sealed_record_is_never_granted_to_a_whole_unit(cast):
    set_clearance(cast, cast.screener, sensitive=True, sealed=True)
    set_clearance(cast, cast.other_worker, sealed=True)
    sealed = make_report(cast.screener, access_restriction=Clearance.SEALED, restriction_reason="Court order")
    with pytest.raises(ValidationError):
        grant(cast.screener, sealed, cast.other_unit)
    assert grant(cast.screener, sealed, cast.other_worker)
    assert sees(cast.other_worker, sealed)


def test_giving_and_revoking_are_audited(cast, investigation):
    given = grant(cast.supervisor, investigation, cast.other_unit, reason="Joint response")
    services.access_revoke(actor=cast.supervisor, grant=given, reason="Response over")
    assert list(
        AuditEvent.objects.filter(action__startswith="accounts.grant.").order_by("id").values_list("action", "reason")
    ) == [("accounts.grant.granted", ""), ("accounts.grant.revoked", "")], "a reason is noted as given, not kept"
    assert all(
        event.changes["reason_given"] for event in AuditEvent.objects.filter(action__startswith="accounts.grant.")
    )


# The pages and the API


@pytest.fixture
def case(cast):
    from tests.factories import make_case

    return make_case(cast.supervisor, worker=cast.worker)


def give_form(cast, *, days: int = 30, **fields) -> dict:
    return {
        "person": str(cast.other_worker.public_id),
        "action": "view",
        "until": (timezone.localdate() + timedelta(days=days)).isoformat(),
        "reason": "Covering during leave",
        **fields,
    }


def test_the_case_page_shows_the_grants_to_whoever_may_grant_and_to_no_one_else(cast, case, client_for):
    grant(cast.supervisor, case, cast.other_unit, reason="Joint response")
    page = client_for(cast.worker).get(reverse("case_detail", args=[case.public_id]))
    assert "Access grants" in page.text and "South Unit" in page.text and "Joint response" in page.text
    page = client_for(cast.program_manager).get(reverse("case_detail", args=[case.public_id]))
    assert page.status_code == 200 and "Access grants" not in page.text


def test_a_supervisor_gives_and_revokes_a_grant_from_the_case_page(cast, case, client_for):
    web = client_for(cast.supervisor)
    url = reverse("case_grants", args=[case.public_id])
    response = web.post(url, give_form(cast, action="change"))
    assert response.status_code == 302
    assert access.can_change(cast.other_worker, case)
    [row] = selectors.record_grants(case)
    assert row.grantee == cast.other_worker.display_name and row.action == "change"
    assert AuditEvent.objects.filter(action="accounts.grant.granted", actor=cast.supervisor).exists()
    assert "Covering during leave" in web.get(url).text
    revoke = reverse("case_grant_revoke", args=[case.public_id, row.id])
    assert web.post(revoke, {"reason": ""}).status_code == 400
    assert web.post(revoke, {"reason": "Back from leave"}).status_code == 302
    assert not sees(cast.other_worker, case)
    assert AuditEvent.objects.filter(action="accounts.grant.revoked", changes__reason_given=True, reason="").exists()


def test_the_grant_form_refuses_a_grant_over_the_limit_and_an_administrator(cast, case, client_for):
    web = client_for(cast.supervisor)
    url = reverse("case_grants", args=[case.public_id])
    assert web.post(url, give_form(cast, days=400)).status_code == 200
    assert web.post(url, give_form(cast, person=str(cast.administrator.public_id))).status_code == 200
    assert web.post(url, give_form(cast, unit=str(cast.other_unit.public_id))).status_code == 200, "not both"
    assert not selectors.record_grants(case)


GIVE_BY_ROLE = {
    "intake_screener": 404,
    "caseworker": 302,
    "supervisor": 302,
    "program_manager": 403,
    "administrator": 404,
    "auditor": 403,
}


@pytest.mark.parametrize("role", GIVE_BY_ROLE)
def test_who_may_give_a_grant_on_a_case_page(cast, case, client_for, role):
    response = client_for(cast.by_role()[role]).post(reverse("case_grants", args=[case.public_id]), give_form(cast))
    assert response.status_code == GIVE_BY_ROLE[role]
    assert bool(selectors.record_grants(case)) == (GIVE_BY_ROLE[role] == 302)


@pytest.mark.parametrize("role", GIVE_BY_ROLE)
def test_who_may_give_and_revoke_a_grant_through_the_api(cast, case, api_for, role):
    expected = {**GIVE_BY_ROLE, "caseworker": 201, "supervisor": 201, "administrator": 403}[role]
    api = api_for(cast.by_role()[role])
    body = {
        "person": str(cast.other_worker.public_id),
        "action": "view",
        "expires_at": (timezone.now() + timedelta(days=3)).isoformat(),
        "reason": "Cover",
    }
    assert api.post(reverse("api_case_grants", args=[case.public_id]), body, format="json").status_code == expected
    row = grant(cast.supervisor, case, cast.other_unit)
    revoke = reverse("api_case_grant_revoke", args=[case.public_id, f"unit-{row.pk}"])
    revoked = api.post(revoke, {"reason": "Done"}, format="json")
    assert revoked.status_code == (204 if expected == 201 else expected)


def test_the_api_lists_a_records_grants_and_refuses_one_over_the_limit(cast, investigation, api_for):
    api = api_for(cast.supervisor)
    url = reverse("api_investigation_grants", args=[investigation.public_id])
    body = {"unit": str(cast.other_unit.public_id), "action": "change", "reason": "Joint response"}
    too_long = api.post(url, {**body, "expires_at": (timezone.now() + timedelta(days=367)).isoformat()}, format="json")
    assert too_long.status_code == 400 and "expires_at" in too_long.json()
    given = api.post(url, {**body, "expires_at": (timezone.now() + timedelta(days=30)).isoformat()}, format="json")
    assert given.status_code == 201
    [listed] = api.get(url).json()
    assert listed["grantee"] == "South Unit" and listed["action"] == "change" and listed["id"] == given.json()["id"]
    assert sees(cast.other_worker, investigation)


def test_a_record_page_links_to_the_grants_page_instead_of_listing_every_member_of_staff(cast, case, client_for):
    """The give-access form lists every member of staff who works with cases: thousands in a large agency,
    rendered on every view of every record. The record's page links to the grants page that has it."""
    for number in range(5):
        make_staff(f"colleague{number}", Role.CASEWORKER, unit=cast.worker.unit)
    page = client_for(cast.supervisor).get(reverse("case_detail", args=[case.public_id])).content.decode()
    assert f'href="{reverse("case_grants", args=[case.public_id])}"' in page
    assert "colleague3" not in page and 'name="person"' not in page
    grants_page = client_for(cast.supervisor).get(reverse("case_grants", args=[case.public_id])).content.decode()
    assert 'name="q"' in grants_page and "colleague3" not in grants_page, "the grants page finds people by a search"
