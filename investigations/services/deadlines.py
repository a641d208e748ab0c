"""Investigations' deadlines: kept current by the services that meet them, flagged by the deadline job.

Each alleged child victim has a first-contact deadline (ChildContactDeadline); the investigation row
carries the others (safety assessment, cross-report, closure). `contact_deadlines_recompute` derives the
contact-driven ones from the investigation's data, so a recorded or corrected contact can never leave
them stale. The job (`deadline_flags_refresh`) flags breaches set-based and notifies once per flag.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import Notification, User
from accounts.notifications import email_on_commit, notify_about, record_kind
from cases.models import Allegation, IntakeReport
from investigations.choices import DeadlineKind, InvestigationStatus
from investigations.models import (
    ChildContactDeadline,
    CrossReportRule,
    DeadlineFlag,
    Investigation,
    InvestigationContact,
)
from investigations.selectors.deadlines import breached_deadlines, safety_assessments_spanning
from records.calendar import add_working_days, holidays_from
from records.choices import ContactType
from records.workflow import may, transition

__all__ = [
    "child_deadline_excuse",
    "contact_deadlines_recompute",
    "deadline_flags_refresh",
    "deadlines_follow_priority",
    "deadlines_open",
    "first_contact_recorded",
    "safety_assessments_recount",
]


def _url(investigation: Investigation) -> str:
    return reverse("investigation_detail", args=[investigation.public_id])


def _response_hours(report: IntakeReport) -> timedelta:
    return timedelta(hours=settings.KINDRED_RESPONSE_HOURS[report.response_priority])


def _alleged_victim_ids(report: IntakeReport) -> set[int]:
    return set(Allegation.objects.filter(report=report, withdrawn_at__isnull=True).values_list("victim_id", flat=True))


def cross_report_due(report: IntakeReport) -> datetime | None:
    """The report's receipt plus the shortest cross-report window among its allegation types (none: None)."""
    types = Allegation.objects.filter(report=report, withdrawn_at__isnull=True).values("maltreatment_type")
    hours = CrossReportRule.objects.filter(maltreatment_type__in=types).aggregate(hours=Min("within_hours"))["hours"]
    return report.received_at + timedelta(hours=hours) if hours is not None else None


def deadlines_open(*, investigation: Investigation) -> None:
    """A new investigation's deadlines: one first contact per alleged victim (the report's deadline),
    closure and cross-report from the report's receipt. Runs inside `investigation_open`'s transaction."""
    report = investigation.report
    ChildContactDeadline.objects.bulk_create(
        ChildContactDeadline(
            investigation=investigation,
            person_id=person_id,
            due_at=report.first_contact_due_at,
            added_at=report.received_at,
        )
        for person_id in sorted(_alleged_victim_ids(report))
    )
    investigation.closure_due_at = report.received_at + timedelta(days=settings.KINDRED_INVESTIGATION_CLOSURE_DAYS)
    investigation.cross_report_due_at = cross_report_due(report)
    investigation.save(update_fields=["closure_due_at", "cross_report_due_at"])


def deadlines_follow_priority(*, report: IntakeReport) -> None:
    """The report's response priority changed: each unmet first-contact deadline is due that many hours after
    its child came onto the report. Runs inside the priority change's transaction."""
    hours = _response_hours(report)
    unmet = ChildContactDeadline.objects.filter(investigation__report=report, met_at__isnull=True)
    for deadline in unmet:
        deadline.due_at = deadline.added_at + hours
    ChildContactDeadline.objects.bulk_update(unmet, ["due_at"])


def contact_deadlines_recompute(*, actor: User | None, investigation: Investigation) -> None:
    """Derive the contact-driven deadlines from the investigation's data, inside the caller's transaction.

    A child alleged victim without a deadline gets one, due from now plus the priority's hours; each child's
    deadline is met by the earliest face-to-face contact that saw them (a late one stays late); the first
    contact and the safety assessment's working-day deadline follow; the first one starts the work.
    """
    report = investigation.report
    deadlines = {d.person_id: d for d in ChildContactDeadline.objects.filter(investigation=investigation)}
    now = timezone.now()
    missing = _alleged_victim_ids(report) - set(deadlines)
    for person_id in sorted(missing):
        deadlines[person_id] = ChildContactDeadline.objects.create(
            investigation=investigation, person_id=person_id, due_at=now + _response_hours(report), added_at=now
        )
    seen = (
        InvestigationContact.people_seen.through.objects.filter(
            investigationcontact__investigation=investigation,
            investigationcontact__contact_type=ContactType.FACE_TO_FACE,
            person_id__in=deadlines,
        )
        .order_by("investigationcontact__occurred_at", "investigationcontact_id")
        .values_list("person_id", "investigationcontact_id", "investigationcontact__occurred_at")
    )
    first_seen: dict[int, tuple[int, datetime]] = {}
    for person_id, contact_id, occurred_at in seen:
        first_seen.setdefault(person_id, (contact_id, occurred_at))
    changed = []
    for person_id, deadline in deadlines.items():
        contact_id, met_at = first_seen.get(person_id, (None, None))
        if (deadline.met_by_contact_id, deadline.met_at) != (contact_id, met_at):
            deadline.met_by_contact_id, deadline.met_at = contact_id, met_at
            changed.append(deadline)
    ChildContactDeadline.objects.bulk_update(changed, ["met_by_contact", "met_at"])
    first_contact_at = min((met_at for _, met_at in first_seen.values()), default=None)
    investigation.first_contact_at = first_contact_at
    investigation.safety_assessment_due_at = (
        add_working_days(first_contact_at, settings.KINDRED_SAFETY_ASSESSMENT_WORKING_DAYS)
        if first_contact_at
        else None
    )
    fields = ["first_contact_at", "safety_assessment_due_at"]
    if first_contact_at and actor is not None and may(investigation, "start"):
        transition(investigation, "start", actor=actor, comment="First face-to-face contact with a child.", save=fields)
    else:
        investigation.save(update_fields=fields)


def first_contact_recorded(
    *, actor: User, investigation: Investigation, contact: InvestigationContact, people_seen: list
) -> None:
    """A contact was recorded on the investigation (inside its service's transaction): a face-to-face one
    meets the first-contact deadline of each alleged child victim it saw (late stays late) and starts
    the investigation's work (`start`)."""
    if contact.contact_type == ContactType.FACE_TO_FACE and people_seen:
        contact_deadlines_recompute(actor=actor, investigation=investigation)


def safety_assessments_recount(*, day: date) -> int:
    """A holiday was added or removed on `day`: recount, from its first contact, the safety-assessment deadline of
    each open investigation not yet assessed whose window touches that day; an open flag on one follows its new
    due date (the deadline job resolves it on its next run if it is no longer breached, and flags a deadline the
    recount brought into the past). Runs inside the holiday change's transaction, in a fixed number of queries
    whatever the caseload. Returns how many deadlines moved."""
    agency = timezone.get_default_timezone()
    day_start = timezone.make_aware(datetime.combine(day, time.min), agency)
    day_end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), agency)
    affected = list(
        safety_assessments_spanning(day_start, day_end)
        .select_for_update(of=("self",))
        .only("pk", "first_contact_at", "safety_assessment_due_at")
        .order_by("pk")
    )
    if not affected:
        return 0
    earliest = min(timezone.localtime(investigation.first_contact_at, agency).date() for investigation in affected)
    holidays = holidays_from(earliest)
    days = settings.KINDRED_SAFETY_ASSESSMENT_WORKING_DAYS
    moved = []
    for investigation in affected:
        due = add_working_days(investigation.first_contact_at, days, holidays=holidays)
        if due != investigation.safety_assessment_due_at:
            investigation.safety_assessment_due_at = due
            moved.append(investigation)
    Investigation.objects.bulk_update(moved, ["safety_assessment_due_at"])
    DeadlineFlag.objects.filter(
        investigation__in=[investigation.pk for investigation in moved],
        kind=DeadlineKind.SAFETY_ASSESSMENT,
        resolved_at__isnull=True,
    ).update(
        due_at=Subquery(
            Investigation.objects.filter(pk=OuterRef("investigation_id")).values("safety_assessment_due_at")[:1]
        )
    )
    return len(moved)


@transaction.atomic
def child_deadline_excuse(*, actor: User, deadline: ChildContactDeadline, reason: str) -> ChildContactDeadline:
    """The unit's supervisor excuses a child's unmet first-contact deadline, with the reason (e.g. the child
    could not be located after diligent efforts); the excuse shows beside the deadline."""
    deadline = ChildContactDeadline.objects.select_for_update().select_related("person").get(pk=deadline.pk)
    investigation = Investigation.objects.select_related("report", "unit").get(pk=deadline.investigation_id)
    access.require_supervising(actor, investigation)
    if investigation.status == InvestigationStatus.CLOSED:
        raise ValidationError("This investigation is closed: its deadlines no longer change.")
    if deadline.met_at is not None:
        raise ValidationError("This child was already seen: a met deadline is not excused.")
    if deadline.excused_at is not None:
        raise ValidationError("This deadline is already excused.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the deadline is excused (e.g. the diligent efforts made)."})
    deadline.excused_reason, deadline.excused_by, deadline.excused_at = reason, actor, timezone.now()
    deadline.full_clean()
    deadline.save(update_fields=["excused_reason", "excused_by", "excused_at"])
    log_action(
        actor=actor,
        action="investigations.deadline.excused",
        target=investigation,
        reason=reason,
        changes={"child": deadline.person.audit_label(), "kind": DeadlineKind.FIRST_CONTACT.label},
    )
    notify_about(
        record=investigation,
        recipients=[investigation.assigned_worker],
        message=f"A first-contact deadline on {investigation.reference} was excused.",
        link=_url(investigation),
    )
    return deadline


def _union_sql(now: datetime) -> tuple[str, list]:
    parts = [query.query.sql_with_params() for query in breached_deadlines(now)]
    return " UNION ALL ".join(f"({sql})" for sql, _ in parts), [param for _, params in parts for param in params]


def deadline_flags_refresh(*, now: datetime | None = None) -> dict[str, int]:
    """The deadline job: resolve flags no longer breached, flag each breached unmet deadline, notify once per flag.

    Set-based: the same few statements whatever the caseload. Idempotent and safe on two workers at once: a
    flag is inserted with ON CONFLICT DO NOTHING on the one-open-flag-per-deadline index (a second run waits
    for the first's insert and then skips it), and only the run that inserted a flag counts it for the
    notifications (its `notified_at` is set as it is inserted). The worker and the unit's supervisor get one
    digest per run that counts the newly breached deadlines; it names no record.

    Returns the flags opened, the flags resolved, and the staff notified.
    """
    now = now or timezone.now()
    if connection.vendor != "postgresql":
        return _refresh_without_postgresql(now)
    at = DeadlineFlag._meta.get_field("flagged_at").get_db_prep_value(now, connection)
    table = connection.ops.quote_name(DeadlineFlag._meta.db_table)
    investigations = connection.ops.quote_name(Investigation._meta.db_table)
    units = connection.ops.quote_name(Investigation._meta.get_field("unit").related_model._meta.db_table)
    breached, params = _union_sql(now)
    # Only table names and the ORM's own SQL are formatted in; every value is a parameter.
    resolve = (
        f"UPDATE {table} AS flag SET resolved_at = %s WHERE flag.resolved_at IS NULL AND NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM ({breached}) AS breach(investigation_id, kind, person_id, due_at) "
        "WHERE breach.investigation_id = flag.investigation_id AND breach.kind = flag.kind "
        "AND breach.person_id IS NOT DISTINCT FROM flag.person_id)"
    )
    # A flag is notified by the run that inserts it, in the same transaction: ON CONFLICT DO NOTHING makes
    # that exactly one run, and a run that fails takes its flags and its notifications back together.
    flag_and_count = (
        f"WITH flagged AS (INSERT INTO {table} (investigation_id, kind, person_id, due_at, flagged_at, notified_at) "  # noqa: S608
        f"SELECT breach.*, %s, %s FROM ({breached}) AS breach(investigation_id, kind, person_id, due_at) "
        # Those already flagged are skipped by an anti-join, far cheaper than a conflict each; ON CONFLICT
        # still answers a flag another run inserted meanwhile.
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS flag WHERE flag.resolved_at IS NULL "
        "AND flag.investigation_id = breach.investigation_id AND flag.kind = breach.kind "
        "AND flag.person_id IS NOT DISTINCT FROM breach.person_id) "
        "ORDER BY 1, 2, 3 "
        "ON CONFLICT (investigation_id, kind, person_id) WHERE resolved_at IS NULL DO NOTHING "
        "RETURNING investigation_id) "
        "SELECT investigation.assigned_worker_id, unit.supervisor_id, count(*) FROM flagged "
        f"JOIN {investigations} AS investigation ON investigation.id = flagged.investigation_id "
        f"LEFT JOIN {units} AS unit ON unit.id = investigation.unit_id "
        "GROUP BY 1, 2"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(resolve, [at, *params])
        resolved = cursor.rowcount
        cursor.execute(flag_and_count, [at, at, *params])
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        flagged = 0
        for worker_id, supervisor_id, count in cursor.fetchall():
            flagged += count
            if worker_id is not None:
                counts[worker_id]["mine"] += count
            if supervisor_id is not None:
                counts[supervisor_id]["unit"] += count
        notified = _send_digests(counts, now)
    return {"flagged": flagged, "resolved": resolved, "notified": notified}


@transaction.atomic
def _refresh_without_postgresql(now: datetime) -> dict[str, int]:
    """The deadline job on SQLite, the zero-setup database of `make run` (one process runs the jobs there):
    the same flags and digests from the same breached-deadline queries, compared in memory, since SQLite
    has no INSERT in a WITH and no column list on a subquery's alias."""
    breached = {tuple(row[:3]): row[3] for query in breached_deadlines(now) for row in query}
    open_flags = {
        (flag.investigation_id, flag.kind, flag.person_id): flag.pk
        for flag in DeadlineFlag.objects.filter(resolved_at__isnull=True).only("investigation_id", "kind", "person_id")
    }
    gone = [pk for key, pk in open_flags.items() if key not in breached]
    resolved = DeadlineFlag.objects.filter(pk__in=gone).update(resolved_at=now)
    new = [key for key in breached if key not in open_flags]
    DeadlineFlag.objects.bulk_create(
        DeadlineFlag(
            investigation_id=investigation_id,
            kind=kind,
            person_id=person_id,
            due_at=breached[(investigation_id, kind, person_id)],
            flagged_at=now,
            notified_at=now,
        )
        for investigation_id, kind, person_id in new
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    investigations = Investigation.objects.filter(pk__in={key[0] for key in new}).values_list(
        "pk", "assigned_worker_id", "unit__supervisor_id"
    )
    people = {pk: (worker_id, supervisor_id) for pk, worker_id, supervisor_id in investigations}
    for investigation_id, _kind, _person in new:
        worker_id, supervisor_id = people[investigation_id]
        if worker_id is not None:
            counts[worker_id]["mine"] += 1
        if supervisor_id is not None:
            counts[supervisor_id]["unit"] += 1
    return {"flagged": len(new), "resolved": resolved, "notified": _send_digests(counts, now)}


def _send_digests(counts: dict[int, dict[str, int]], now: datetime) -> int:
    """One notification per recipient and run, counting the deadlines newly breached; e-mailed by a task."""
    notes = []
    kind = record_kind(Investigation)
    for user in User.objects.filter(pk__in=counts, is_active=True).only("pk", "email"):
        parts = []
        if counts[user.pk].get("mine"):
            parts.append(f"{counts[user.pk]['mine']} deadlines of your investigations passed unmet")
        if counts[user.pk].get("unit"):
            parts.append(f"{counts[user.pk]['unit']} investigation deadlines in your unit passed unmet")
        link = reverse("investigation_list")
        message = "; ".join(parts) + "."
        notes.append(Notification(recipient=user, message=message, link=link, kind=kind, created_at=now))
    email_on_commit(Notification.objects.bulk_create(notes))
    return len(notes)
