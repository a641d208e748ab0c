"""How intake reports and cases are named where they are listed or announced (`accounts.naming`):
the family, the children's first names and ages, the priority and the due date beside the reference."""

from django.db.models import Prefetch
from django.utils import timezone

from accounts import naming
from cases.choices import MemberRole, ParticipantRole
from cases.models import Case, CaseMember, IntakeReport, ReportParticipant


def victims(through: str = "") -> Prefetch:
    """The alleged victims a report's name reads, for reports reached `through` a relation ("report__")."""
    return Prefetch(
        f"{through}participants",
        queryset=ReportParticipant.objects.filter(role=ParticipantRole.ALLEGED_VICTIM).select_related("person"),
        to_attr="titled_victims",
    )


MEMBERS = Prefetch(
    "members",
    queryset=CaseMember.objects.filter(ended_on__isnull=True).select_related("person").order_by("id"),
    to_attr="titled_members",
)


def family_of(people) -> str:
    """ "Lopez family", or "Lopez / Reyes families" when the children carry more than one last name."""
    names = list(dict.fromkeys(person.last_name for person in people if person.last_name))
    if not names:
        return ""
    return f"{' / '.join(names)} {'family' if len(names) == 1 else 'families'}"


def _victims(report: IntakeReport) -> list:
    found = getattr(report, "titled_victims", None)
    if found is None:
        found = report.participants.filter(role=ParticipantRole.ALLEGED_VICTIM).select_related("person")
    return sorted({participant.person.pk: participant.person for participant in found}.values(), key=lambda p: p.pk)


def report_title(report: IntakeReport, *, reference: str = "", due=None) -> naming.Title:
    """The report's name; a record following from it (an investigation) passes its own reference and due time."""
    children = _victims(report)
    today = timezone.localdate()
    return naming.Title(
        reference=reference or report.reference,
        family=family_of(children),
        children=tuple(naming.child_label(child, today) for child in children),
        priority=report.get_response_priority_display() if report.response_priority else "",
        due=due if due is not None else report.first_contact_due_at,
    )


def case_title(case: Case) -> naming.Title:
    members = getattr(case, "titled_members", None)
    if members is None:
        members = list(case.members.filter(ended_on__isnull=True).select_related("person").order_by("id"))
    today = timezone.localdate()
    due = [member.face_to_face_due for member in members if member.requires_visit and member.face_to_face_due]
    return naming.Title(
        reference=case.reference,
        family=case.family_name,
        children=tuple(naming.child_label(m.person, today) for m in members if m.role == MemberRole.CHILD),
        due=min(due) if due else None,
    )


def register() -> None:
    naming.register(IntakeReport, report_title, prefetch=[victims()])
    naming.register(Case, case_title, prefetch=[MEMBERS])
