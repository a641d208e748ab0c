"""Contacts and visits, and the overdue-visit job.

Logging a face-to-face visit moves the seen members' due dates and resolves their alerts in
the visit's own transaction, so dashboards change at once, not at the next job run.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, FilteredRelation, Max, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import Notification, User
from accounts.notifications import email_on_commit, notify_about, record_kind
from cases import visit_rule
from cases.choices import AlertKind, AssignmentRole, ContactLocation, ContactType
from cases.models import Case, CaseMember, Contact, ContactAmendment, VisitAlert, VisitJobRun
from records.amendments import amendment_check, amendment_write

__all__ = [
    "CONTACT_AMENDABLE_FIELDS",
    "contact_amend",
    "contact_correct",
    "contact_record",
    "contact_save",
    "contact_validate",
    "members_recompute",
    "visit_job_lock",
    "visit_alerts_refresh",
    "visit_job_last_scheduled",
    "visit_job_missed",
    "visit_job_run",
]

CONTACT_AMENDABLE_FIELDS = [
    "occurred_at",
    "contact_type",
    "location",
    "location_detail",
    "seen_privately",
    "narrative",
    "safety_concerns",
    "next_steps",
]
# Held by the job alone (a second run waits, then finds nothing left to do), and shared by every change
# to members' visit state, which waits for the job (see visit_job_lock).
VISIT_JOB_LOCK = 727_001
VISIT_JOB_LOCK_TIMEOUT = "2min"
VISIT_JOB_WORK_MEM = "64MB"

logger = logging.getLogger(__name__)


def contact_validate(
    contact, *, opened_at: datetime, people: list, eligible_ids: set[int], others_seen: bool = False
) -> None:
    """The rules of a contact on any record: not in the future nor before the record opened, who was seen.

    `others_seen`: someone not on the record was seen (an investigation's collateral contact, a teacher).
    """
    errors = {}
    if contact.occurred_at > timezone.now() + timezone.timedelta(minutes=1):
        errors["occurred_at"] = "A contact cannot be in the future."
    elif contact.occurred_at < opened_at:
        errors["occurred_at"] = "A contact cannot be before the case or investigation was opened."
    if contact.contact_type not in ContactType.values:
        errors["contact_type"] = "Choose the type of contact."
    if contact.location not in ContactLocation.values:
        errors["location"] = "Choose where the contact took place."
    if not contact.narrative.strip():
        errors["narrative"] = "Write what happened."
    if contact.contact_type == ContactType.FACE_TO_FACE and not people and not others_seen:
        errors["people_seen"] = "Say who was seen."
    strangers = [person for person in people if person.pk not in eligible_ids]
    if strangers:
        errors["people_seen"] = "Only people on the case (or the investigation) can be recorded as seen."
    if errors:
        raise ValidationError(errors)


def contact_save(*, actor: User, record, record_url: str, contact, people_seen: list):
    """Save a new contact on any record, validated by the caller's `contact_validate`, with who was seen.

    Runs inside the caller's transaction: audited on the record, the supervisor alerted to safety concerns.
    """
    contact.full_clean(exclude=["recorded_by", "people_seen"])
    contact.save()
    contact.people_seen.set(people_seen)
    log_action(
        actor=actor,
        action="cases.contact.recorded",
        target=record,
        changes={"contact": contact.audit_label(), "type": contact.get_contact_type_display()},
    )
    if contact.safety_concerns.strip():
        _notify_safety_concern(record, record_url, contact)
    return contact


@transaction.atomic
def contact_record(
    *,
    actor: User,
    case: Case,
    people_seen: list,
    **details,
) -> Contact:
    """Record a contact on a case; a face-to-face visit clears the seen members' alerts.

    `details` are the fields every contact has (`records.models.Contact`): occurred_at, contact_type,
    location, narrative, and optionally seen_privately, location_detail, safety_concerns, next_steps.
    """
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not access.can_change(actor, locked):
        raise PermissionDenied
    contact = Contact(case=case, recorded_by=actor, **details)
    on = visit_rule.local_day(contact.occurred_at)
    members = case.members.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)
    eligible = set(members.values_list("person_id", flat=True))
    contact_validate(contact, opened_at=locked.opened_at, people=people_seen, eligible_ids=eligible)
    contact_save(actor=actor, record=case, record_url=_case_url(case), contact=contact, people_seen=people_seen)
    if contact.counts_as_visit:
        members_recompute(case=case, person_ids=[person.pk for person in people_seen])
    return contact


def _case_url(case: Case) -> str:
    return reverse("case_detail", args=[case.public_id])


def _notify_safety_concern(record, record_url: str, contact, key: str = "") -> None:
    supervisor = record.unit.supervisor if record.unit_id else None
    notify_about(
        record=record,
        recipients=[supervisor],
        message=f"{record.reference}: safety concerns were observed at a contact.",
        link=record_url,
        key=key or f"safety:{contact.public_id}",
    )


def members_recompute(*, case: Case, person_ids: list[int] | None = None) -> int:
    """Recompute the rule's state of a case's members from their face-to-face visits, and settle alerts.

    Runs inside the caller's transaction. One query reads the latest visits, one writes each member.
    It waits while the daily job runs (they share its lock), so that an alert the job is opening
    for one of these members is visible here, and resolved, rather than left open until tomorrow.
    """
    visit_job_lock(shared=True)
    members = CaseMember.objects.select_for_update(no_key=True).filter(case=case)
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
    members = list(members)
    visits = Contact.objects.filter(
        case=case, contact_type=ContactType.FACE_TO_FACE, people_seen__in=[member.person_id for member in members]
    )
    latest = dict(visits.values_list("people_seen").annotate(last=Max("occurred_at")).order_by())
    case = Case.objects.get(pk=case.pk)
    for member in members:
        member.last_face_to_face_at = latest.get(member.person_id)
        visit_rule.apply(member, case)
    CaseMember.objects.bulk_update(members, ["last_face_to_face_at", "face_to_face_due", "requires_visit"])
    _resolve_alerts(today=timezone.localdate(), now=timezone.now(), member_ids=[member.pk for member in members])
    return len(members)


def visit_job_lock(*, shared: bool) -> None:
    """The daily job holds this lock alone; every write of members' visit state (a new member, a
    recomputed one) holds it shared, and so waits while the job runs.

    Transaction-scoped: released at commit. PostgreSQL only (SQLite writes one at a time anyway).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not shared:
            # A run stuck behind a forgotten lock fails (and is retried) instead of holding a worker.
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [VISIT_JOB_LOCK_TIMEOUT])
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s)" if shared else "SELECT pg_advisory_xact_lock(%s)",
            [VISIT_JOB_LOCK],
        )


def _resolve_alerts(*, today: date, now: datetime, member_ids: list[int] | None = None) -> int:
    """Close every open alert whose member is no longer in its state (seen, excused, ended, case closed).

    One statement: an open alert stays open only while its member's status, as the rule
    computes it today, is still the alert's kind.
    """
    open_alerts = VisitAlert.objects.filter(resolved_at__isnull=True)
    if member_ids is not None:
        open_alerts = open_alerts.filter(member_id__in=member_ids)
    # The members still due: the same condition the alerts are opened on, which also lets
    # PostgreSQL read them from the partial index member_visit_due_open.
    still = (
        CaseMember.objects.filter(_alerted_q(today), pk=OuterRef("member_id"))
        .annotate(visit_status=visit_rule.status_expression(today))
        .filter(visit_status=OuterRef("kind"))
    )
    return open_alerts.filter(~Exists(still)).update(resolved_at=now)


def contact_correct(
    *,
    actor: User,
    record,
    record_url: str,
    opened_at: datetime,
    contact,
    field: str,
    value,
    reason: str,
    others_seen: bool = False,
):
    """Correct one field of a contact on any record, the caller having checked the actor may change the record.

    Runs inside the caller's transaction. The old value stays in the contact table's amendments; the
    corrected contact must still keep the contact rules. Returns the amendment.
    """
    amendment_check(noun="a contact", verb="corrected", field=field, amendable=CONTACT_AMENDABLE_FIELDS, reason=reason)
    contact = type(contact).objects.select_for_update().get(pk=contact.pk)
    old = getattr(contact, field)
    setattr(contact, field, value)
    people = list(contact.people_seen.all())
    contact_validate(
        contact,
        opened_at=opened_at,
        people=people,
        eligible_ids={person.pk for person in people},
        others_seen=others_seen,
    )
    contact.full_clean(exclude=["recorded_by", "people_seen"])
    amendment = amendment_write(
        amendments=contact.amendments, noun="the contact", field=field, old=old, new=value, reason=reason, actor=actor
    )
    contact.save(update_fields=[field])
    log_action(
        actor=actor,
        action="cases.contact.amended",
        target=record,
        reason=reason,
        changes={"contact": contact.audit_label(), "field": field},
    )
    if field == "safety_concerns" and str(value).strip():
        _notify_safety_concern(record, record_url, contact, key=f"safety:{contact.public_id}:{amendment.pk}")
    return amendment


@transaction.atomic
def contact_amend(*, actor: User, contact: Contact, field: str, value, reason: str) -> ContactAmendment:
    """Correct a recorded contact of a case; the old value stays on record. The visit rule follows the correction."""
    case = contact.case
    if not access.can_change(actor, case):
        raise PermissionDenied
    amendment = contact_correct(
        actor=actor,
        record=case,
        record_url=_case_url(case),
        opened_at=case.opened_at,
        contact=contact,
        field=field,
        value=value,
        reason=reason,
    )
    if field in ("occurred_at", "contact_type"):
        members_recompute(case=case, person_ids=list(contact.people_seen.values_list("pk", flat=True)))
    return amendment


def visit_alerts_refresh(*, today: date | None = None) -> dict[str, int]:
    """The daily job: resolve the alerts of members no longer due, open one for each member due soon
    or overdue, notify once per alert.

    Set-based: the same handful of statements whatever the caseload. It reads the due date
    kept on each member row, so it looks at what is due as of `today`, not at what changed
    since the last run, and a missed day is made up by the next run. Idempotent: an alert
    opens only where none is open for that member and kind (a partial unique index enforces
    it), and only a newly opened alert is notified, in one digest per recipient. It holds the
    visit job's lock alone: a second run waits, then finds nothing left to do, and changes to
    members' visit state wait the few seconds it takes, so none slips in between its statements.

    Returns the alerts opened per kind, the alerts resolved, and the staff notified.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        visit_job_lock(shared=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The counts per recipient sort in memory, not on disk.
                cursor.execute("SELECT set_config('work_mem', %s, true)", [VISIT_JOB_WORK_MEM])
        resolved = _resolve_alerts(today=today, now=now)
        # Counted before they are opened: with the lock held no member's state can change in
        # between, and the members' own rows answer faster than the new alerts joined back to them.
        due = _members_due_an_alert(today)
        opened, recipients = _count_due(due)
        _open_alerts(due, now)
        notified = _send_digests(recipients, now)
    return {
        "opened_overdue": opened[AlertKind.OVERDUE],
        "opened_due_soon": opened[AlertKind.DUE_SOON],
        "resolved": resolved,
        "notified": notified,
    }


_ALERT_KIND = "alert_kind"
# Counted per recipient as well: the overdue members of the units a supervisor leads.
_UNIT_OVERDUE = "unit_overdue"


def _alerted_q(today: date) -> Q:
    return visit_rule.overdue_q(today) | visit_rule.due_soon_q(today)


def _alert_kind(today: date) -> SqlCase:
    """Which alert a member in `_alerted_q` is due: overdue, or else due soon."""
    return SqlCase(
        When(visit_rule.overdue_q(today), then=Value(AlertKind.OVERDUE.value)), default=Value(AlertKind.DUE_SOON.value)
    )


def _members_due_an_alert(today: date) -> QuerySet:
    """Members due soon or overdue who have no open alert of that kind, annotated with the kind."""
    opened_before = VisitAlert.objects.filter(
        member=OuterRef("pk"), kind=OuterRef(_ALERT_KIND), resolved_at__isnull=True
    )
    return (
        CaseMember.objects.filter(_alerted_q(today))
        .annotate(**{_ALERT_KIND: _alert_kind(today)})
        .filter(~Exists(opened_before))
    )


def _count_due(due: QuerySet) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """The alerts about to open, counted in one query: ({kind: count}, {recipient's user id: {kind or
    "unit_overdue": count}}), the recipients being each case's primary worker, and for overdue
    members the unit's supervisor."""
    primary = FilteredRelation(
        "case__assignments",
        condition=Q(case__assignments__role=AssignmentRole.PRIMARY, case__assignments__ended_at__isnull=True),
    )
    rows = (
        due.annotate(primary_assignment=primary)
        .values_list(_ALERT_KIND, "primary_assignment__worker_id", "case__unit__supervisor_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    opened: dict[str, int] = dict.fromkeys(AlertKind.values, 0)
    recipients: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, worker_id, supervisor_id, count in rows:
        opened[kind] += count
        if worker_id is not None:
            recipients[worker_id][kind] += count
        if kind == AlertKind.OVERDUE and supervisor_id is not None:
            recipients[supervisor_id][_UNIT_OVERDUE] += count
    return opened, recipients


def _open_alerts(due: QuerySet, now: datetime) -> None:
    """INSERT ... SELECT an alert for each of these members, both kinds in one statement.

    In member order, as members are stored: the index insertions then touch each page once.
    No ON CONFLICT: the job's lock makes it the only writer of new alerts, and a duplicate
    would be an error to see, not to skip.
    """
    select_sql, params = due.order_by("pk").values_list("id", _ALERT_KIND, "face_to_face_due").query.sql_with_params()
    table = connection.ops.quote_name(VisitAlert._meta.db_table)
    # Only the table name and the ORM's own SQL are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (member_id, kind, due_on, created_at, notified_at) "  # noqa: S608
        f"SELECT new.id, new.{_ALERT_KIND}, new.face_to_face_due, %s, %s FROM ({select_sql}) AS new"
    )
    # Stored as the ORM stores it, so that `created_at=now` finds these rows on every backend.
    at = VisitAlert._meta.get_field("created_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [at, at, *params])


def _send_digests(counts: dict[int, dict[str, int]], now: datetime) -> int:
    """One notification per recipient (the primary worker; the supervisor for overdue members), e-mailed by a task."""
    recipients = User.objects.filter(pk__in=counts, is_active=True).only("pk", "email")
    links = {True: reverse("supervisor_dashboard"), False: reverse("my_work")}
    window = settings.KINDRED_VISIT_DUE_SOON_DAYS
    kind = record_kind(Case)
    notes = []
    for user in recipients:
        kinds = counts[user.pk]
        parts = []
        if kinds.get(AlertKind.OVERDUE):
            parts.append(f"{kinds[AlertKind.OVERDUE]} of your case members are overdue for a face-to-face visit")
        if kinds.get(AlertKind.DUE_SOON) and parts:
            parts.append(f"{kinds[AlertKind.DUE_SOON]} are due within {window} days")
        elif kinds.get(AlertKind.DUE_SOON):
            parts.append(f"{kinds[AlertKind.DUE_SOON]} of your case members are due for a visit within {window} days")
        if kinds.get(_UNIT_OVERDUE):
            parts.append(f"{kinds[_UNIT_OVERDUE]} members in your unit became overdue")
        link = links[bool(kinds.get(_UNIT_OVERDUE))]
        message = "; ".join(parts) + "."
        notes.append(Notification(recipient=user, message=message, link=link, kind=kind, created_at=now))
    email_on_commit(Notification.objects.bulk_create(notes))
    return len(notes)


def visit_job_run(*, trigger: str, requested_by: User | None = None) -> VisitJobRun:
    """Run the overdue-visit job and keep a record of the run, for the job page and the catch-up.

    Not one transaction, on purpose: the run's row is committed before the job starts and
    after it ends, so a failed run stays on record with its error (which is raised again for
    the caller, e.g. Celery, to retry).
    """
    run = VisitJobRun.objects.create(trigger=trigger, requested_by=requested_by)
    if requested_by is not None:
        log_action(actor=requested_by, action="cases.visit_job.run", target=run, changes={"trigger": trigger})
    try:
        counts = visit_alerts_refresh()
    except Exception as error:
        logger.exception("Visit job run %s (%s) failed", run.pk, trigger)
        run.error, run.finished_at = f"{type(error).__name__}: {error}", timezone.now()
        run.save(update_fields=["error", "finished_at"])
        raise
    run.counts, run.finished_at = counts, timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    logger.info("Visit job run %s (%s) finished: %s", run.pk, trigger, counts)
    return run


def visit_job_last_scheduled(now: datetime | None = None) -> datetime:
    """The latest time, at or before `now`, at which the daily run was due (KINDRED_VISIT_JOB_HOUR, agency time)."""
    local = timezone.localtime(now or timezone.now())
    scheduled = local.replace(hour=settings.KINDRED_VISIT_JOB_HOUR, minute=0, second=0, microsecond=0)
    return scheduled if scheduled <= local else scheduled - timedelta(days=1)


def visit_job_missed(now: datetime | None = None) -> bool:
    """True when no run has started and succeeded since the daily run was last due: one was missed."""
    return not VisitJobRun.objects.filter(
        started_at__gte=visit_job_last_scheduled(now), finished_at__isnull=False, error=""
    ).exists()
