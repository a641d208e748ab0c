"""Reads for the staff and audit pages, each a fixed number of queries."""

from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.audit import describe
from accounts.models import AuditEvent, User
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
    events = access.audit_events(user)
    if actor is not None:
        events = events.filter(actor=actor)
    if action:
        events = events.filter(action__startswith=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if since:
        events = events.filter(occurred_at__gte=_day_start(since))
    if until:
        events = events.filter(occurred_at__lt=_day_start(until) + timedelta(days=1))
    return events


def target_history(*, user, target_type: str, target_id: str) -> list[tuple[AuditEvent, str]]:
    events = audit_search(user=user, target_type=target_type, target_id=target_id)
    return [(event, describe(event)) for event in events]
