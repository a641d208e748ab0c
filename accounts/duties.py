"""Separation of duties: what one administrator does alone, and what waits for a second one.

Giving a role or a clearance, naming a unit's supervisor, changing the e-mail address of an account
that holds access and resetting its password would let one administrator read cases (give themselves
a role, or sign in as someone who has one). So the pages and the API file these as change requests;
another administrator, never the one who asked nor the account's owner, approves or refuses them.
Approval applies the change through the staff services, which refuse it without an approver.
Everything else, and every change that only takes access away, applies at once.

No administrator knows the password of an account that holds a role: it gets none when it first gets
one, nor after an approved reset, and its owner sets their own through a one-time link e-mailed to them.
"""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access, services
from accounts.audit import log_action
from accounts.choices import ChangeKind, ChangeStatus
from accounts.mail import site_link
from accounts.models import StaffChangeRequest, Unit, User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.selectors import change_summary, may_decide


def _request_target(request: StaffChangeRequest):
    """Whose history tells of the request: the unit for its supervisor, else the account."""
    return request.unit if request.kind == ChangeKind.UNIT_SUPERVISOR else request.account


def _target_type(request: StaffChangeRequest) -> str:
    return "accounts.unit" if request.kind == ChangeKind.UNIT_SUPERVISOR else "accounts.user"


def _audit_changes(request: StaffChangeRequest) -> dict:
    return {"request": str(request.public_id), "change": change_summary(request)}


def _approvers(request: StaffChangeRequest):
    """Who may decide the request: active administrators other than the one who asked and the account's owner."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.group_name)
        .exclude(pk__in=[request.requested_by_id, request.account_id])
        .distinct()
    )


def _file(
    *,
    actor: User,
    kind: ChangeKind,
    account: User,
    reason: str,
    unit: Unit | None = None,
    roles: list[str] | None = None,
    clearance_sensitive: bool = False,
    clearance_sealed: bool = False,
    email: str | None = None,
) -> StaffChangeRequest:
    """File a change request (its caller holds the account's or the unit's row lock) and tell the approvers."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why: the administrator who approves the change reads it."})
    pending = StaffChangeRequest.objects.filter(status=ChangeStatus.PENDING, kind=kind)
    pending = pending.filter(unit=unit) if kind == ChangeKind.UNIT_SUPERVISOR else pending.filter(account=account)
    if pending.exists():
        raise ValidationError("A request of this kind is already waiting for approval; have it decided first.")
    request = StaffChangeRequest(
        kind=kind,
        account=account,
        unit=unit,
        roles=roles or [],
        clearance_sensitive=clearance_sensitive,
        clearance_sealed=clearance_sealed,
        email=account.email if email is None else email,
        changes_email=email is not None,
        reason=reason,
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    target = _request_target(request)
    log_action(
        actor=actor,
        action=f"{_target_type(request)}.change_requested",
        target=target,
        reason=reason,
        changes=_audit_changes(request),
    )
    notify(
        recipients=_approvers(request),
        message=f"{actor.display_name} asks for your approval: {change_summary(request)} for {account.display_name}.",
        link=reverse("staff_approval", args=[request.public_id]),
        key=f"change-request:{request.public_id}",
    )
    return request


@transaction.atomic
def staff_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[str],
    unit: Unit | None,
    clearance_sensitive: bool = False,
    clearance_sealed: bool = False,
    password: str | None = None,
    reason: str = "",
) -> tuple[User, str | None, StaffChangeRequest | None]:
    """Create an account; its roles and clearances wait for a second administrator.

    An account that will have a role gets no password: once the role is approved, its owner gets a
    one-time link. Returns the account, the temporary password of an account without a role (shown
    once), and the request waiting for approval.
    """
    access.require_capability(actor, "manage_staff")
    widens = bool(roles) or clearance_sensitive or clearance_sealed
    user, generated = services.user_create(
        actor=actor,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        roles=[],
        unit=unit,
        password=password,
        password_by_link=widens,
    )
    if not widens:
        return user, generated, None
    request = _file(
        actor=actor,
        kind=ChangeKind.ACCESS,
        account=user,
        reason=reason,
        roles=[Role(role).value for role in roles],
        clearance_sensitive=clearance_sensitive,
        clearance_sealed=clearance_sealed,
    )
    return user, generated, request


@transaction.atomic
def staff_update(
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
    reason: str = "",
) -> StaffChangeRequest | None:
    """Apply at once what takes access away or leaves it alone; file what widens it for a second administrator."""
    access.require_capability(actor, "manage_staff")
    user = User.objects.select_for_update().get(pk=user.pk)
    services.check_account_change(
        actor=actor,
        user=user,
        roles=roles,
        unit=unit,
        clearance_sensitive=clearance_sensitive,
        clearance_sealed=clearance_sealed,
    )
    waiting = services.widening(
        user, roles=roles, clearance_sensitive=clearance_sensitive, clearance_sealed=clearance_sealed, email=email
    )
    user = services.user_update(
        actor=actor,
        user=user,
        first_name=first_name,
        last_name=last_name,
        email=user.email if "email" in waiting else email,
        roles=[role for role in roles if Role(role) in user.roles],
        unit=unit,
        clearance_sensitive=clearance_sensitive and user.clearance_sensitive,
        clearance_sealed=clearance_sealed and user.clearance_sealed,
    )
    if not waiting:
        return None
    return _file(
        actor=actor,
        kind=ChangeKind.ACCESS,
        account=user,
        reason=reason,
        roles=waiting.get("roles", []),
        clearance_sensitive="clearance_sensitive" in waiting,
        clearance_sealed="clearance_sealed" in waiting,
        email=waiting.get("email"),
    )


@transaction.atomic
def staff_password_reset(*, actor: User, user: User, reason: str = "") -> tuple[str | None, StaffChangeRequest | None]:
    """Reset a password: at once, with a temporary password, for an account holding no role or clearance;
    otherwise a request that, once approved, e-mails its owner a one-time link."""
    access.require_capability(actor, "manage_staff")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not services.holds_access(user):
        return services.user_reset_password(actor=actor, user=user), None
    return None, _file(actor=actor, kind=ChangeKind.PASSWORD_RESET, account=user, reason=reason)


def _supervisor_request(*, actor: User, unit: Unit, supervisor: User, reason: str) -> StaffChangeRequest:
    services.validate_supervisor(supervisor)
    if supervisor.pk == actor.pk:
        raise ValidationError({"supervisor": "You cannot name yourself a unit's supervisor."})
    return _file(actor=actor, kind=ChangeKind.UNIT_SUPERVISOR, account=supervisor, unit=unit, reason=reason)


@transaction.atomic
def unit_open(
    *, actor: User, name: str, supervisor: User | None, reason: str = ""
) -> tuple[Unit, StaffChangeRequest | None]:
    """Create a unit; naming its supervisor waits for a second administrator."""
    unit = services.unit_create(actor=actor, name=name, supervisor=None)
    if supervisor is None:
        return unit, None
    return unit, _supervisor_request(actor=actor, unit=unit, supervisor=supervisor, reason=reason)


@transaction.atomic
def unit_change(
    *, actor: User, unit: Unit, name: str, supervisor: User | None, reason: str = ""
) -> tuple[Unit, StaffChangeRequest | None]:
    """Rename a unit or remove its supervisor at once; naming a new supervisor waits for a second administrator."""
    access.require_capability(actor, "manage_staff")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    naming = supervisor is not None and supervisor.pk != unit.supervisor_id
    unit = services.unit_update(actor=actor, unit=unit, name=name, supervisor=unit.supervisor if naming else supervisor)
    if not naming:
        return unit, None
    return unit, _supervisor_request(actor=actor, unit=unit, supervisor=supervisor, reason=reason)


def _decidable(*, actor: User, request: StaffChangeRequest) -> StaffChangeRequest:
    access.require_capability(actor, "manage_staff")
    request = (
        StaffChangeRequest.objects.select_for_update(of=("self",))
        .select_related("account", "unit", "requested_by")
        .get(pk=request.pk)
    )
    if not may_decide(actor, request):
        if request.status != ChangeStatus.PENDING:
            raise ValidationError("This request was already decided.")
        if request.requested_by_id == actor.pk:
            raise ValidationError("You asked for this change: another administrator decides it.")
        raise ValidationError("This change is to your own account: another administrator decides it.")
    return request


@transaction.atomic
def change_request_approve(*, actor: User, request: StaffChangeRequest) -> StaffChangeRequest:
    """Apply the requested change, approved by `actor`, and tell the account's owner.

    An account left without a password (its first role, or a reset) gets its one-time link, to the
    address the approver was shown.
    """
    request = _decidable(actor=actor, request=request)
    requester, account = request.requested_by, User.objects.select_for_update().get(pk=request.account_id)
    if not access.has_capability(requester, "manage_staff"):
        raise ValidationError(f"{requester.display_name} is no longer an active administrator: refuse the request.")
    if not request.changes_email and account.email != request.email:
        raise ValidationError("The account's e-mail address changed since the request: refuse it and ask again.")
    if request.kind == ChangeKind.ACCESS:
        services.user_update(
            actor=requester,
            user=account,
            first_name=account.first_name,
            last_name=account.last_name,
            email=request.email,
            roles=sorted({*account.roles, *(Role(role) for role in request.roles)}),
            unit=account.unit,
            clearance_sensitive=account.clearance_sensitive or request.clearance_sensitive,
            clearance_sealed=account.clearance_sealed or request.clearance_sealed,
            approved_by=actor,
        )
        message = f"Your account was changed: {change_summary(request)}."
    elif request.kind == ChangeKind.UNIT_SUPERVISOR:
        services.unit_update(
            actor=requester, unit=request.unit, name=request.unit.name, supervisor=account, approved_by=actor
        )
        message = f"You now supervise {request.unit.name}."
    else:
        services.user_reset_password(actor=requester, user=account, approved_by=actor)
        message = "Your password was reset: set a new one through the link e-mailed to you."
    request.status, request.decided_by, request.decided_at = ChangeStatus.APPROVED, actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    log_action(
        actor=actor,
        action=f"{_target_type(request)}.change_approved",
        target=_request_target(request),
        changes={**_audit_changes(request), "requested_by": requester.display_name},
    )
    account.refresh_from_db()
    if not account.has_usable_password():
        _send_password_link(account)
    notify(recipients=[account], message=message)
    return request


@transaction.atomic
def change_request_refuse(*, actor: User, request: StaffChangeRequest, reason: str) -> StaffChangeRequest:
    """Refuse a change request, saying why; the administrator who asked is told."""
    request = _decidable(actor=actor, request=request)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the change is refused."})
    request.status, request.decided_by, request.decided_at = ChangeStatus.REFUSED, actor, timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    log_action(
        actor=actor,
        action=f"{_target_type(request)}.change_refused",
        target=_request_target(request),
        reason=reason,
        changes={**_audit_changes(request), "requested_by": request.requested_by.display_name},
    )
    notify(
        recipients=[request.requested_by],
        message=f"{actor.display_name} refused your request: {change_summary(request)} "
        f"for {request.account.display_name}.",
        link=reverse("staff_approval", args=[request.public_id]),
    )
    return request


def password_link(user: User) -> str:
    """The one-time link: it works until the password it sets changes the account's password hash."""
    return site_link(reverse("password_set", args=[user.public_id, default_token_generator.make_token(user)]))


def _send_password_link(user: User) -> None:
    """E-mail the link once the change that called for it has committed; it is never stored or shown."""

    def send() -> None:
        link = password_link(User.objects.get(pk=user.pk))
        send_mail(
            "Kindred: set your password",
            f"Hello {user.display_name},\n\nYour Kindred account ({user.username}) needs a password that only "
            f"you know. Choose it here; the link works once, for {settings.PASSWORD_RESET_TIMEOUT // 86400} days:"
            f"\n\n{link}\n\n"
            "If you did not expect this e-mail, tell your agency's administrators.",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )

    transaction.on_commit(send, robust=True)


def password_link_user(public_id, token: str, *, lock: bool = False) -> User | None:
    """The account a one-time link is for, while the link still works; None otherwise."""
    accounts = User.objects.select_for_update() if lock else User.objects.all()
    user = accounts.filter(public_id=public_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def user_set_password_by_link(*, public_id, token: str, new_password: str) -> User:
    """The account's owner sets their own password through their one-time link; the link then stops working."""
    user = password_link_user(public_id, token, lock=True)
    if user is None:
        raise ValidationError("This link no longer works. Ask an administrator for a new one.")
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    services.end_sessions(user)
    log_action(actor=user, action="accounts.user.password_set", target=user)
    return user
