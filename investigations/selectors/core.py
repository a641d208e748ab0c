from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts import access
from cases.choices import ParticipantRole
from cases.models import ReportParticipant
from cases.selectors.casework import Seeable
from investigations.models import Investigation
from investigations.selectors.deadlines import with_nearest_deadline

# The list's filters of whose investigations: a worker's own, the units a supervisor supervises.
MINE = "mine"
MY_UNITS = "unit"


def investigations(*, user, status: str = "", show: str = "") -> QuerySet:
    """Investigations the user may see (only theirs with `show="mine"`, only their supervised units' with
    `show="unit"`), the nearest open deadline first (`with_nearest_deadline`); closed ones last."""
    found = access.visible(user, Investigation.objects.all()).select_related("report", "unit", "assigned_worker")
    if status:
        found = found.filter(status=status)
    if show == MINE:
        found = found.filter(assigned_worker=user)
    elif show == MY_UNITS:
        found = found.filter(unit__in=access.supervising_units(user))
    return with_nearest_deadline(found).order_by(F("nearest_deadline_at").asc(nulls_last=True), "response_due_at", "pk")


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
