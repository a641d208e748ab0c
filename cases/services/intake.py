"""Intake: a report from first entry to submission, its people and allegations, and amendments once final.

The screening decision and its approval are in `screening.py`. Every status change is one service
making a move of `IntakeReport.workflow` through `records.workflow`: it locks the report, checks
the move is allowed, validates, saves, writes a transition row and an audit entry, in one transaction.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.audit import diff, latest_change, log_action
from accounts.models import Unit, User
from accounts.roles import Clearance
from cases.choices import (
    OPEN_STATUSES,
    MaltreatmentType,
    ParticipantRole,
    SafetyAlert,
)
from cases.models import Allegation, IntakeReport, ReportAmendment, ReportParticipant
from common.input import past_date_problem
from common.versions import check_version
from families.models import Person
from families.services import people_restriction_refresh, person_create
from records.amendments import amendment_check, amendment_write
from records.workflow import transition

__all__ = [
    "AMENDABLE_FIELDS",
    "DRAFT_FIELDS",
    "REPORTER_FIELDS",
    "REPORT_TEXT_LIMITS",
    "allegation_add",
    "allegation_withdraw",
    "report_add_new_person",
    "report_add_person",
    "report_amend",
    "report_lock",
    "report_require_change",
    "report_validate_complete",
    "report_validate_values",
    "report_create",
    "report_remove_person",
    "report_submit",
    "report_update",
    "response_due",
]

# Fields an intake screener fills in while the report is open (a draft, awaiting decision, or returned).
DRAFT_FIELDS = [
    "received_at",
    "method",
    "report_source",
    "incident_date",
    "incident_address",
    "children_location",
    "narrative",
    "safety_alerts",
    "safety_notes",
    "access_restriction",
    "restriction_reason",
    "reporter_name",
    "reporter_relationship",
    "reporter_phone",
    "reporter_email",
    "reporter_mandated",
    "reporter_wants_feedback",
    "reporter_anonymous",
]
# Who reported, and what they are to the family: the source ("parent", "alleged victim") names the reporter too.
REPORTER_FIELDS = ["report_source", *(field for field in DRAFT_FIELDS if field.startswith("reporter_"))]
# The report's free texts are unbounded in the database; these bound them for the pages, the API and amendments.
REPORT_TEXT_LIMITS = {
    "incident_address": 1000,
    "children_location": 1000,
    "narrative": 20_000,
    "safety_notes": 5000,
    "restriction_reason": 2000,
}
# What changes a report's fields, so what a refused stale edit names as the other person's change.
FIELD_CHANGES = ["cases.intakereport.updated", "cases.intakereport.amended"]
# After the decision is final these change only through an audited amendment.
AMENDABLE_FIELDS = [field for field in DRAFT_FIELDS if field not in ("access_restriction", "received_at")]


def response_due(received_at: datetime, priority: str) -> datetime:
    return received_at + timedelta(hours=settings.KINDRED_RESPONSE_HOURS[priority])


def report_lock(report: IntakeReport) -> IntakeReport:
    return IntakeReport.objects.select_for_update(of=("self",)).get(pk=report.pk)


def report_require_change(actor: User, report: IntakeReport) -> None:
    if not access.can_change(actor, report):
        raise PermissionDenied


def report_validate_values(report: IntakeReport) -> None:
    """Rules that hold for any saved value, draft or not."""
    errors = {
        field: f"At most {limit} characters."
        for field, limit in REPORT_TEXT_LIMITS.items()
        if len(getattr(report, field) or "") > limit
    }
    now = timezone.now()
    if report.received_at and report.received_at > now + timedelta(minutes=1):
        errors["received_at"] = "The report cannot have been received in the future."
    if report.incident_date and report.received_at and report.incident_date > timezone.localdate(report.received_at):
        errors["incident_date"] = "The incident cannot be after the report was received."
    elif incident_problem := past_date_problem(report.incident_date, what="The incident date"):
        errors["incident_date"] = incident_problem
    elif report.pk and report.incident_date:
        born_later = report.participants.filter(
            role=ParticipantRole.ALLEGED_VICTIM, person__birth_date__gt=report.incident_date
        ).exists()
        if born_later:
            errors["incident_date"] = "The incident date is before the birth of an alleged victim on the report."
    if report.access_restriction != Clearance.NONE and not report.restriction_reason.strip():
        errors["restriction_reason"] = "Say why access to this report is restricted."
    unknown_alerts = [alert for alert in report.safety_alerts if alert not in SafetyAlert.values]
    if unknown_alerts:
        errors["safety_alerts"] = f"Unknown safety alert: {', '.join(unknown_alerts)}."
    if errors:
        raise ValidationError(errors)


def _validate_restriction_by(actor: User, report: IntakeReport) -> None:
    """Nobody restricts a report beyond their own clearance: they would lock themselves out of it."""
    if not access.holds_clearance(actor, report.access_restriction):
        raise ValidationError(
            {"access_restriction": "You do not hold this clearance; ask a colleague or supervisor who does."}
        )


def report_validate_complete(report: IntakeReport) -> None:
    """What a report needs before anyone decides on it."""
    missing = {
        field: "This is needed before a decision."
        for field in ("received_at", "method", "report_source", "narrative")
        if not getattr(report, field)
    }
    if missing:
        raise ValidationError(missing)


def _intake_unit(actor: User) -> Unit:
    """The unit a new report goes to, whose supervisor sees and assigns it: the screener's own unit, or,
    for a screener who belongs to none, the agency's intake unit (settings.KINDRED_INTAKE_UNIT)."""
    if actor.unit_id is not None:
        return actor.unit
    name = settings.KINDRED_INTAKE_UNIT
    if not name:
        raise ValidationError(
            {
                "unit": "You belong to no unit and no intake unit is set, so no supervisor would receive this "
                "report. Ask an administrator to put you in a unit or to set the intake unit (INTAKE_UNIT)."
            }
        )
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        raise ValidationError(
            {
                "unit": f"The intake unit '{name}' (INTAKE_UNIT) does not exist, so no supervisor would receive "
                "this report. Ask an administrator to correct the setting or to put you in a unit."
            }
        )
    return unit


@transaction.atomic
def report_create(*, actor: User, **fields) -> IntakeReport:
    """Start a draft report, routed to its intake unit (`_intake_unit`); refused when no unit would receive it."""
    access.require_capability(actor, "take_reports")
    report = IntakeReport(created_by=actor, unit=_intake_unit(actor))
    _assign(report, fields)
    report.full_clean(exclude=["created_by", "unit"])
    report_validate_values(report)
    _validate_restriction_by(actor, report)
    report.save()
    log_action(actor=actor, action="cases.intakereport.created", target=report)
    return report


def _assign(report: IntakeReport, fields: dict) -> None:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not a report field: {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        setattr(report, field, value)


def _snapshot(report: IntakeReport, fields) -> dict:
    def plain(value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {field: plain(getattr(report, field)) for field in fields}


def _audit_changes(report: IntakeReport, before: dict, after: dict) -> dict:
    """Reporter fields are confidential: the audit log records that they changed, not their values."""
    changes = diff(before, after)
    for field in REPORTER_FIELDS:
        if field in changes:
            changes[field] = "changed"
    for field in ("narrative", "incident_address", "children_location", "safety_notes"):
        if field in changes:
            changes[field] = "changed"
    return changes


@transaction.atomic
def report_update(*, actor: User, report: IntakeReport, expected_version: int | None = None, **fields) -> IntakeReport:
    """Save what the screener typed. Only while the report is open; afterwards, amend it.

    `expected_version` is the version the screener's page (or API client) read: when someone else saved
    the report since, nothing is saved and the error says who changed what (`common.versions`).
    """
    report = report_lock(report)
    report_require_change(actor, report)
    check_version(
        record=report, expected=expected_version, noun="this report", last_change=latest_change(report, FIELD_CHANGES)
    )
    if report.status not in OPEN_STATUSES:
        raise ValidationError("The decision on this report is final or awaiting approval; record an amendment.")
    if set(fields) & set(REPORTER_FIELDS) and not access.can_see_reporter(actor, report):
        raise PermissionDenied
    before = _snapshot(report, fields)
    _assign(report, fields)
    report.updated_at = timezone.now()
    report.version += 1
    report.full_clean(exclude=["created_by", "unit"])
    report_validate_values(report)
    if report.access_restriction != before.get("access_restriction", report.access_restriction):
        _validate_restriction_by(actor, report)
    report.save(update_fields=[*fields, "updated_at", "version"])
    if "access_restriction" in fields:
        # The people on the report carry its restriction from now on (or no longer, when it was lowered).
        people_restriction_refresh(person_ids=report.participants.values_list("person", flat=True))
    changes = _audit_changes(report, before, _snapshot(report, fields))
    if changes:
        log_action(actor=actor, action="cases.intakereport.updated", target=report, changes=changes)
    return report


def _require_open(report: IntakeReport) -> None:
    if report.status not in OPEN_STATUSES:
        raise ValidationError("People and allegations change only while the report is open.")


def _require_role(role: str) -> None:
    if role not in ParticipantRole.values:
        raise ValidationError({"role": "Choose the person's role on the report."})


def _add_participant(actor: User, report: IntakeReport, person: Person, role: str) -> ReportParticipant:
    victim_born_later = (
        role == ParticipantRole.ALLEGED_VICTIM
        and report.incident_date
        and person.birth_date
        and person.birth_date > report.incident_date
    )
    if victim_born_later:
        raise ValidationError(
            f"{person.full_name} was born after the report's incident date: an alleged victim must have been "
            "born by then. Correct the incident date or the date of birth."
        )
    participant, created = ReportParticipant.objects.get_or_create(report=report, person=person, role=role)
    if created:
        people_restriction_refresh(person_ids=[person.pk])
        log_action(
            actor=actor,
            action="cases.intakereport.person_added",
            target=report,
            # Never the role: the log must not link a person to the report's reporter.
            changes={"person": person.audit_label()},
        )
    return participant


@transaction.atomic
def report_add_person(*, actor: User, report: IntakeReport, person: Person, role: str) -> ReportParticipant:
    """Put an existing person on the report in a role (searching first keeps people from being duplicated)."""
    report = report_lock(report)
    report_require_change(actor, report)
    _require_open(report)
    _require_role(role)
    if not access.can_view(actor, person):
        raise PermissionDenied
    return _add_participant(actor, report, person, role)


@transaction.atomic
def report_add_new_person(
    *, actor: User, report: IntakeReport, role: str, confirmed_not_duplicate: bool = False, **person_fields
) -> ReportParticipant:
    """Record a new person and put them on the report, together or not at all.

    The people service refuses a likely duplicate unless `confirmed_not_duplicate`; its error
    then names the possible matches, so the screener can add the existing person instead.
    """
    report = report_lock(report)
    report_require_change(actor, report)
    _require_open(report)
    _require_role(role)
    person = person_create(actor=actor, confirmed_not_duplicate=confirmed_not_duplicate, **person_fields)
    return _add_participant(actor, report, person, role)


@transaction.atomic
def report_remove_person(*, actor: User, report: IntakeReport, participant: ReportParticipant) -> None:
    report = report_lock(report)
    report_require_change(actor, report)
    _require_open(report)
    if participant.report_id != report.pk:
        raise ValidationError("This person is not on this report.")
    in_allegations = report.allegations.filter(withdrawn_at__isnull=True).filter(
        **{"victim" if participant.role == ParticipantRole.ALLEGED_VICTIM else "perpetrator": participant.person}
    )
    if participant.role in (ParticipantRole.ALLEGED_VICTIM, ParticipantRole.ALLEGED_PERPETRATOR) and (
        in_allegations.exists()
    ):
        raise ValidationError("Withdraw this person's allegations first.")
    participant.delete()
    people_restriction_refresh(person_ids=[participant.person_id])
    log_action(
        actor=actor,
        action="cases.intakereport.person_removed",
        target=report,
        changes={"person": participant.person.audit_label()},
    )


@transaction.atomic
def allegation_add(
    *, actor: User, report: IntakeReport, victim: Person, perpetrator: Person | None, maltreatment_type: str
) -> Allegation:
    """Record (victim, perpetrator or unknown, type); both people join the report in their roles."""
    report = report_lock(report)
    report_require_change(actor, report)
    _require_open(report)
    if maltreatment_type not in MaltreatmentType.values:
        raise ValidationError({"maltreatment_type": "Choose the type of maltreatment."})
    if perpetrator is not None and perpetrator.pk == victim.pk:
        raise ValidationError({"perpetrator": "The alleged perpetrator cannot be the alleged victim."})
    for person in filter(None, (victim, perpetrator)):
        if not access.can_view(actor, person):
            raise PermissionDenied
    duplicate = report.allegations.filter(
        victim=victim, perpetrator=perpetrator, maltreatment_type=maltreatment_type, withdrawn_at__isnull=True
    )
    if duplicate.exists():
        raise ValidationError("This allegation is already on the report.")
    ReportParticipant.objects.get_or_create(report=report, person=victim, role=ParticipantRole.ALLEGED_VICTIM)
    if perpetrator is not None:
        ReportParticipant.objects.get_or_create(
            report=report, person=perpetrator, role=ParticipantRole.ALLEGED_PERPETRATOR
        )
    allegation = Allegation.objects.create(
        report=report, victim=victim, perpetrator=perpetrator, maltreatment_type=maltreatment_type
    )
    people_restriction_refresh(person_ids=[person.pk for person in (victim, perpetrator) if person is not None])
    log_action(
        actor=actor,
        action="cases.intakereport.allegation_added",
        target=report,
        changes={
            "victim": victim.audit_label(),
            "perpetrator": perpetrator.audit_label() if perpetrator else "unknown",
            "type": allegation.get_maltreatment_type_display(),
        },
    )
    return allegation


@transaction.atomic
def allegation_withdraw(*, actor: User, allegation: Allegation, reason: str) -> Allegation:
    """Take an allegation back while the report is open; it stays on the report, struck through, with the reason."""
    report = report_lock(allegation.report)
    report_require_change(actor, report)
    _require_open(report)
    allegation = Allegation.objects.select_for_update().select_related("victim").get(pk=allegation.pk)
    if allegation.withdrawn_at is not None:
        raise ValidationError("This allegation was already withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the allegation is withdrawn."})
    allegation.withdrawn_at, allegation.withdrawal_reason = timezone.now(), reason
    allegation.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    log_action(
        actor=actor,
        action="cases.intakereport.allegation_withdrawn",
        target=report,
        reason=reason,
        changes={"type": allegation.get_maltreatment_type_display(), "victim": allegation.victim.audit_label()},
    )
    return allegation


@transaction.atomic
def report_submit(*, actor: User, report: IntakeReport) -> IntakeReport:
    """Entry is complete: the report waits for a screening decision."""
    report = report_lock(report)
    report_require_change(actor, report)
    report_validate_complete(report)
    transition(report, "submit", actor=actor)
    return report


@transaction.atomic
def report_amend(*, actor: User, report: IntakeReport, field: str, value, reason: str) -> ReportAmendment:
    """Correct a final report: the old value stays on record with who changed it and why.

    Reporter fields are amended only by those who may see the reporter. The audit entry names
    the field, never the values: the amendment row keeps them, shown under the same rule.
    """
    report = report_lock(report)
    report_require_change(actor, report)
    if report.status in OPEN_STATUSES:
        raise ValidationError("The report is still open; edit it directly.")
    if not report.is_final:
        raise ValidationError("The decision awaits the supervisor; they can return the report for changes.")
    amendment_check(noun="the report", verb="amended", field=field, amendable=AMENDABLE_FIELDS, reason=reason)
    if field in REPORTER_FIELDS and not access.can_see_reporter(actor, report):
        raise PermissionDenied
    value = _amended_value(field, value)
    old = getattr(report, field)
    amendment = amendment_write(
        amendments=report.amendments, noun="the report", field=field, old=old, new=value, reason=reason, actor=actor
    )
    setattr(report, field, value)
    report.updated_at = timezone.now()
    report.version += 1
    try:
        report.full_clean(exclude=["created_by", "unit"])
        report_validate_values(report)
    except ValidationError as error:
        raise ValidationError(_errors_on_value(error, field)) from None
    report.save(update_fields=[field, "updated_at", "version"])
    log_action(actor=actor, action="cases.intakereport.amended", target=report, reason=reason, changes={"field": field})
    return amendment


TRUE_WORDS, FALSE_WORDS = {"yes", "true", "1", "on"}, {"no", "false", "0", "off"}


def _amended_value(field: str, value):
    """The value as the report stores it, from what a form or API client sent (text, bool, list)."""
    model_field = IntakeReport._meta.get_field(field)
    if field == "safety_alerts":
        if isinstance(value, str):
            value = [code.strip() for code in value.split(",") if code.strip()]
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise ValidationError({"value": "Give the safety alert codes, separated by commas."})
        return value
    if model_field.get_internal_type() == "BooleanField":
        word = str(value).strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ValidationError({"value": "Answer yes or no."})
        return word in TRUE_WORDS
    if value in (None, ""):
        return None if model_field.null else ""
    try:
        return model_field.to_python(value if isinstance(value, str) else str(value))
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None


def _errors_on_value(error: ValidationError, field: str) -> dict:
    """The amended field's errors belong to the form's `value`; others keep their names."""
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {("value" if name == field else name): messages for name, messages in errors.items()}
