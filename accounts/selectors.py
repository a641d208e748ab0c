"""Reads for the staff and audit pages, each a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.audit import describe
from accounts.choices import ChangeKind, ChangeStatus
from accounts.models import AuditEvent, StaffChangeRequest, Unit, User, UserGrantBase
from accounts.roles import Role


def staff_search(*, user, q: str = "", role: str = "", unit=None, status: str = "") -> QuerySet:
    members = access.staff_queryset(user).select_related("unit").prefetch_related("groups")
    for word in q.split():
        members = members.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if role:
        members = members.filter(pk__in=User.objects.filter(groups__name=Role(role).group_name).values("pk"))
    if unit is not None:
        members = members.filter(unit=unit)
    if status == "active":
        members = members.filter(is_active=True)
    elif status == "inactive":
        members = members.filter(is_active=False)
    return members


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_search(*, user, actor=None, action="", target_type="", target_id="", since=None, until=None) -> QuerySet:
    """The audit log the user may read, filtered. `action` is a verb ("viewed", "listed", "signed_in"); one
    record (`target_type` and `target_id`) brings its whole history, the list reads that showed it included."""
    if target_type and target_id:
        events = access.record_audit_events(user, target_type, target_id)
    else:
        events = access.audit_events(user)
        if target_type:
            events = events.filter(target_type=target_type)
        if target_id:
            events = events.filter(target_id=target_id)
    if actor is not None:
        events = events.filter(actor=actor)
    if action:
        events = events.filter(action__endswith=f".{action}")
    if since:
        events = events.filter(occurred_at__gte=_day_start(since))
    if until:
        events = events.filter(occurred_at__lt=_day_start(until) + timedelta(days=1))
    return events


def target_history(*, user, target_type: str, target_id: str) -> list[tuple[AuditEvent, str]]:
    events = audit_search(user=user, target_type=target_type, target_id=target_id)
    return [(event, describe(event)) for event in events]


def staff_change_requests(*, user, status: str = "") -> QuerySet:
    """Change requests waiting for (or decided by) a second administrator: administrators only."""
    if not access.has_capability(user, "manage_staff"):
        return StaffChangeRequest.objects.none()
    found = StaffChangeRequest.objects.select_related("account", "unit", "requested_by", "decided_by")
    return found.filter(status=status) if status else found


def get_change_request(user, public_id) -> StaffChangeRequest:
    """One change request: 404 for non-administrators and unknown ids alike."""
    found = staff_change_requests(user=user).filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def may_decide(user, request: StaffChangeRequest) -> bool:
    """Another administrator decides a pending request: never the one who asked, never the account's owner."""
    return (
        request.status == ChangeStatus.PENDING
        and user.pk not in (request.requested_by_id, request.account_id)
        and access.has_capability(user, "manage_staff")
    )


def change_summary(request: StaffChangeRequest) -> str:
    """What the request would do, as the approving administrator reads it."""
    if request.kind == ChangeKind.UNIT_SUPERVISOR:
        return f"Supervisor of {request.unit.name}"
    if request.kind == ChangeKind.PASSWORD_RESET:
        return f"Password reset: a one-time link to {request.email}"
    parts = [f"{Role(role).label} role" for role in request.roles]
    if request.clearance_sensitive:
        parts.append("sensitive clearance")
    if request.clearance_sealed:
        parts.append("sealed clearance")
    if request.changes_email:
        parts.append(f"e-mail address {request.email or 'removed'}")
    return "; ".join(parts)


def change_request_rows(*, user, limit_decided: int = 20) -> dict[str, list[tuple]]:
    """The approvals page: every pending request (with whether `user` may decide it), and the latest decided ones.

    Two queries."""
    pending = staff_change_requests(user=user, status=ChangeStatus.PENDING).order_by("requested_at")
    decided = staff_change_requests(user=user).exclude(status=ChangeStatus.PENDING).order_by("-decided_at")
    return {
        "pending": [(request, change_summary(request), may_decide(user, request)) for request in pending],
        "decided": [(request, change_summary(request)) for request in decided[:limit_decided]],
    }


# Rows each staff task shows on the home page; the staff pages list the rest.
STAFF_TASK_ROWS = 8


@dataclass(frozen=True)
class StaffTasks:
    """An administrator's work: accounts to set up (active, with no role yet or never signed in), accounts
    locked out by repeated failed sign-ins, and role, clearance and other changes awaiting a second
    administrator."""

    to_set_up: list
    to_set_up_count: int
    locked_out: list
    pending: list
    pending_count: int


def locked_out_accounts(*, user) -> QuerySet:
    """Accounts whose sign-in is locked now: failures at the limit within the lockout time (django-axes)."""
    if not access.has_capability(user, "manage_staff"):
        return User.objects.none()
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )
    return access.staff_queryset(user).filter(username__in=locked.values("username"))


def staff_tasks(*, user) -> StaffTasks:
    """Six queries."""
    staff = access.staff_queryset(user).filter(is_active=True)
    to_set_up = (
        staff.filter(Q(groups__isnull=True) | Q(last_login__isnull=True))
        .distinct()
        .prefetch_related("groups")
        .order_by("-date_joined")
    )
    pending = staff_change_requests(user=user, status=ChangeStatus.PENDING).order_by("requested_at")
    return StaffTasks(
        to_set_up=list(to_set_up[:STAFF_TASK_ROWS]),
        to_set_up_count=to_set_up.count(),
        locked_out=list(locked_out_accounts(user=user).order_by("last_name", "first_name")[:STAFF_TASK_ROWS]),
        pending=[(request, change_summary(request)) for request in pending[:STAFF_TASK_ROWS]],
        pending_count=pending.count(),
    )


@dataclass(frozen=True)
class GrantRow:
    """One explicit grant on a record, as the grant section and the API show it."""

    id: str
    grantee: str
    grantee_kind: str
    action: str
    granted_by: str
    granted_at: datetime
    expires_at: datetime | None
    reason: str
    grant: object


def record_grants(record) -> list[GrantRow]:
    """The unexpired explicit grants on a record, people first, then units: two queries."""
    user_grants, group_grants = access.grant_models(type(record))
    people = user_grants.objects.filter(content_object=record).select_related("user", "permission", "granted_by")
    units = group_grants.objects.filter(content_object=record).select_related("group__unit", "permission", "granted_by")
    return [grant_row(grant) for grants in (people, units) for grant in grants.order_by("expires_at", "pk")]


def grant_row(grant) -> GrantRow:
    if isinstance(grant, UserGrantBase):
        kind, grantee = "user", grant.user.display_name
    else:
        kind, grantee = "unit", getattr(grant.group, "unit", grant.group).name
    return GrantRow(
        id=f"{kind}-{grant.pk}",
        grantee=grantee,
        grantee_kind=kind,
        action=grant.permission.codename.split("_", 1)[0],
        granted_by=grant.granted_by.display_name if grant.granted_by_id else "",
        granted_at=grant.granted_at,
        expires_at=grant.expires_at,
        reason=grant.reason,
        grant=grant,
    )


def record_grant(record, grant_id: str):
    """One unexpired grant on this record by its id ("user-12", "unit-3"); 404 for any other."""
    kind, _, pk = grant_id.partition("-")
    user_grants, group_grants = access.grant_models(type(record))
    grants = {"user": user_grants, "unit": group_grants}.get(kind)
    if grants is None or not pk.isdigit():
        raise Http404
    grant = grants.objects.filter(content_object=record, pk=int(pk)).select_related("permission").first()
    if grant is None:
        raise Http404
    return grant


# A search for a grantee shows at most this many people: enough to pick from, short enough for a phone.
GRANT_CANDIDATES_SHOWN = 20
# Words of a grantee search that are matched (a name and a surname, or a username, need no more).
GRANT_SEARCH_WORDS = 4


@dataclass(frozen=True)
class GrantCandidates:
    """The staff a search found whom a record may be granted to, and whether more matched than are shown."""

    people: list[User]
    more: bool


def grant_candidates(record, *, search: str, granting: User) -> GrantCandidates:
    """The staff a grant on this record may go to (the policy's `grantable_staff`) whose name or username holds
    every word searched: at most GRANT_CANDIDATES_SHOWN by name, with their unit and roles, in three queries
    whatever the number of staff. The search only narrows: the grant service checks the one chosen again.
    `granting`, who searches, is not offered: nobody grants access to themselves."""
    people = access.grantable_staff(access.restriction_of(record)).exclude(pk=granting.pk)
    for word in search.split()[:GRANT_SEARCH_WORDS]:
        people = people.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    found = list(
        people.select_related("unit")
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username")[: GRANT_CANDIDATES_SHOWN + 1]
    )
    return GrantCandidates(people=found[:GRANT_CANDIDATES_SHOWN], more=len(found) > GRANT_CANDIDATES_SHOWN)


def grant_units() -> QuerySet:
    """The units a record may be granted to, by name (a few dozen in any agency)."""
    return Unit.objects.order_by("name")
