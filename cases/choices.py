from django.conf import settings
from django.db import models
from django.utils.functional import lazy

from records.choices import ContactLocation, ContactType  # noqa: F401 - the contact vocabulary, under the cases name too


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_DECISION = "awaiting_decision", "Awaiting screening decision"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting supervisor approval"
    RETURNED = "returned", "Returned by supervisor"
    SCREENED_IN = "screened_in", "Screened in"
    SCREENED_OUT = "screened_out", "Screened out"


OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.AWAITING_DECISION, ReportStatus.RETURNED)
FINAL_STATUSES = (ReportStatus.SCREENED_IN, ReportStatus.SCREENED_OUT)


class ReceivedMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    EMAIL = "email", "E-mail"
    FAX = "fax", "Fax"
    MAIL = "mail", "Mail"
    WEB = "web", "Web form"


class ReportSource(models.TextChoices):
    """NCANDS report source."""

    SOCIAL_SERVICES = "social_services", "Social services"
    MEDICAL = "medical", "Medical"
    MENTAL_HEALTH = "mental_health", "Mental health"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    EDUCATION = "education", "Education"
    DAY_CARE = "day_care", "Day care"
    SUBSTITUTE_CARE = "substitute_care", "Substitute care provider"
    ALLEGED_VICTIM = "alleged_victim", "Alleged victim"
    PARENT = "parent", "Parent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    FRIEND_NEIGHBOR = "friend_neighbor", "Friend or neighbor"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    ANONYMOUS = "anonymous", "Anonymous"
    OTHER = "other", "Other"


class SafetyAlert(models.TextChoices):
    FIREARMS = "firearms", "Firearms in the home"
    DANGEROUS_ANIMAL = "dangerous_animal", "Dangerous animal"
    HOSTILE_CLIENT = "hostile_client", "Hostile or violent person"
    REMOTE_LOCATION = "remote_location", "Remote location"
    DRUG_ACTIVITY = "drug_activity", "Drug activity"
    COMMUNICABLE_DISEASE = "communicable_disease", "Communicable disease"
    OTHER = "other", "Other (see notes)"


class ParticipantRole(models.TextChoices):
    ALLEGED_VICTIM = "alleged_victim", "Alleged victim"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    PARENT_CAREGIVER = "parent_caregiver", "Parent or caregiver"
    HOUSEHOLD_MEMBER = "household_member", "Other household member"
    REPORTER = "reporter", "Reporter"
    COLLATERAL = "collateral", "Collateral contact"


class MaltreatmentType(models.TextChoices):
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    NEGLECT = "neglect", "Neglect"
    MEDICAL_NEGLECT = "medical_neglect", "Medical neglect"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional or psychological maltreatment"
    SEX_TRAFFICKING = "sex_trafficking", "Sex trafficking"
    OTHER = "other", "Other"


class Decision(models.TextChoices):
    NONE = "", "Not decided"
    SCREEN_IN = "screen_in", "Screen in"
    SCREEN_OUT = "screen_out", "Screen out"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def response_priority_label(priority: str) -> str:
    """A response priority as staff read it, with the deadline settings.KINDRED_RESPONSE_HOURS gives it:
    "Immediate (24 hours)", then "Within 3 days" (or "Within 36 hours" for a deadline of part days)."""
    hours = settings.KINDRED_RESPONSE_HOURS[priority]
    if priority == "immediate":
        return f"Immediate ({_count(hours, 'hour')})"
    return f"Within {_count(hours, 'hour') if hours % 24 else _count(hours // 24, 'day')}"


# Rendered when shown, so the labels follow the settings (the codes stay as they are stored).
_priority_label = lazy(response_priority_label, str)


class ResponsePriority(models.TextChoices):
    """Ordered from most to least urgent; hours per priority are in settings.KINDRED_RESPONSE_HOURS."""

    IMMEDIATE = "immediate", _priority_label("immediate")
    THREE_DAYS = "3_days", _priority_label("3_days")
    FIVE_DAYS = "5_days", _priority_label("5_days")
    TEN_DAYS = "10_days", _priority_label("10_days")


def response_priorities() -> list[tuple[str, str]]:
    """The response priorities for a model field's choices: a callable, which migrations name rather than
    copy, so labels that follow the settings never read as a model change."""
    return ResponsePriority.choices


PRIORITY_ORDER = [
    ResponsePriority.IMMEDIATE,
    ResponsePriority.THREE_DAYS,
    ResponsePriority.FIVE_DAYS,
    ResponsePriority.TEN_DAYS,
]


class ScreenOutReason(models.TextChoices):
    NO_MALTREATMENT = "no_maltreatment", "No allegation of maltreatment"
    INSUFFICIENT_INFORMATION = "insufficient_information", "Insufficient information"
    COMMUNITY_SERVICES = "community_services", "Referred to community services"
    DUPLICATE = "duplicate", "Duplicate report"
    OTHER = "other", "Other"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSURE_REQUESTED = "closure_requested", "Closure awaiting approval"
    CLOSED = "closed", "Closed"


class CaseOpenedFor(models.TextChoices):
    COURT_ORDERED = "court_ordered", "Court-ordered services"
    VOLUNTARY = "voluntary", "Voluntary services"
    TRANSFER = "transfer", "Transfer from another agency"
    INVESTIGATION = "investigation", "Outcome of an investigation"


class ClosureReason(models.TextChoices):
    REUNIFIED = "reunified", "Reunified"
    NO_FURTHER_SERVICES = "no_further_services", "No further services needed"
    ADOPTION = "adoption", "Adoption"
    GUARDIANSHIP = "guardianship", "Guardianship"
    TRANSFERRED = "transferred", "Transferred"
    MOVED_AWAY = "moved_away", "Family moved away"
    TURNED_18 = "turned_18", "Child turned 18"
    OTHER = "other", "Other"


class MemberRole(models.TextChoices):
    CHILD = "child", "Child"
    PARENT = "parent", "Parent"
    CAREGIVER = "caregiver", "Caregiver"
    OTHER = "other", "Other household member"


# Roles who must be seen face to face every visit interval unless excused.
MUST_BE_SEEN_ROLES = (MemberRole.CHILD, MemberRole.PARENT, MemberRole.CAREGIVER)


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", "Primary worker"
    SECONDARY = "secondary", "Secondary worker"


class VisitStatus(models.TextChoices):
    VISITED = "visited", "Visited"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    EXCUSED = "excused", "Excused"


class AlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
