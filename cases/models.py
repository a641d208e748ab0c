import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import RecordRules
from accounts.models import GroupGrantBase, UserGrantBase
from accounts.roles import Clearance, Role
from cases import extensions
from cases.choices import (
    OPEN_STATUSES,
    AlertKind,
    AssignmentRole,
    CaseOpenedFor,
    CaseStatus,
    ClosureReason,
    Decision,
    MaltreatmentType,
    MemberRole,
    ParticipantRole,
    ReceivedMethod,
    ReportSource,
    ReportStatus,
    SafetyAlert,
    ScreenOutReason,
    response_priorities,
)
from records.models import Amendment, Transition
from records.models import Contact as ContactBase
from records.workflow import Move, Workflow


def report_worked_in(units) -> Q:
    """Reports of these units (a Unit queryset), or behind a record built on them and worked there (an
    investigation): their supervisors see the report and may read its reporter. Not the cases opened from it."""
    found = Q(unit__in=units)
    for entry in extensions.report_worked_in_units:
        found |= entry(units)
    return found


def _report_assigned(user) -> Q:
    """The reports behind the cases, and the records built on reports (investigations), assigned to the user."""
    my_cases = Case.objects.filter(
        pk__in=CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values("case")
    )
    found = Q(pk__in=my_cases.values("source_report"))
    for entry in extensions.report_assigned:
        found |= entry(user)
    return found


def _report_in_units(units) -> Q:
    return report_worked_in(units) | Q(pk__in=Case.objects.filter(unit__in=units).values("source_report"))


# What waits for a supervisor: a proposed screen-out, or a lower response priority on a screened-in report.
REPORT_AWAITING_APPROVAL = Q(status=ReportStatus.AWAITING_APPROVAL) | (
    Q(status=ReportStatus.SCREENED_IN) & ~Q(requested_priority="")
)
# What waits on intake or a supervisor: the intake queue. Its partial index (IntakeReport.Meta) answers a
# query filtered by exactly this condition.
REPORT_IN_QUEUE = Q(status__in=OPEN_STATUSES) | REPORT_AWAITING_APPROVAL


class IntakeReport(models.Model):
    """A report of suspected abuse or neglect (a referral), from first call to screening decision."""

    access_rules = RecordRules(
        assigned=_report_assigned,
        in_units=_report_in_units,
        read_all_roles=frozenset({Role.INTAKE_SCREENER, Role.PROGRAM_MANAGER, Role.AUDITOR}),
        change_all_roles=frozenset({Role.INTAKE_SCREENER}),
        reporter_read_in=report_worked_in,
    )
    workflow = Workflow(
        noun="report",
        history="transitions",
        moves={
            "submit": Move(
                (ReportStatus.DRAFT, ReportStatus.RETURNED),
                ReportStatus.AWAITING_DECISION,
                "submitted",
                "cases.intakereport.submitted",
            ),
            "screen_in": Move(OPEN_STATUSES, ReportStatus.SCREENED_IN, "screened in", "cases.intakereport.screened_in"),
            "screen_out": Move(
                OPEN_STATUSES, ReportStatus.AWAITING_APPROVAL, "screened out", "cases.intakereport.screen_out_proposed"
            ),
            "approve_screen_out": Move(
                (ReportStatus.AWAITING_APPROVAL,),
                ReportStatus.SCREENED_OUT,
                "approved for screen-out",
                "cases.intakereport.screen_out_approved",
            ),
            "return": Move(
                (ReportStatus.AWAITING_APPROVAL, ReportStatus.AWAITING_DECISION),
                ReportStatus.RETURNED,
                "returned",
                "cases.intakereport.returned",
            ),
        },
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=30, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_reports"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Counts the edits of the report's fields; an edit made from an older version is refused (no lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    received_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=ReceivedMethod.choices, blank=True)
    report_source = models.CharField(max_length=30, choices=ReportSource.choices, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    incident_address = models.TextField(blank=True)
    children_location = models.TextField("where the children are now", blank=True)
    narrative = models.TextField(blank=True)
    safety_alerts = models.JSONField(default=list, blank=True)
    safety_notes = models.TextField(blank=True)
    access_restriction = models.CharField(max_length=20, choices=Clearance.choices, default=Clearance.NONE)
    restriction_reason = models.TextField(blank=True)

    # The reporter's identity is confidential: shown only to those accounts.access says may see it.
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_relationship = models.CharField(max_length=100, blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_mandated = models.BooleanField("mandated reporter", default=False)
    reporter_wants_feedback = models.BooleanField(default=False)
    reporter_anonymous = models.BooleanField(default=False)

    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True, default=Decision.NONE)
    response_priority = models.CharField(max_length=20, choices=response_priorities, blank=True)
    screen_out_reason = models.CharField(max_length=30, choices=ScreenOutReason.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    first_contact_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    return_comment = models.TextField(blank=True)

    # A downgrade of the response priority waits here for a supervisor.
    requested_priority = models.CharField(max_length=20, choices=response_priorities, blank=True)
    priority_change_reason = models.TextField(blank=True)
    priority_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            # The intake queue and its counts read only the reports waiting (a few among the agency's history).
            models.Index(
                fields=["received_at", "created_at"], condition=REPORT_IN_QUEUE, name="intake_report_in_queue"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"Report {str(self.public_id)[:8].upper()}"

    def audit_label(self) -> str:
        return self.reference

    @property
    def is_final(self) -> bool:
        return self.status in (ReportStatus.SCREENED_IN, ReportStatus.SCREENED_OUT)

    @property
    def safety_alert_labels(self) -> list[str]:
        return [SafetyAlert(code).label if code in SafetyAlert.values else code for code in self.safety_alerts]


class ReportParticipant(models.Model):
    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="report_roles")
    role = models.CharField(max_length=30, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "person", "role"], name="participant_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Allegation(models.Model):
    """(alleged victim, alleged perpetrator or unknown, maltreatment type)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="allegations")
    victim = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="allegations_as_victim")
    perpetrator = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations_as_perpetrator",
        help_text="Empty when the perpetrator is unknown.",
    )
    maltreatment_type = models.CharField(max_length=30, choices=MaltreatmentType.choices)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "victim", "perpetrator", "maltreatment_type"],
                condition=Q(withdrawn_at__isnull=True),
                name="allegation_once",
            ),
        ]

    def __str__(self) -> str:
        perpetrator = self.perpetrator or "unknown perpetrator"
        return f"{self.get_maltreatment_type_display()}: {self.victim} by {perpetrator}"


class ReportTransition(Transition):
    """Every status change of a report, with who made it and why."""

    status_choices = ReportStatus
    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="transitions")


class ReportAmendment(Amendment):
    """A change to a report after its decision was final."""

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="amendments")

    class Meta(Amendment.Meta):
        pass

    @property
    def field_label(self) -> str:
        return str(IntakeReport._meta.get_field(self.field).verbose_name)


class IntakeReportUserGrant(UserGrantBase):
    content_object = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="user_grants")


class IntakeReportGroupGrant(GroupGrantBase):
    content_object = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="group_grants")


def _case_assigned(user) -> Q:
    return Q(pk__in=CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values("case"))


def _case_in_units(units) -> Q:
    return Q(unit__in=units)


class Case(models.Model):
    """An ongoing case: a family receiving services, with its members, workers and visits."""

    access_rules = RecordRules(assigned=_case_assigned, in_units=_case_in_units)
    workflow = Workflow(
        noun="case",
        history="transitions",
        moves={
            "request_closure": Move(
                (CaseStatus.OPEN,), CaseStatus.CLOSURE_REQUESTED, "sent for closure", "cases.case.closure_requested"
            ),
            "approve_closure": Move((CaseStatus.CLOSURE_REQUESTED,), CaseStatus.CLOSED, "closed", "cases.case.closed"),
            "return_closure": Move(
                (CaseStatus.CLOSURE_REQUESTED,),
                CaseStatus.OPEN,
                "returned from closure review",
                "cases.case.closure_returned",
            ),
            "reopen": Move((CaseStatus.CLOSED,), CaseStatus.OPEN, "reopened", "cases.case.reopened"),
        },
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family_name = models.CharField(max_length=200, help_text="How staff refer to the case, e.g. 'Lopez family'.")
    status = models.CharField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_for = models.CharField(max_length=30, choices=CaseOpenedFor.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="cases")
    source_report = models.ForeignKey(
        IntakeReport, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    access_restriction = models.CharField(max_length=20, choices=Clearance.choices, default=Clearance.NONE)
    restriction_reason = models.TextField(blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)
    # Counts the edits made through the case's forms (members' care, restriction); an edit made from an
    # older version is refused (no lost update). Moves of its status are guarded by the workflow instead.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["family_name"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"Case {str(self.public_id)[:8].upper()}"

    def audit_label(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def visits_counted_from(self):
        """The moment the visit clock last started: the opening, or the latest reopening."""
        return self.reopened_at or self.opened_at


class CaseMember(models.Model):
    """A person on a case, with the face-to-face visit rule's state kept on the row.

    `face_to_face_due` and `requires_visit` are written by the services in the same transaction
    as the visit, the member change or the case change that moves them, so the rule is answered
    for a whole caseload by one indexed query.
    """

    # A list of members shows who they are: its audit row names each person too ("who viewed this child").
    audit_also_names = ("person",)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True, help_text="Why the person left the case.")
    must_be_seen = models.BooleanField(default=True)
    excused_reason = models.TextField(blank=True)
    diligent_search_note = models.TextField(blank=True)
    in_care_since = models.DateField(
        null=True, blank=True, help_text="A child in out-of-home care since this day (for the federal measure)."
    )
    in_care_until = models.DateField(null=True, blank=True)
    in_care_note = models.TextField(blank=True, help_text="A note on the care period, e.g. the placement order.")
    last_face_to_face_at = models.DateTimeField(null=True, blank=True)
    face_to_face_due = models.DateField(null=True, blank=True)
    requires_visit = models.BooleanField(default=False)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], condition=Q(ended_on__isnull=True), name="case_member_once_while_active"
            ),
        ]
        indexes = [
            models.Index(fields=["face_to_face_due"], condition=Q(requires_visit=True), name="member_visit_due_open"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CaseAssignment(models.Model):
    """Who works a case, and who did when: an ended assignment stays as history."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField(max_length=20, choices=AssignmentRole.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role"], condition=Q(ended_at__isnull=True), name="one_active_assignment_per_role"
            ),
            models.UniqueConstraint(
                fields=["case", "worker"], condition=Q(ended_at__isnull=True), name="one_active_assignment_per_worker"
            ),
        ]
        indexes = [models.Index(fields=["worker"], condition=Q(ended_at__isnull=True), name="active_assignment")]

    def __str__(self) -> str:
        return f"{self.worker} ({self.get_role_display()})"


class Contact(ContactBase):
    """A contact or visit with people on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    people_seen = models.ManyToManyField("families.Person", related_name="contacts_seen_in", blank=True)

    class Meta(ContactBase.Meta):
        indexes = [models.Index(fields=["case", "occurred_at"])]


class ContactAmendment(Amendment):
    """A correction to a recorded contact."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="amendments")

    class Meta(Amendment.Meta):
        pass


class VisitAlert(models.Model):
    """A member due soon or overdue for a face-to-face visit; resolved once they are seen.

    The case is the member's, not kept twice. The member is not a foreign-key constraint in the
    database: alerts are opened only by the daily job, from member rows, and a member row is never
    deleted (on PostgreSQL a trigger refuses it), so the check would guard nothing; yet it would
    lock every member alerted and rewrite their pages, which takes a large agency's first run
    about as long as opening the alerts themselves.
    """

    member = models.ForeignKey(CaseMember, on_delete=models.PROTECT, related_name="visit_alerts", db_constraint=False)
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"], condition=Q(resolved_at__isnull=True), name="one_open_alert_per_member_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} since {self.due_on}"


class CaseTransition(Transition):
    """Every status change of a case, with who made it and why."""

    status_choices = CaseStatus
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Note of {self.written_at:%Y-%m-%d}"


class CaseUserGrant(UserGrantBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")


class CaseGroupGrant(GroupGrantBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")


class VisitJobRun(models.Model):
    """One run of the overdue-visit job: when, why, what it changed, or the error it stopped on.

    The hourly catch-up reads these to tell whether the latest scheduled run happened.
    """

    class Trigger(models.TextChoices):
        BEAT = "beat", "Daily schedule"
        CATCH_UP = "catch_up", "Catch-up after a missed run"
        MANUAL = "manual", "Run now (administrator)"
        COMMAND = "command", "manage.py flag_overdue_visits"

    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} at {self.started_at:%Y-%m-%d %H:%M}"

    def audit_label(self) -> str:
        return f"Visit job run {self.pk}"

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error
