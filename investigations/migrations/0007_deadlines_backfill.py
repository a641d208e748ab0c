"""Deadlines for the investigations opened before they were kept: one first-contact deadline per alleged
victim (met by their earliest face-to-face contact, late or not), the first contact and the safety
assessment's working-day deadline, closure and cross-report due times.

Statuses are left as they are (0006 already set "in progress" where a face-to-face contact exists).
Reads each table once; writes in batches.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import migrations

from records.calendar import add_working_days

FACE_TO_FACE = "face_to_face"


def backfill(apps, schema_editor):
    Investigation = apps.get_model("investigations", "Investigation")
    ChildContactDeadline = apps.get_model("investigations", "ChildContactDeadline")
    InvestigationContact = apps.get_model("investigations", "InvestigationContact")
    CrossReportRule = apps.get_model("investigations", "CrossReportRule")
    Allegation = apps.get_model("cases", "Allegation")
    Holiday = apps.get_model("records", "Holiday")

    holidays = set(Holiday.objects.values_list("date", flat=True))
    rules = dict(CrossReportRule.objects.values_list("maltreatment_type", "within_hours"))
    allegations = defaultdict(list)
    for report_id, victim_id, maltreatment_type in Allegation.objects.filter(withdrawn_at__isnull=True).values_list(
        "report_id", "victim_id", "maltreatment_type"
    ):
        allegations[report_id].append((victim_id, maltreatment_type))
    first_seen = {}
    seen = (
        InvestigationContact.people_seen.through.objects.filter(investigationcontact__contact_type=FACE_TO_FACE)
        .order_by("investigationcontact__occurred_at", "investigationcontact_id")
        .values_list(
            "investigationcontact__investigation_id",
            "person_id",
            "investigationcontact_id",
            "investigationcontact__occurred_at",
        )
    )
    for investigation_id, person_id, contact_id, occurred_at in seen.iterator():
        first_seen.setdefault((investigation_id, person_id), (contact_id, occurred_at))
    existing = set(ChildContactDeadline.objects.values_list("investigation_id", "person_id"))

    deadlines, investigations = [], []
    for investigation in Investigation.objects.select_related("report").iterator():
        report = investigation.report
        received_at = report.received_at or investigation.created_at
        victims = sorted({victim_id for victim_id, _ in allegations[report.pk]})
        met = []
        for person_id in victims:
            contact_id, met_at = first_seen.get((investigation.pk, person_id), (None, None))
            if met_at is not None:
                met.append(met_at)
            if (investigation.pk, person_id) not in existing:
                deadlines.append(
                    ChildContactDeadline(
                        investigation_id=investigation.pk,
                        person_id=person_id,
                        due_at=report.first_contact_due_at or investigation.response_due_at,
                        added_at=received_at,
                        met_at=met_at,
                        met_by_contact_id=contact_id,
                    )
                )
        investigation.first_contact_at = min(met, default=None)
        investigation.safety_assessment_due_at = (
            add_working_days(
                investigation.first_contact_at, settings.KINDRED_SAFETY_ASSESSMENT_WORKING_DAYS, holidays=holidays
            )
            if investigation.first_contact_at
            else None
        )
        investigation.closure_due_at = received_at + timedelta(days=settings.KINDRED_INVESTIGATION_CLOSURE_DAYS)
        hours = [rules[kind] for _, kind in allegations[report.pk] if kind in rules]
        investigation.cross_report_due_at = received_at + timedelta(hours=min(hours)) if hours else None
        investigations.append(investigation)
    ChildContactDeadline.objects.bulk_create(deadlines, batch_size=5000)
    Investigation.objects.bulk_update(
        investigations,
        ["first_contact_at", "safety_assessment_due_at", "closure_due_at", "cross_report_due_at"],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("investigations", "0006_defaults_and_statuses"),
        ("cases", "0011_case_version"),
        ("records", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
