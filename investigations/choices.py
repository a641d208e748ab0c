from django.db import models


class InvestigationStatus(models.TextChoices):
    """awaiting assignment → assigned → in progress (first contact made) → findings submitted →
    findings approved → closure requested → closed, with returns (`Investigation.workflow`)."""

    AWAITING_ASSIGNMENT = "awaiting_assignment", "Awaiting assignment"
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    FINDINGS_SUBMITTED = "findings_submitted", "Findings submitted"
    FINDINGS_APPROVED = "findings_approved", "Findings approved"
    CLOSURE_REQUESTED = "closure_requested", "Closure requested"
    CLOSED = "closed", "Closed"


# Statuses in which an investigation is still worked (its deadlines run).
OPEN_STATUSES = tuple(s for s in InvestigationStatus.values if s != InvestigationStatus.CLOSED)


class ContactPurpose(models.TextChoices):
    INITIAL = "initial", "Initial contact"
    INTERVIEW = "interview", "Interview"
    HOME_ASSESSMENT = "home_assessment", "Home assessment"
    COLLATERAL = "collateral", "Collateral contact"
    FOLLOW_UP = "follow_up", "Follow-up"


class CollateralRole(models.TextChoices):
    TEACHER = "teacher", "Teacher or school staff"
    DOCTOR = "doctor", "Doctor or nurse"
    THERAPIST = "therapist", "Therapist or counsellor"
    POLICE = "police", "Police officer"
    CHILDCARE = "childcare", "Childcare provider"
    NEIGHBOUR = "neighbour", "Neighbour"
    RELATIVE = "relative", "Relative not on the report"
    OTHER = "other", "Other"


class Finding(models.TextChoices):
    """An allegation's finding, most serious first: the investigation's disposition is the first one
    any of its allegations has (`FINDING_ORDER`)."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    INDICATED = "indicated", "Indicated (reason to suspect)"
    UNABLE_TO_DETERMINE = "unable_to_determine", "Unable to determine"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    CLOSED_WITHOUT_FINDING = "closed_without_finding", "Closed without a finding"


FINDING_ORDER = tuple(Finding.values)


class SafetyDecision(models.TextChoices):
    SAFE = "safe", "Safe"
    CONDITIONALLY_SAFE = "conditionally_safe", "Conditionally safe (safety plan)"
    UNSAFE = "unsafe", "Unsafe"


class ProtectiveAction(models.TextChoices):
    """What an unsafe decision records was done."""

    REMOVAL = "removal", "Removal"
    KIN_PLACEMENT = "kin_placement", "Protective placement with kin"


class SafetyPlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Responsible(models.TextChoices):
    """Who carries out a safety plan's action."""

    HOUSEHOLD = "household", "Household member"
    KIN = "kin", "Kin or family friend"
    AGENCY = "agency", "The agency"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


RISK_LEVEL_ORDER = tuple(RiskLevel.values)


class RiskOverride(models.TextChoices):
    NONE = "", "No override"
    POLICY = "policy", "Policy override"
    DISCRETIONARY = "discretionary", "Discretionary override"


class CrossReportMethod(models.TextChoices):
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"
    WRITTEN = "written", "Written"
    ELECTRONIC = "electronic", "Electronic (secure form or e-mail)"


class ClosureOutcome(models.TextChoices):
    NO_SERVICES = "no_services", "Closed, no further services"
    COMMUNITY_REFERRAL = "community_referral", "Closed with a referral to community services"
    CASE_OPENED = "case_opened", "Ongoing case opened (in-home services)"
    COURT_REMOVAL = "court_removal", "Court involvement with removal (case opened)"


# Outcomes that open an ongoing case through the cases service.
OUTCOMES_OPENING_A_CASE = (ClosureOutcome.CASE_OPENED, ClosureOutcome.COURT_REMOVAL)


class DeadlineKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", "First face-to-face contact"
    SAFETY_ASSESSMENT = "safety_assessment", "Safety assessment"
    CROSS_REPORT = "cross_report", "Cross-report to law enforcement"
    CLOSURE = "closure", "Investigation closure"


class DeadlineState(models.TextChoices):
    """How a deadline stands, for pages, lists and the API (computed, never stored)."""

    ON_TRACK = "on_track", "On track"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET_ON_TIME = "met_on_time", "Met on time"
    MET_LATE = "met_late", "Met late"
    EXCUSED = "excused", "Excused"
    NOT_STARTED = "not_started", "Not yet due"  # e.g. the safety assessment before the first contact
