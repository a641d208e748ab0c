import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import RecordRules
from accounts.models import GroupGrantBase, UserGrantBase
from accounts.roles import Clearance, Role

from .choices import (
    Decision,
    MaltreatmentType,
    ParticipantRole,
    ReceivedMethod,
    ReportSource,
    ReportStatus,
    ResponsePriority,
    SafetyAlert,
    ScreenOutReason,
)


def _report_assigned(user) -> Q:
    return Q(investigation__assigned_worker=user)


def _report_in_units(units) -> Q:
    return Q(unit__in=units) | Q(investigation__unit__in=units)


class IntakeReport(models.Model):
    """A report of suspected abuse or neglect (a referral), from first call to screening decision."""

    access_rules = RecordRules(
        assigned=_report_assigned,
        in_units=_report_in_units,
        read_all_roles=frozenset({Role.INTAKE_SCREENER, Role.PROGRAM_MANAGER, Role.AUDITOR}),
        change_all_roles=frozenset({Role.INTAKE_SCREENER}),
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=30, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="intake_reports"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

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
    response_priority = models.CharField(max_length=20, choices=ResponsePriority.choices, blank=True)
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
    requested_priority = models.CharField(max_length=20, choices=ResponsePriority.choices, blank=True)
    priority_change_reason = models.TextField(blank=True)
    priority_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-created_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

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


class ReportTransition(models.Model):
    """Every status change of a report, with who made it and why."""

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=30, choices=ReportStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ReportAmendment(models.Model):
    """A change to a report after its decision was final: the old value stays on record."""

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="amendments")
    field = models.CharField(max_length=60)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.field} amended"

    @property
    def field_label(self) -> str:
        return str(IntakeReport._meta.get_field(self.field).verbose_name)


class IntakeReportUserGrant(UserGrantBase):
    content_object = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="user_grants")


class IntakeReportGroupGrant(GroupGrantBase):
    content_object = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="group_grants")
