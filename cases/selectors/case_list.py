"""The case list: every case the viewer may see, closed ones included, searched and filtered; one
selector for the page and the API, a fixed number of queries per page whatever it lists."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import access, naming
from accounts.models import Unit, User
from cases import visit_rule
from cases.models import Case, CaseAssignment, CaseMember


@dataclass(frozen=True)
class CaseFilters:
    """What a case search asks for; empty values filter nothing."""

    q: str = ""
    status: str = ""
    worker: User | None = None
    unit: Unit | None = None
    overdue: bool = False
    restriction: str = ""
    mine: bool = False


def active_assignments() -> QuerySet:
    return CaseAssignment.objects.filter(ended_at__isnull=True).select_related("worker").order_by("role")


def _matching(word: str) -> Q:
    """A case whose family name, a member's name, or reference ("Case 1A2B" or "1a2b") matches the word."""
    named = CaseMember.objects.filter(case=OuterRef("pk")).filter(
        Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
    )
    reference = Q(public_id__startswith=word.lower()) if len(word) >= 4 and word.isalnum() else Q(pk__in=[])
    return Q(family_name__icontains=word) | Exists(named) | reference


def case_search(user, filters: CaseFilters) -> QuerySet:
    """The cases the user may see that match, by family name, with their workers, overdue and due-soon
    counts and what their names read (`accounts.naming`)."""
    today = timezone.localdate()
    found = access.visible(user, Case.objects.all())
    for word in [word for word in filters.q.split() if word.lower() != "case"]:
        found = found.filter(_matching(word))
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.unit is not None:
        found = found.filter(unit=filters.unit)
    if filters.restriction:
        found = found.filter(access_restriction=filters.restriction)
    for worker in [w for w in (filters.worker, user if filters.mine else None) if w is not None]:
        found = found.filter(pk__in=CaseAssignment.objects.filter(worker=worker, ended_at__isnull=True).values("case"))
    found = found.annotate(
        members_overdue=Count("members", filter=visit_rule.overdue_q(today, prefix="members__")),
        members_due_soon=Count("members", filter=visit_rule.due_soon_q(today, prefix="members__")),
    )
    if filters.overdue:
        found = found.filter(members_overdue__gt=0)
    return naming.with_titles(
        found.select_related("unit")
        .prefetch_related(Prefetch("assignments", queryset=active_assignments(), to_attr="active_assignments"))
        .order_by("family_name", "id")
    )
