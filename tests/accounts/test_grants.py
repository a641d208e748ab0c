"""Explicit grants of access to one record: what they give, to whom, for how long, and who gives them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import access, services
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
    ) == [("accounts.grant.granted", "Joint response"), ("accounts.grant.revoked", "Response over")]
