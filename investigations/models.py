import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import RecordRules
from accounts.models import GroupGrantBase, UserGrantBase
from investigations.choices import (
    ClosureOutcome,
    CollateralRole,
    ContactPurpose,
    CrossReportMethod,
    DeadlineKind,
    Finding,
    InvestigationStatus,
    ProtectiveAction,
    Responsible,
    RiskLevel,
    RiskOverride,
    SafetyDecision,
    SafetyPlanStatus,
)
from records.models import Amendment, Transition
from records.models import Contact as ContactBase
from records.workflow import Move, Workflow


def _assigned(user) -> Q:
    return Q(assigned_worker=user)


def _in_units(units) -> Q:
    return Q(unit__in=units)


class Investigation(models.Model):
    """The response to a screened-in report. The investigations work fills in contacts, findings, assessments."""

    access_rules = RecordRules(assigned=_assigned, in_units=_in_units, restriction_field="report__access_restriction")
    workflow = Workflow(
        noun="investigation",
        history="transitions",
        moves={
            "assign": Move(
                (InvestigationStatus.AWAITING_ASSIGNMENT,),
                InvestigationStatus.ASSIGNED,
                "assigned",
                "investigations.investigation.assigned",
            ),
            "reassign": Move(
                (
                    InvestigationStatus.ASSIGNED,
                    InvestigationStatus.IN_PROGRESS,
                    InvestigationStatus.FINDINGS_SUBMITTED,
                    InvestigationStatus.FINDINGS_APPROVED,
                    InvestigationStatus.CLOSURE_REQUESTED,
                ),
                None,
                "reassigned",
                "investigations.investigation.assigned",
            ),
            # The first face-to-face contact with an alleged child victim starts the work.
            "start": Move(
                (InvestigationStatus.ASSIGNED,),
                InvestigationStatus.IN_PROGRESS,
                "started",
                "investigations.investigation.started",
            ),
            "submit_findings": Move(
                (InvestigationStatus.IN_PROGRESS,),
                InvestigationStatus.FINDINGS_SUBMITTED,
                "submitted for approval of its findings",
                "investigations.findings.submitted",
            ),
            "approve_findings": Move(
                (InvestigationStatus.FINDINGS_SUBMITTED,),
                InvestigationStatus.FINDINGS_APPROVED,
                "have its findings approved",
                "investigations.findings.approved",
            ),
            "return_findings": Move(
                (InvestigationStatus.FINDINGS_SUBMITTED,),
                InvestigationStatus.IN_PROGRESS,
                "have its findings returned",
                "investigations.findings.returned",
            ),
            # Approved findings reopened by the worker (new information) go back to work.
            "reopen_findings": Move(
                (InvestigationStatus.FINDINGS_APPROVED,),
                InvestigationStatus.IN_PROGRESS,
                "have its findings reopened",
                "investigations.findings.reopened",
            ),
            "request_closure": Move(
                (InvestigationStatus.FINDINGS_APPROVED,),
                InvestigationStatus.CLOSURE_REQUESTED,
                "put forward for closure",
                "investigations.closure.requested",
            ),
            "approve_closure": Move(
                (InvestigationStatus.CLOSURE_REQUESTED,),
                InvestigationStatus.CLOSED,
                "closed",
                "investigations.investigation.closed",
            ),
            "return_closure": Move(
                (InvestigationStatus.CLOSURE_REQUESTED,),
                InvestigationStatus.FINDINGS_APPROVED,
                "have its closure returned",
                "investigations.closure.returned",
            ),
        },
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.OneToOneField("cases.IntakeReport", on_delete=models.PROTECT, related_name="investigation")
    status = models.CharField(
        max_length=30, choices=InvestigationStatus.choices, default=InvestigationStatus.AWAITING_ASSIGNMENT
    )
    unit = models.ForeignKey("accounts.Unit", null=True, on_delete=models.PROTECT, related_name="investigations")
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="investigations"
    )
    # The report's first-contact deadline: each alleged child victim's own is a ChildContactDeadline.
    response_due_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Deadlines (kept current by the services; `investigations.deadlines` says how each stands).
    first_contact_at = models.DateTimeField(
        null=True, blank=True, help_text="The first face-to-face contact with any alleged child victim."
    )
    safety_assessment_due_at = models.DateTimeField(
        null=True, blank=True, help_text="Working days after the first contact (holidays skipped)."
    )
    cross_report_due_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when an allegation's type requires a cross-report (CrossReportRule)."
    )
    closure_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Findings: the disposition is derived from the allegations' findings (FINDING_ORDER).
    disposition = models.CharField(max_length=30, choices=Finding.choices, blank=True)
    findings_submitted_at = models.DateTimeField(null=True, blank=True)
    findings_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    findings_approved_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True, help_text="The supervisor's comment on returned findings or closure.")

    # Closure.
    closure_outcome = models.CharField(max_length=30, choices=ClosureOutcome.choices, blank=True)
    closure_referrals = models.TextField(blank=True, help_text="The community services referred to.")
    closure_note = models.TextField(blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="source_investigations"
    )

    class Meta:
        ordering = ["response_due_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"Investigation {str(self.public_id)[:8].upper()}"

    def audit_label(self) -> str:
        return self.reference


class InvestigationTransition(Transition):
    """Every status change of an investigation (and every assignment), with who made it and why."""

    status_choices = InvestigationStatus
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="transitions")


class InvestigationContact(ContactBase):
    """A contact or visit with people on an investigation's report: the first face-to-face one answers the deadline."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="contacts")
    purpose = models.CharField(max_length=20, choices=ContactPurpose.choices, default=ContactPurpose.INTERVIEW)
    people_seen = models.ManyToManyField("families.Person", related_name="investigation_contacts_seen_in", blank=True)

    class Meta(ContactBase.Meta):
        indexes = [models.Index(fields=["investigation", "occurred_at"])]


class InvestigationContactAmendment(Amendment):
    """A correction to a recorded investigation contact."""

    contact = models.ForeignKey(InvestigationContact, on_delete=models.PROTECT, related_name="amendments")

    class Meta(Amendment.Meta):
        pass


class InvestigationUserGrant(UserGrantBase):
    content_object = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="user_grants")


class InvestigationGroupGrant(GroupGrantBase):
    content_object = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="group_grants")


class CollateralContact(models.Model):
    """Someone seen or spoken to at a contact who is not on the record: a teacher, a doctor, a police officer."""

    contact = models.ForeignKey(InvestigationContact, on_delete=models.PROTECT, related_name="collaterals")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=CollateralRole.choices)
    organisation = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ChildContactDeadline(models.Model):
    """The first face-to-face contact with one alleged child victim: due, met (on time or late) or excused.

    One per alleged victim of the investigation's report; a child added to the report later gets theirs
    then. `met_at` is the first face-to-face contact that saw the child; a late one stays late.
    """

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="child_deadlines")
    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    met_by_contact = models.ForeignKey(
        InvestigationContact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excused_reason = models.TextField(blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excused_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "person"], name="one_first_contact_deadline_per_child")
        ]
        indexes = [models.Index(fields=["due_at"], condition=Q(met_at__isnull=True), name="child_deadline_unmet")]

    def __str__(self) -> str:
        return f"First contact with person {self.person_id} due {self.due_at:%Y-%m-%d %H:%M}"


class CrossReportRule(models.Model):
    """An allegation type the agency must cross-report to law enforcement, and within how many hours."""

    maltreatment_type = models.CharField(max_length=30, unique=True)
    within_hours = models.PositiveIntegerField(default=24)

    class Meta:
        ordering = ["maltreatment_type"]

    def __str__(self) -> str:
        return f"{self.maltreatment_type} within {self.within_hours} h"


class CrossReport(models.Model):
    """The investigation reported to law enforcement: who received it, when, how, and their number."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="cross_reports")
    agency = models.CharField(max_length=200)
    reported_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=CrossReportMethod.choices)
    officer_name = models.CharField("receiving officer", max_length=200)
    officer_report_number = models.CharField("their report number", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reported_at", "id"]

    def audit_label(self) -> str:
        return f"Cross-report {str(self.public_id)[:8].upper()}"

    def __str__(self) -> str:
        return f"Cross-report to {self.agency} on {self.reported_at:%Y-%m-%d}"


class SafetyThreat(models.Model):
    """One safety threat of the safety assessment's list (kept by administrators; a default set is loaded)."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class SafetyAssessment(models.Model):
    """A safety assessment: threats present or not, protective capacities, and a decision that agrees.

    A later one supersedes an earlier one (`superseded_at`); both stay readable.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="safety_assessments")
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    protective_capacities = models.TextField(help_text="The household's protective capacities.")
    decision = models.CharField(max_length=30, choices=SafetyDecision.choices)
    protective_action = models.CharField(max_length=20, choices=ProtectiveAction.choices, blank=True)
    protective_action_note = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def audit_label(self) -> str:
        return f"Safety assessment {str(self.public_id)[:8].upper()}"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.assessed_at:%Y-%m-%d}"


class SafetyAssessmentThreat(models.Model):
    assessment = models.ForeignKey(SafetyAssessment, on_delete=models.PROTECT, related_name="threats")
    threat = models.ForeignKey(SafetyThreat, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["threat__order", "threat_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "threat"], name="one_answer_per_threat")]

    def __str__(self) -> str:
        return f"{self.threat_id}: {'present' if self.present else 'not present'}"


class SafetyPlan(models.Model):
    """Short-term actions by the family and its network that control a threat; monitored, ended with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="safety_plans")
    assessment = models.ForeignKey(
        SafetyAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="safety_plans"
    )
    status = models.CharField(max_length=20, choices=SafetyPlanStatus.choices, default=SafetyPlanStatus.ACTIVE)
    starts_on = models.DateField()
    review_on = models.DateField()
    backup_plan = models.TextField(blank=True)
    monitoring = models.TextField(blank=True, help_text="How the worker monitors the plan.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def audit_label(self) -> str:
        return f"Safety plan {str(self.public_id)[:8].upper()}"

    def __str__(self) -> str:
        return f"Safety plan from {self.starts_on:%Y-%m-%d} ({self.get_status_display().lower()})"


class SafetyPlanAction(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField()
    responsible = models.CharField(max_length=20, choices=Responsible.choices)
    responsible_person = models.ForeignKey(
        "families.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_name = models.CharField(max_length=200, blank=True, help_text="Kin or the agency's worker by name.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.action[:60]


class SafetyPlanReview(models.Model):
    """A monitoring check of a safety plan: when, by whom, what was found."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"Reviewed on {self.reviewed_at:%Y-%m-%d}"


class RiskItem(models.Model):
    """One question of the risk assessment (kept by administrators; a default set is loaded)."""

    code = models.SlugField(max_length=60, unique=True)
    question = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.question


class RiskAnswer(models.Model):
    """One answer to a risk item and the score it adds."""

    item = models.ForeignKey(RiskItem, on_delete=models.PROTECT, related_name="answers")
    label = models.CharField(max_length=200)
    score = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.score})"


class RiskAssessment(models.Model):
    """A scored risk assessment: the total maps to a level; an override moves it one level, with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="risk_assessments")
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    total_score = models.PositiveIntegerField()
    scored_level = models.CharField(max_length=20, choices=RiskLevel.choices)
    override = models.CharField(max_length=20, choices=RiskOverride.choices, blank=True, default=RiskOverride.NONE)
    override_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    override_reason = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    @property
    def final_level(self) -> str:
        return self.override_level or self.scored_level

    def get_final_level_display(self) -> str:
        return RiskLevel(self.final_level).label

    def audit_label(self) -> str:
        return f"Risk assessment {str(self.public_id)[:8].upper()}"

    def __str__(self) -> str:
        return f"{self.get_final_level_display()} risk on {self.assessed_at:%Y-%m-%d}"


class RiskAssessmentAnswer(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(RiskItem, on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(RiskAnswer, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_risk_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"


class AllegationFinding(models.Model):
    """An allegation's finding in the investigation, with its date and rationale."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="findings")
    allegation = models.OneToOneField("cases.Allegation", on_delete=models.PROTECT, related_name="finding")
    finding = models.CharField(max_length=30, choices=Finding.choices)
    found_on = models.DateField()
    rationale = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_finding_display()


class DeadlineFlag(models.Model):
    """A breached deadline the deadline job flagged: notified once, resolved when met.

    At most one unresolved flag per investigation, kind and child (`person`, first contact only).
    """

    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="deadline_flags", db_constraint=False
    )
    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    person = models.ForeignKey(
        "families.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    due_at = models.DateTimeField()
    flagged_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "kind", "person"],
                condition=Q(resolved_at__isnull=True),
                nulls_distinct=False,
                name="one_open_flag_per_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_at:%Y-%m-%d %H:%M}"
