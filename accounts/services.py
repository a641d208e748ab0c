"""Writes to staff, units and access grants. Each runs in one transaction and audits itself."""

import secrets
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts import access
from accounts.audit import diff, log_action
from accounts.models import GroupGrantBase, Unit, User, UserGrantBase, UserSession
from accounts.roles import Clearance, Role

MAX_GRANT_DAYS = 366


def _role_groups(roles) -> list[Group]:
    names = [Role(role).group_name for role in roles]
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(set(names)):
        raise ValidationError({"roles": "Unknown role."})
    return groups


def _snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": sorted(role.label for role in user.roles),
        "unit": user.unit.name if user.unit_id else None,
        "clearance_sensitive": user.clearance_sensitive,
        "clearance_sealed": user.clearance_sealed,
    }


def _active_administrators():
    return User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.group_name)


def _is_last_administrator(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR) and not _active_administrators().exclude(pk=user.pk).exists()


def _set_groups(user: User, roles) -> None:
    """Role groups plus the unit's group, so grants made to the unit reach its members."""
    user.groups.set(_role_groups(roles) + ([user.unit.group] if user.unit_id else []))
    user.forget_groups()


def holds_access(user: User) -> bool:
    """Whether the account holds what only two administrators give: a role or a clearance."""
    return bool(user.roles) or user.clearance_sensitive or user.clearance_sealed


def require_approval(*, actor: User, account: User | None, approved_by: User | None) -> None:
    """A change that widens access stands only with a second administrator's approval.

    The approver is an active administrator who is neither the one who asked nor the account's owner:
    `accounts.duties` files the request and passes its approver here when it is approved.
    """
    if approved_by is None:
        raise ValidationError("This change widens access: it needs a second administrator's approval.")
    if approved_by.pk == actor.pk or (account is not None and approved_by.pk == account.pk):
        raise ValidationError("Another administrator than the one who asked, and not the account's owner, approves.")
    if not access.has_capability(approved_by, "manage_staff"):
        raise ValidationError("Only an active administrator approves a change of access.")


def widening(
    user: User, *, roles, clearance_sensitive: bool, clearance_sealed: bool, email: str
) -> dict[str, list[str] | bool | str]:
    """The parts of a change to this account that widen access, each needing a second administrator.

    Added roles, raised clearances and, on an account that holds access, a new e-mail address: its
    one-time links go there.
    """
    parts: dict[str, list[str] | bool | str] = {}
    added = sorted({Role(role) for role in roles} - user.roles)
    if added:
        parts["roles"] = [role.value for role in added]
    if clearance_sensitive and not user.clearance_sensitive:
        parts["clearance_sensitive"] = True
    if clearance_sealed and not user.clearance_sealed:
        parts["clearance_sealed"] = True
    if email != user.email and holds_access(user):
        parts["email"] = email
    return parts


def check_account_change(
    *, actor: User, user: User, roles, unit: Unit | None, clearance_sensitive: bool, clearance_sealed: bool
) -> None:
    """What no administrator does to an account, approved or not."""
    if user.pk == actor.pk and (
        (clearance_sensitive and not user.clearance_sensitive) or (clearance_sealed and not user.clearance_sealed)
    ):
        raise ValidationError("You cannot raise your own clearance; ask another administrator.")
    if Role.ADMINISTRATOR not in roles and user.is_active and _is_last_administrator(user):
        raise ValidationError({"roles": "This is the last active administrator; the role cannot be removed."})
    if user.pk == actor.pk and ({Role(role) for role in roles} != user.roles or unit != user.unit):
        raise ValidationError("You cannot change your own roles or unit; ask another administrator.")


def _password_by_link(user: User) -> None:
    """Nobody signs in as the account until its owner sets a password through a one-time link."""
    user.set_unusable_password()
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    end_sessions(user)


# No look-alike characters (0/O, 1/l/I): the password is read out in person or by phone.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """Four groups of four, e.g. 'kq7m-x2pd-9vhe-tn4c': easy to read aloud, 80 bits of entropy."""
    groups = ("".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def track_session(*, user: User, session_key: str, replaces: str | None = None) -> None:
    """Remember which user a session belongs to; `replaces` is the key it had before Django cycled it."""
    if replaces and replaces != session_key:
        UserSession.objects.filter(user=user, session_key=replaces).delete()
    UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def end_sessions(user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    ended, _ = UserSession.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    roles: list[str],
    unit: Unit | None = None,
    clearance_sensitive: bool = False,
    clearance_sealed: bool = False,
    password: str | None = None,
    approved_by: User | None = None,
    password_by_link: bool = False,
) -> tuple[User, str | None]:
    """Create a staff account with an initial password the user must change at first sign-in.

    Returns the user and, when no password was given, the generated one to hand over once. An account
    with a role or a clearance needs a second administrator's approval (`approved_by`) and gets no
    password: its owner sets one through a one-time link (`accounts.duties` sends it). So does an
    account made with `password_by_link`, whose role waits for approval.
    """
    access.require_capability(actor, "manage_staff")
    widens = bool(roles) or clearance_sensitive or clearance_sealed
    if widens:
        require_approval(actor=actor, account=None, approved_by=approved_by)
    by_link = widens or password_by_link
    if by_link and password:
        raise ValidationError(
            {"password": "An account with a role sets its own password through a one-time link: leave this empty."}
        )
    if by_link and not email:
        raise ValidationError(
            {"email": "An account with a role needs an e-mail address: the link to set its password goes there."}
        )
    generated = None if password or by_link else temporary_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        unit=unit,
        clearance_sensitive=clearance_sensitive,
        clearance_sealed=clearance_sealed,
        must_change_password=True,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
    if by_link:
        user.set_unusable_password()
    else:
        user.set_password(password or generated)
    user.full_clean(exclude=["password"])
    user.save()
    _set_groups(user, roles)
    log_action(actor=actor, action="accounts.user.created", target=user, changes=_snapshot(user))
    return user, generated


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
    unit: Unit | None,
    clearance_sensitive: bool,
    clearance_sealed: bool,
    approved_by: User | None = None,
) -> User:
    """Change a staff account. What widens its access needs a second administrator (`approved_by`).

    An account that gets its first role loses its password: its owner sets one through a one-time link.
    """
    access.require_capability(actor, "manage_staff")
    user = User.objects.select_for_update().get(pk=user.pk)
    check_account_change(
        actor=actor,
        user=user,
        roles=roles,
        unit=unit,
        clearance_sensitive=clearance_sensitive,
        clearance_sealed=clearance_sealed,
    )
    if widening(
        user, roles=roles, clearance_sensitive=clearance_sensitive, clearance_sealed=clearance_sealed, email=email
    ):
        require_approval(actor=actor, account=user, approved_by=approved_by)
    first_role = not user.roles and bool(roles)
    before = _snapshot(user)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.unit = unit
    user.clearance_sensitive, user.clearance_sealed = clearance_sensitive, clearance_sealed
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email", "unit", "clearance_sensitive", "clearance_sealed"])
    _set_groups(user, roles)
    if not user.has_role(Role.SUPERVISOR):
        _release_supervised_units(actor=actor, user=user)
    changes = diff(before, _snapshot(user))
    if first_role:
        _password_by_link(user)
        changes["password"] = "to be set by its owner through a one-time link"
    if changes:
        log_action(actor=actor, action="accounts.user.updated", target=user, changes=changes)
    return user


def _release_supervised_units(*, actor: User, user: User) -> None:
    """Someone who no longer holds the supervisor role supervises no unit from that moment.

    The units are left without a supervisor rather than the role change refused: taking access away
    never waits. Naming the next supervisor is a change request a second administrator approves.
    """
    for unit in Unit.objects.select_for_update().filter(supervisor=user):
        before = _unit_snapshot(unit)
        unit.supervisor = None
        unit.save(update_fields=["supervisor"])
        log_action(
            actor=actor,
            action="accounts.unit.updated",
            target=unit,
            reason="Its supervisor no longer holds the supervisor role.",
            changes=diff(before, _unit_snapshot(unit)),
        )


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str) -> User:
    """Deactivate a staff account and end all of its sessions. Nothing is deleted."""
    access.require_capability(actor, "manage_staff")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the account is deactivated."})
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not user.is_active:
        raise ValidationError("This account is already deactivated.")
    if _is_last_administrator(user):
        raise ValidationError("This is the last active administrator; it cannot be deactivated.")
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    ended = end_sessions(user)
    log_action(
        actor=actor,
        action="accounts.user.deactivated",
        target=user,
        reason=reason,
        changes={"sessions_ended": ended},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, reason: str) -> User:
    access.require_capability(actor, "manage_staff")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the account is reactivated."})
    if user.is_active:
        raise ValidationError("This account is already active.")
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    log_action(actor=actor, action="accounts.user.reactivated", target=user, reason=reason)
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User, approved_by: User | None = None) -> str | None:
    """Give the user a temporary password they must change at next sign-in; their sessions end.

    An account holding a role or a clearance needs a second administrator (`approved_by`) and gets no
    temporary password: its owner sets a new one through a one-time link. Returns the temporary password.
    """
    access.require_capability(actor, "manage_staff")
    user = User.objects.select_for_update().get(pk=user.pk)
    if holds_access(user):
        require_approval(actor=actor, account=user, approved_by=approved_by)
        _password_by_link(user)
        log_action(
            actor=actor,
            action="accounts.user.password_reset",
            target=user,
            changes={"password": "to be set by its owner through a one-time link"},
        )
        return None
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    end_sessions(user)
    log_action(actor=actor, action="accounts.user.password_reset", target=user)
    return password


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    log_action(actor=user, action="accounts.user.password_changed", target=user)
    return user


def _unit_snapshot(unit: Unit) -> dict:
    return {"name": unit.name, "supervisor": unit.supervisor.display_name if unit.supervisor_id else None}


def validate_supervisor(supervisor: User | None) -> None:
    if supervisor is not None and not (supervisor.is_active and supervisor.has_role(Role.SUPERVISOR)):
        raise ValidationError({"supervisor": "The supervisor must be an active staff member with the supervisor role."})


@transaction.atomic
def unit_create(*, actor: User, name: str, supervisor: User | None, approved_by: User | None = None) -> Unit:
    """A new unit. Naming its supervisor needs a second administrator's approval (`approved_by`)."""
    access.require_capability(actor, "manage_staff")
    validate_supervisor(supervisor)
    if supervisor is not None:
        require_approval(actor=actor, account=supervisor, approved_by=approved_by)
    if Unit.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A unit with this name already exists."})
    group = Group.objects.create(name=f"Unit: {name}")
    unit = Unit(name=name, supervisor=supervisor, group=group)
    unit.full_clean()
    unit.save()
    log_action(actor=actor, action="accounts.unit.created", target=unit, changes=_unit_snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *, actor: User, unit: Unit, name: str, supervisor: User | None, approved_by: User | None = None
) -> Unit:
    """Rename a unit or change its supervisor. Naming a new supervisor needs a second administrator's approval."""
    access.require_capability(actor, "manage_staff")
    unit = Unit.objects.select_for_update(of=("self",)).select_related("group", "supervisor").get(pk=unit.pk)
    validate_supervisor(supervisor)
    if supervisor is not None and supervisor.pk != unit.supervisor_id:
        require_approval(actor=actor, account=supervisor, approved_by=approved_by)
    if Unit.objects.filter(name__iexact=name).exclude(pk=unit.pk).exists():
        raise ValidationError({"name": "A unit with this name already exists."})
    before = _unit_snapshot(unit)
    unit.name, unit.supervisor = name, supervisor
    unit.full_clean()
    unit.save(update_fields=["name", "supervisor"])
    unit.group.name = f"Unit: {name}"
    unit.group.save(update_fields=["name"])
    changes = diff(before, _unit_snapshot(unit))
    if changes:
        log_action(actor=actor, action="accounts.unit.updated", target=unit, changes=changes)
    return unit


def _check_grantee(obj: models.Model, grantee: User | Unit, actor: User) -> None:
    restriction = access.restriction_of(obj)
    if grantee == actor:
        # A grant to oneself would outlive the assignment or role that lets one grant: access kept by oneself.
        raise ValidationError({"grantee": "You cannot grant access to yourself."})
    if isinstance(grantee, Unit):
        if restriction == Clearance.SEALED:
            raise ValidationError({"grantee": "A sealed record is granted to named people, never to a whole unit."})
        return
    if not access.has_capability(grantee, "work_cases"):
        raise ValidationError({"grantee": "Access to a record is granted to active staff who work with cases."})
    if not access.holds_clearance(grantee, restriction):
        raise ValidationError({"grantee": f"{grantee.display_name} is not cleared for this record's restriction."})


def _grant_target(grantee: User | Unit) -> dict:
    if isinstance(grantee, Unit):
        return {"group": grantee.group}
    return {"user": grantee}


@transaction.atomic
def access_grant(
    *,
    actor: User,
    obj: models.Model,
    grantee: User | Unit,
    action: str,
    expires_at: datetime,
    reason: str,
):
    """Grant a user or a unit explicit, expiring access to one record (a grant to change is one to view too).

    Only someone who may change the record by assignment, unit or role grants access to it: a grantee
    never passes access on. A grant never replaces the record's clearance: a person not cleared for it
    is refused, and a sealed record is granted to named people only, never to a whole unit.
    """
    if action not in (access.VIEW, access.CHANGE):
        raise ValidationError({"action": "Access is granted to view or to change."})
    if not access.may_grant(actor, obj):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say why access is granted."})
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "The grant must end in the future."})
    if expires_at - now > timedelta(days=MAX_GRANT_DAYS):
        raise ValidationError({"expires_at": f"A grant lasts at most {MAX_GRANT_DAYS} days."})
    _check_grantee(obj, grantee, actor)
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(obj), codename=f"{action}_{obj._meta.model_name}"
    )
    user_grants, group_grants = access.grant_models(type(obj))
    grant_model = group_grants if isinstance(grantee, Unit) else user_grants
    target = _grant_target(grantee)
    # An earlier grant of the same permission, expired or not, is replaced rather than stacked.
    grant_model.all_grants.filter(content_object=obj, permission=permission, **target).delete()
    grant = grant_model.all_grants.create(
        content_object=obj,
        permission=permission,
        granted_by=actor,
        expires_at=expires_at,
        reason=reason,
        **target,
    )
    log_action(
        actor=actor,
        action="accounts.grant.granted",
        target=obj,
        reason=reason,
        changes={"grantee": str(grantee), "permission": action, "expires_at": expires_at.isoformat()},
    )
    return grant


@transaction.atomic
def access_revoke(*, actor: User, grant, reason: str) -> None:
    obj = grant.content_object
    if not access.may_grant(actor, obj):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": "Say why access is revoked."})
    grantee = grant.user if isinstance(grant, UserGrantBase) else grant.group.unit
    action = grant.permission.codename.split("_", 1)[0]
    type(grant).all_grants.filter(pk=grant.pk).delete()
    log_action(
        actor=actor,
        action="accounts.grant.revoked",
        target=obj,
        reason=reason,
        changes={"grantee": str(grantee), "permission": action},
    )


def sessions_clear_expired(*, now: datetime | None = None) -> int:
    """Delete expired sessions and the tracking rows of sessions that no longer exist. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        Session.objects.filter(expire_date__lte=now).delete()
        orphans = UserSession.objects.exclude(session_key__in=Session.objects.values("session_key"))
        removed, _ = orphans.delete()
    return removed


def grants_remove_expired(*, now: datetime | None = None) -> int:
    """Delete every expired grant of every record type, one audit row each. Idempotent."""
    now = now or timezone.now()
    removed = 0
    for model in _grant_models():
        with transaction.atomic():
            expired = list(
                model.all_grants.select_for_update(skip_locked=True)
                .filter(expires_at__lte=now)
                .select_related("permission", "content_object")
            )
            for grant in expired:
                grantee = grant.user if isinstance(grant, UserGrantBase) else grant.group
                log_action(
                    actor=None,
                    action="accounts.grant.expired",
                    target=grant.content_object,
                    changes={"grantee": str(grantee), "permission": grant.permission.codename.split("_", 1)[0]},
                )
            model.all_grants.filter(pk__in=[grant.pk for grant in expired]).delete()
            removed += len(expired)
    return removed


def _grant_models():
    return [model for model in apps.get_models() if issubclass(model, (UserGrantBase, GroupGrantBase))]


@transaction.atomic
def administrator_bootstrap(*, username: str, first_name: str, last_name: str, email: str, password: str) -> User:
    """The first administrator of a new installation, made from the command line (no acting user yet)."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _set_groups(user, [Role.ADMINISTRATOR])
    log_action(actor=None, action="accounts.user.created", target=user, changes=_snapshot(user))
    return user
