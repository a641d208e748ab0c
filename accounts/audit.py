"""The audit log: who did what to which record, when, from where; and who was shown which record.

`log_action` is called by services inside their transaction, so a change that
rolls back leaves no audit row, and a change never lands without one.

Reads are logged too: one record shown (`record_view`, which `access.get_for_view` and
`access.get_for_change` call) or a list of them (`log_list_read`: ONE row per request naming every
record shown). `who_was_shown` answers "who viewed this record" from both.

The log holds no case content: an entry about a case record keeps which fields changed, never their
values (those live in the record's own amendment history, which follows the record's access rules),
and that a reason was given, never its text (`content_free`). Staff administration events (sign-ins,
roles, clearances, units, grants, holidays) keep their details: they are what administrators read.
"""

import contextvars
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q

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


# Events about these targets are staff administration, not case records: administrators read them, and
# they keep their details. Grants are staff administration too, though they name the record granted.
STAFF_TARGET_TYPES = frozenset(
    {"accounts.user", "accounts.unit", "accounts.staffchangerequest", "accounts.auditevent", "records.holiday"}
)
STAFF_ACTION_PREFIXES = ("accounts.grant.",)

# What an entry about a case record keeps as given: record ids and labels, counts, field names and the
# grant's terms. Any other key is kept by name only (under "fields"), its value dropped.
CONTENT_FREE_KEYS = frozenset(
    {
        "ids",
        "count",
        "field",
        "fields",
        "reason_given",
        "person",
        "household",
        "contact",
        "merged_record",
        "links_moved",
        "members",
        "trigger",
        "grantee",
        "permission",
        "expires_at",
    }
)


def staff_events() -> Q:
    """The staff administration events, as a filter over audit events: what administrators read."""
    found = Q(target_type__in=STAFF_TARGET_TYPES)
    for prefix in STAFF_ACTION_PREFIXES:
        found |= Q(action__startswith=prefix)
    return found


def content_free(changes: dict, reason: str) -> dict:
    """What an entry about a case record may hold of `changes` and `reason`: the names of the fields, not
    their values; that a reason was given, not its text."""
    kept = {key: value for key, value in changes.items() if key in CONTENT_FREE_KEYS}
    named = sorted({*kept.pop("fields", []), *(key for key in changes if key not in CONTENT_FREE_KEYS)})
    if named:
        kept["fields"] = named
    if reason.strip():
        kept["reason_given"] = True
    return kept


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
    """Write one audit row about `target`. On a case record (grants on it included), `changes` keep their
    field names only and a reason is noted as given, not stored (`content_free`); events about staff keep both."""
    target_type = target_type_of(target)
    changes = changes or {}
    if target_type not in STAFF_TARGET_TYPES:
        changes, reason = content_free(changes, reason), ""
    context = _request_context.get()
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id_of(target),
        target_label=target_label_of(target),
        ip_address=context.ip_address if context else None,
        changes=changes,
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


# The target type of a list showing records of several kinds (My work: cases, members, investigations).
SEVERAL = "records.several"


def log_list_read(actor: User, rows: Iterable, *, context: str) -> AuditEvent:
    """Log that `actor` was shown a list: ONE audit row per request, naming every record shown.

    Every page and API that lists records calls this once with the rows it shows, after paging:
    - DRF list views get it from the default pagination (`accounts.api_support.AuditedPagination`);
    - pages call `log_list_read(request.user, page, context="...")` with the Page (or list) they render.
    `context` says which list it was (the page's name or the API path). A row is a model instance,
    or carries the record it shows as `audit_record`. A row also names the records its model lists
    in `audit_also_names` (a CaseMember row names its person: "who viewed this child" counts it).

    The entry holds `{"ids": {"<app>.<model>": [ids...]}, "count": n}`: ids only, never content.
    """
    model = _model_of(rows)
    rows = list(rows)
    named = _records_named(rows)
    records = [getattr(row, "audit_record", row) for row in rows]
    kinds = {target_type_of(record) for record in records if isinstance(record, models.Model)}
    if len(kinds) == 1:
        target_type = kinds.pop()
    elif kinds:
        target_type = SEVERAL
    else:
        target_type = f"{model._meta.app_label}.{model._meta.model_name}" if model else SEVERAL
    context_now = _request_context.get()
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=f"{target_type}.listed",
        target_type=target_type,
        target_id="",
        target_label=context.replace("\x00", "")[:255],
        ip_address=context_now.ip_address if context_now else None,
        changes={"ids": {kind: list(ids) for kind, ids in named.items()}, "count": len(rows)},
    )


def _model_of(rows) -> type[models.Model] | None:
    """The model a queryset, a Page or a list's paginator lists (an empty list still says what it lists)."""
    paginator = getattr(rows, "paginator", None)
    for source in (rows, getattr(rows, "object_list", None), getattr(paginator, "object_list", None)):
        model = getattr(source, "model", None)
        if model is not None:
            return model
    return None


def _records_named(rows: list) -> dict[str, dict[str, None]]:
    """The records the rows show, as {target type: {id: None}} in the order shown (a dict keeps it, once each).

    Linked records (`audit_also_names`) are read from the row when it holds them (select_related);
    the others are looked up in one query per model, never one per row."""
    named: dict[str, dict[str, None]] = {}
    missing: dict[type[models.Model], set] = {}
    for row in rows:
        record = getattr(row, "audit_record", row)
        if not isinstance(record, models.Model):
            continue
        named.setdefault(target_type_of(record), {})[target_id_of(record)] = None
        for name in getattr(type(record), "audit_also_names", ()):
            link = type(record)._meta.get_field(name)
            if link.is_cached(record):
                linked = getattr(record, name)
                if linked is not None:
                    named.setdefault(target_type_of(linked), {})[target_id_of(linked)] = None
            elif getattr(record, link.attname) is not None:
                missing.setdefault(link.related_model, set()).add(getattr(record, link.attname))
    for model, pks in missing.items():
        key = "public_id" if any(field.name == "public_id" for field in model._meta.fields) else "pk"
        found = named.setdefault(f"{model._meta.app_label}.{model._meta.model_name}", {})
        for value in model._default_manager.filter(pk__in=pks).values_list(key, flat=True):
            found[str(value)] = None
    return named


def who_was_shown(target_type: str, target_id: str) -> Q:
    """Audit events about one record: those targeting it, and the list reads that named it (the GIN index
    on `changes` serves the second)."""
    return Q(target_type=target_type, target_id=target_id) | Q(changes__contains={"ids": {target_type: [target_id]}})


# Events whose sentence does not read "<actor> <verb> <target>".
ACTION_SENTENCES: dict[str, str] = {
    "accounts.user.signed_in": "{actor} signed in",
    "accounts.user.signed_out": "{actor} signed out",
    "accounts.user.locked_out": "Sign-in as {target} was locked after repeated failed attempts",
    "accounts.user.sign_in_failed": "A sign-in as {target} failed",
    "accounts.user.session_outlived": "The session of {target} ended at its maximum length",
    "accounts.user.password_set": "{target} set their own password through a one-time link",
    "accounts.auditevent.scrubbed": "Case content was removed from {target}",
}
# What a list of each kind of record is called, where the model's plural name does not say it.
LIST_NOUNS = {"families.person": ("person", "people"), SEVERAL: ("record", "records")}


def list_noun(target_type: str, count: int) -> str:
    """'people', 'cases', 'audit events': what a list of `count` records of this type shows."""
    noun = LIST_NOUNS.get(target_type)
    if noun is None:
        try:
            meta = apps.get_model(target_type)._meta
        except (LookupError, ValueError):
            noun = ("record", "records")
        else:
            noun = (str(meta.verbose_name), str(meta.verbose_name_plural))
    return noun[0] if count == 1 else noun[1]


def verb_of(action: str) -> str:
    """The action as a verb: its registered one, or its last part in words ("viewed", "changed")."""
    if action in ACTION_VERBS:
        return ACTION_VERBS[action]
    return action.rsplit(".", 1)[-1].replace("_", " ")


# How the audit page's filter names each kind of action, where its code's last word does not say it.
ACTION_WORDS = {"viewed": "viewed a record", "listed": "viewed a list", "updated": "changed"}


def action_choices() -> list[tuple[str, str]]:
    """The audit page's action filter: each verb once ("signed_in" -> "signed in"), whatever the record."""
    verbs = {code.rsplit(".", 1)[-1] for code in [*ACTION_VERBS, *ACTION_SENTENCES]} | {"viewed", "listed"}
    return sorted(((verb, ACTION_WORDS.get(verb, verb.replace("_", " "))) for verb in verbs), key=lambda c: c[1])


def target_type_choices() -> list[tuple[str, str]]:
    """The audit page's record filter: staff records and every kind of case record, by name."""
    found = {label: apps.get_model(label)._meta.verbose_name for label in STAFF_TARGET_TYPES}
    for model in apps.get_models():
        if getattr(model, "access_rules", None) is not None:
            found[f"{model._meta.app_label}.{model._meta.model_name}"] = model._meta.verbose_name
    found[SEVERAL] = "several kinds of record (a list)"
    return sorted(((label, str(name).capitalize()) for label, name in found.items()), key=lambda c: c[1])


def describe(event: AuditEvent) -> str:
    """The event as a sentence for history pages: "Rowan Vale signed in", "Ivo Marsh viewed C-2026-0004",
    "Ivo Marsh viewed a list of 25 people (People search)"."""
    actor = event.actor.display_name if event.actor else "The system"
    target = event.target_label or event.target_id
    if event.action in ACTION_SENTENCES:
        return _finish(ACTION_SENTENCES[event.action].format(actor=actor, target=target), event)
    if event.action.endswith(".listed"):
        count = event.changes.get("count", 0)
        where = f" ({target})" if target else ""
        return f"{actor} viewed a list of {count} {list_noun(event.target_type, count)}{where}."
    return _finish(f"{actor} {verb_of(event.action)} {target}", event)


def _finish(sentence: str, event: AuditEvent) -> str:
    parts = []
    for field, change in event.changes.items():
        if field == "reason_given":
            continue
        if field == "fields":
            parts.append("changed: " + ", ".join(name.replace("_", " ") for name in change))
        elif isinstance(change, dict) and "old" in change:
            parts.append(f"{field.replace('_', ' ')}: {_show(change['old'])} → {_show(change['new'])}")
        else:
            parts.append(f"{field.replace('_', ' ')}: {_show(change)}")
    if parts:
        sentence += " (" + "; ".join(parts) + ")"
    if event.reason:
        sentence += f". Reason: {event.reason}"
    elif event.changes.get("reason_given"):
        sentence += ", giving a reason"
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
    # An amendment names its one field under "field"; an edit on a case record names the fields it changed
    # under "fields"; a staff edit keeps each field's old and new value under its name.
    amended = event.changes.get("field")
    if isinstance(amended, str):
        return who, event.occurred_at, [amended]
    return who, event.occurred_at, sorted(event.changes.get("fields", event.changes))
