"""The audit log: who did what to which record, when, from where.

`log_action` is called by services inside their transaction, so a change that
rolls back leaves no audit row, and a change never lands without one.
"""

import contextvars
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from accounts.models import AuditEvent, User


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None


_request_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "kindred_request_context", default=None
)


def set_request_context(context: RequestContext | None) -> contextvars.Token:
    return _request_context.set(context)


def reset_request_context(token: contextvars.Token) -> None:
    _request_context.reset(token)


# What each action code reads as in a sentence: "<actor> <verb> <target>".
ACTION_VERBS: dict[str, str] = {
    "accounts.user.created": "created the staff account of",
    "accounts.user.updated": "changed the staff account of",
    "accounts.user.deactivated": "deactivated",
    "accounts.user.reactivated": "reactivated",
    "accounts.user.password_reset": "reset the password of",
    "accounts.user.password_changed": "changed the password of",
    "accounts.user.signed_in": "signed in as",
    "accounts.user.signed_out": "signed out as",
    "accounts.user.second_factor_enrolled": "set up a second factor (authenticator app) as",
    "accounts.user.second_factor_removed": "removed the second factor of",
    "accounts.user.change_requested": "asked a second administrator to approve a change to",
    "accounts.user.change_approved": "approved a change to",
    "accounts.user.change_refused": "refused a change to",
    "accounts.unit.created": "created the unit",
    "accounts.unit.updated": "changed the unit",
    "accounts.unit.change_requested": "asked a second administrator to approve a new supervisor of",
    "accounts.unit.change_approved": "approved a new supervisor of",
    "accounts.unit.change_refused": "refused a new supervisor of",
    "accounts.grant.granted": "granted access to",
    "accounts.grant.revoked": "revoked access to",
    "accounts.grant.expired": "removed an expired grant on",
    "families.person.created": "recorded",
    "families.person.updated": "changed",
    "families.person.alias_added": "added another name to",
    "families.person.address_added": "recorded a new address of",
    "families.person.icwa_inquiry": "recorded the ICWA inquiry of",
    "families.person.merged": "merged a duplicate record into",
    "families.person.merged_away": "merged away the duplicate",
    "families.person.household_joined": "added to a household",
    "families.person.household_left": "recorded leaving a household for",
    "families.household.created": "started",
    "families.relationship.created": "recorded a relationship of",
    "cases.intakereport.created": "started",
    "cases.intakereport.updated": "changed",
    "cases.intakereport.person_added": "added a person to",
    "cases.intakereport.person_removed": "removed a person from",
    "cases.intakereport.allegation_added": "added an allegation to",
    "cases.intakereport.allegation_withdrawn": "withdrew an allegation of",
    "cases.intakereport.submitted": "submitted for decision",
    "cases.intakereport.screened_in": "screened in",
    "cases.intakereport.screen_out_proposed": "proposed to screen out",
    "cases.intakereport.screen_out_approved": "approved the screen-out of",
    "cases.intakereport.returned": "returned to intake",
    "cases.intakereport.downgrade_requested": "asked to lower the response priority of",
    "cases.intakereport.downgrade_refused": "refused a lower response priority for",
    "cases.intakereport.priority_changed": "changed the response priority of",
    "cases.intakereport.amended": "amended",
    "cases.intakereport.reporter_viewed": "viewed the reporter's identity on",
    "cases.case.opened": "opened",
    "cases.case.assigned": "changed the workers of",
    "cases.case.member_added": "added a member to",
    "cases.case.member_ended": "ended a membership of",
    "cases.case.member_excused": "excused a member from visits on",
    "cases.case.member_care_recorded": "recorded the out-of-home care of a child on",
    "cases.case.member_visits_required": "required visits again for a member of",
    "cases.case.note_added": "added a note to",
    "cases.case.closure_requested": "asked to close",
    "cases.case.closure_returned": "returned the closure request of",
    "cases.case.closed": "closed",
    "cases.case.reopened": "reopened",
    "cases.case.restriction_changed": "changed the access restriction of",
    "cases.contact.recorded": "recorded a contact on",
    "cases.contact.amended": "corrected a contact on",
    "cases.visit_job.run": "ran the overdue-visit job",
    "investigations.investigation.created": "opened",
    "investigations.investigation.assigned": "assigned",
    "investigations.findings.recorded": "recorded findings on",
    "investigations.findings.submitted": "submitted for approval the findings of",
    "investigations.findings.approved": "approved the findings of",
    "investigations.findings.returned": "returned the findings of",
    "investigations.findings.reopened": "reopened the approved findings of",
    "investigations.closure.requested": "asked to close",
    "investigations.closure.returned": "returned the closure request of",
    "investigations.investigation.closed": "closed",
    "investigations.safety_assessment.recorded": "recorded",
    "investigations.safety_assessment.superseded": "recorded a later assessment superseding",
    "investigations.safety_plan.created": "wrote",
    "investigations.safety_plan.linked": "linked a new safety assessment to",
    "investigations.safety_plan.reviewed": "recorded a monitoring review of",
    "investigations.safety_plan.ended": "ended",
    "investigations.risk_assessment.recorded": "recorded",
    "investigations.risk_assessment.superseded": "recorded a later assessment superseding",
    "investigations.cross_report.recorded": "recorded a cross-report to law enforcement on",
    "investigations.investigation.started": "started the work on",
    "investigations.deadline.excused": "excused a first-contact deadline on",
    "records.holiday.added": "added the agency holiday",
    "records.holiday.removed": "removed the agency holiday",
}


def target_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def target_id_of(obj: models.Model) -> str:
    return str(getattr(obj, "public_id", None) or obj.pk)


def target_label_of(obj: models.Model) -> str:
    """A label safe to show on audit pages: models holding case content override `audit_label`."""
    label = getattr(obj, "audit_label", None)
    return str(label() if callable(label) else (label or obj))[:255]


def log_action(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    context = _request_context.get()
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type_of(target),
        target_id=target_id_of(target),
        target_label=target_label_of(target),
        ip_address=context.ip_address if context else None,
        changes=changes or {},
        reason=reason,
    )


def log_sign_in_failed(*, username: str, user: User | None, second_factor: bool = False) -> AuditEvent:
    """A failed sign-in names the username that was tried (never the password), known or not.

    A known username is logged against its account, so the account's history shows it.
    """
    # PostgreSQL cannot store a NUL character in text or JSON.
    tried = username.replace("\x00", "")[:150]
    context = _request_context.get()
    return AuditEvent.objects.create(
        actor=None,
        action="accounts.user.sign_in_failed",
        target_type="accounts.user",
        target_id=target_id_of(user) if user else "",
        target_label=tried,
        ip_address=context.ip_address if context else None,
        changes={"step": "one-time code"} if second_factor else {},
    )


def record_view(*, user: User, obj: models.Model) -> AuditEvent:
    """Log a read of a case record. Detail views and API retrieves call this for every record they show."""
    return log_action(actor=user, action=f"{target_type_of(obj)}.viewed", target=obj)


# Events whose sentence does not read "<actor> <verb> <target>".
ACTION_SENTENCES: dict[str, str] = {
    "accounts.user.locked_out": "Sign-in as {target} was locked after repeated failed attempts",
    "accounts.user.sign_in_failed": "A sign-in as {target} failed",
    "accounts.user.session_outlived": "The session of {target} ended at its maximum length",
    "accounts.user.password_set": "{target} set their own password through a one-time link",
}


def describe(event: AuditEvent) -> str:
    """The event as a sentence for history pages."""
    actor = event.actor.display_name if event.actor else "The system"
    target = event.target_label or event.target_id
    if event.action in ACTION_SENTENCES:
        return _finish(ACTION_SENTENCES[event.action].format(target=target), event)
    verb = ACTION_VERBS.get(event.action)
    if verb is None and event.action.endswith(".viewed"):
        verb = "viewed"
    verb = verb or event.action
    return _finish(f"{actor} {verb} {target}", event)


def _finish(sentence: str, event: AuditEvent) -> str:
    if event.changes:
        parts = []
        for field, change in event.changes.items():
            if isinstance(change, dict) and "old" in change:
                parts.append(f"{field.replace('_', ' ')}: {_show(change['old'])} → {_show(change['new'])}")
            else:
                parts.append(f"{field.replace('_', ' ')}: {_show(change)}")
        sentence += " (" + "; ".join(parts) + ")"
    if event.reason:
        sentence += f". Reason: {event.reason}"
    return sentence + ("" if sentence.endswith(".") else ".")


def _show(value) -> str:
    if value in (None, "", []):
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """Old/new pairs for the fields that changed."""
    return {key: {"old": before.get(key), "new": after[key]} for key in after if before.get(key) != after[key]}


def latest_change(target: models.Model, actions: list[str]) -> tuple[str, datetime, list[str]] | None:
    """Who last changed `target` by one of `actions`, when, and which fields (names only): for the message
    that refuses an edit made from an older version of it."""
    event = (
        AuditEvent.objects.filter(
            target_type=target_type_of(target), target_id=target_id_of(target), action__in=actions
        )
        .select_related("actor")
        .first()
    )
    if event is None:
        return None
    who = event.actor.display_name if event.actor else "the system"
    # An amendment names its one field under "field"; an edit names each field it changed.
    amended = event.changes.get("field")
    return who, event.occurred_at, [amended] if isinstance(amended, str) else sorted(event.changes)
