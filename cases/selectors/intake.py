"""Reads for intake: the queue and a report's page, each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils.text import capfirst

from accounts import access, naming
from accounts.audit import log_action
from cases import extensions
from cases.choices import FINAL_STATUSES, OPEN_STATUSES, ParticipantRole, ReportStatus
from cases.models import REPORT_AWAITING_APPROVAL, REPORT_IN_QUEUE, Allegation, IntakeReport, ReportParticipant
from cases.services import AMENDABLE_FIELDS, REPORTER_FIELDS
from families import selectors as people_selectors
from records.workflow import may

QUEUE_STATUSES = [
    ReportStatus.DRAFT,
    ReportStatus.AWAITING_DECISION,
    ReportStatus.RETURNED,
    ReportStatus.AWAITING_APPROVAL,
]

AWAITING_APPROVAL = REPORT_AWAITING_APPROVAL
IN_QUEUE = REPORT_IN_QUEUE


def reports(user) -> QuerySet:
    return access.visible(user, IntakeReport.objects.all())


def uses_intake_queue(user) -> bool:
    return access.has_capability(user, "use_intake_queue")


# Beyond the statuses: the reports screened in or out, and every report.
DECIDED = "decided"
EVERY = "all"
QUEUE_VIEWS = [*QUEUE_STATUSES, DECIDED, EVERY]


def _queue_filter(status: str) -> Q:
    if status == ReportStatus.AWAITING_APPROVAL:
        return AWAITING_APPROVAL
    if status in QUEUE_STATUSES:
        return Q(status=status)
    if status == DECIDED:
        return Q(status__in=FINAL_STATUSES)
    if status == EVERY:
        return Q()
    return IN_QUEUE


def _matching(word: str) -> Q:
    """A report naming someone of that name, or whose reference ("Report 1A2B", "1a2b") it is."""
    named = ReportParticipant.objects.filter(report=OuterRef("pk")).filter(
        Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
    )
    reference = Q(public_id__startswith=word.lower()) if len(word) >= 4 and word.isalnum() else Q(pk__in=[])
    return Exists(named) | reference


def intake_queue(*, user, status: str = "", q: str = "") -> QuerySet:
    """Reports the user may see, waiting on intake (or in another view of the queue: decided ones, all of
    them), matching the search, the longest waiting first.

    "Awaiting approval" holds proposed screen-outs and requested priority downgrades; for a
    supervisor, who approves them, those come first.
    """
    found = reports(user).filter(_queue_filter(status))
    for word in [word for word in q.split() if word.lower() != "report"]:
        found = found.filter(_matching(word))
    found = naming.with_titles(
        found.annotate(
            awaits_approval=ExpressionWrapper(AWAITING_APPROVAL, output_field=BooleanField())
        ).select_related("created_by", "decided_by", "unit")
    )
    ordering = [F("received_at").asc(nulls_last=True), "created_at"]
    if status in (DECIDED, EVERY):
        ordering = [F("received_at").desc(nulls_last=True), "-created_at"]
    if access.has_capability(user, "approve_screening"):
        ordering.insert(0, F("awaits_approval").desc())
    return found.order_by(*ordering)


def queue_counts(*, user) -> dict[str, int | None]:
    """How many reports each tab of the queue holds ("" the waiting ones), in one query over the waiting ones.

    The tabs of decided reports ("Screened in or out", "All") are not counted: they hold the agency's whole
    history, which would make every view of the queue, a screener's home, slower year after year."""
    counts = {str(view): Count("pk", filter=_queue_filter(view)) for view in QUEUE_STATUSES}
    waiting = reports(user).filter(IN_QUEUE).aggregate(waiting=Count("pk"), **counts)
    return {**waiting, DECIDED: None, EVERY: None}


def reporter_shown(*, user, report: IntakeReport) -> bool:
    """Whether the reporter's identity may be shown to the user; each time it is, the audit log says so.

    Call this only where the identity is then actually shown (a report's page, its API detail).
    """
    if not access.can_see_reporter(user, report):
        return False
    log_action(actor=user, action="cases.intakereport.reporter_viewed", target=report)
    return True


def participants(*, report: IntakeReport, show_reporter: bool) -> list[ReportParticipant]:
    found = ReportParticipant.objects.filter(report=report).select_related("person").order_by("role", "id")
    if not show_reporter:
        found = found.exclude(role=ParticipantRole.REPORTER)
    return list(found)


@dataclass(frozen=True)
class PersonOnReport:
    """A person on a report once, with every role they hold on it."""

    person: object
    roles: list[str]


def people_on_report(*, report: IntakeReport, show_reporter: bool) -> list[PersonOnReport]:
    """Each person once, in the order of their first role, with their roles' labels."""
    grouped: dict[int, PersonOnReport] = {}
    for participant in participants(report=report, show_reporter=show_reporter):
        entry = grouped.setdefault(participant.person_id, PersonOnReport(person=participant.person, roles=[]))
        entry.roles.append(participant.get_role_display())
    return list(grouped.values())


def allegations(*, report: IntakeReport) -> list[Allegation]:
    """Active allegations first, withdrawn ones after them."""
    found = Allegation.objects.filter(report=report).select_related("victim", "perpetrator")
    return list(found.order_by(F("withdrawn_at").asc(nulls_first=True), "id"))


@dataclass(frozen=True)
class ReportActions:
    """What the viewer may do with the report now; the services decide again when they do it."""

    edit: bool
    submit: bool
    decide: bool
    review: bool
    change_priority: bool
    decide_downgrade: bool
    amend: bool
    open_case: bool

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def report_actions(*, user, report: IntakeReport, can_change: bool) -> ReportActions:
    takes_reports = access.has_capability(user, "take_reports")
    approves = access.has_capability(user, "approve_screening")
    is_open = report.status in OPEN_STATUSES
    return ReportActions(
        edit=can_change and is_open,
        submit=can_change and may(report, "submit"),
        decide=can_change and takes_reports and may(report, "screen_in"),
        review=can_change and approves and may(report, "approve_screen_out"),
        change_priority=can_change and report.status == ReportStatus.SCREENED_IN,
        decide_downgrade=can_change and approves and bool(report.requested_priority),
        amend=can_change and report.is_final,
        open_case=report.status == ReportStatus.SCREENED_IN and access.supervises(user, report),
    )


def amendable_fields(*, user, report: IntakeReport) -> list[str]:
    """The fields this user may amend: the reporter's only for those who may see the reporter."""
    if access.can_see_reporter(user, report):
        return list(AMENDABLE_FIELDS)
    return [field for field in AMENDABLE_FIELDS if field not in REPORTER_FIELDS]


@dataclass
class ReportPage:
    report: IntakeReport
    people: list
    allegations: list
    transitions: list
    amendments: list
    show_reporter: bool
    can_change: bool
    actions: ReportActions
    follow_up: object | None
    follow_up_label: str
    follow_up_url: str
    # The people on the report whose own page the viewer may open (their names link to it).
    people_shown: frozenset = frozenset()


def report_for_page(queryset: QuerySet | None = None) -> QuerySet:
    """The report with the people named on its page, for access.get_for_view / get_for_change."""
    queryset = IntakeReport.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "unit", "created_by", "decided_by", "approved_by", "priority_requested_by", *extensions.follow_up_joins()
    )


def report_page(*, user, report: IntakeReport) -> ReportPage:
    """Everything a report's page shows. When the reporter is shown, that is audited (see reporter_shown)."""
    show_reporter = reporter_shown(user=user, report=report)
    amendments = list(report.amendments.select_related("by"))
    if not show_reporter:
        amendments = [amendment for amendment in amendments if amendment.field not in REPORTER_FIELDS]
    can_change = access.can_change(user, report)
    follow_up, follow_up_url = extensions.follow_up_of(report)
    people = people_on_report(report=report, show_reporter=show_reporter)
    shown = people_selectors.people(user).filter(pk__in=[entry.person.pk for entry in people])
    return ReportPage(
        report=report,
        people=people,
        people_shown=frozenset(shown.values_list("pk", flat=True)),
        allegations=allegations(report=report),
        transitions=list(report.transitions.select_related("by")),
        amendments=amendments,
        show_reporter=show_reporter,
        can_change=can_change,
        actions=report_actions(user=user, report=report, can_change=can_change),
        follow_up=follow_up,
        follow_up_label=capfirst(follow_up._meta.verbose_name) if follow_up else "",
        # The follow-up's reference is shown to every reader of the report; its page only to those who may see it.
        follow_up_url=follow_up_url if follow_up and access.can_view(user, follow_up) else "",
    )
