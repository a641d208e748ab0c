from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts import access
from cases.choices import ParticipantRole
from cases.models import ReportParticipant
from cases.selectors.casework import Seeable
from investigations.models import Investigation


def investigations(*, user, status: str = "") -> QuerySet:
    """Investigations the user may see, the nearest response deadline first."""
    found = access.visible(user, Investigation.objects.all()).select_related("report", "unit", "assigned_worker")
    if status:
        found = found.filter(status=status)
    return found.order_by("response_due_at")


def investigation_for_contacts() -> QuerySet:
    """Investigations with what a contact's pages and rules read of them, for access.get_for_view / get_for_change."""
    return Investigation.objects.select_related("report", "unit")


def investigation_seeable(*, investigation: Investigation) -> list[Seeable]:
    """The people on the investigation's report, reporters left out (their identity is confidential)."""
    participants = (
        ReportParticipant.objects.filter(report_id=investigation.report_id)
        .exclude(role=ParticipantRole.REPORTER)
        .select_related("person")
        .order_by("role", "id")
    )
    today = timezone.localdate()
    seeable: dict[int, Seeable] = {}
    for participant in participants:
        age = participant.person.age_on(today)
        is_child = participant.role == ParticipantRole.ALLEGED_VICTIM or (
            age is not None and age < settings.KINDRED_CHILD_AGE_LIMIT
        )
        known = seeable.get(participant.person_id)
        label = f"{known.role_label}, {participant.get_role_display()}" if known else participant.get_role_display()
        seeable[participant.person_id] = Seeable(
            person=participant.person, role_label=label, is_child=is_child or bool(known and known.is_child)
        )
    return list(seeable.values())
