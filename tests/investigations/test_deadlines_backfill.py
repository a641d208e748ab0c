"""The data migration that gives investigations opened before deadlines were kept the same deadlines the
services keep (investigations 0007), run over the current models."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from investigations.models import ChildContactDeadline, CrossReportRule, Investigation
from investigations.services import investigation_contact_record
from tests.factories import make_investigation

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("investigations.migrations.0007_deadlines_backfill").backfill
FIELDS = ("first_contact_at", "safety_assessment_due_at", "closure_due_at", "cross_report_due_at")
DEADLINE_FIELDS = ("investigation_id", "person_id", "due_at", "met_at", "met_by_contact_id")


def kept() -> tuple[list, list]:
    return (
        list(Investigation.objects.order_by("pk").values_list(*FIELDS)),
        list(ChildContactDeadline.objects.order_by("investigation_id", "person_id").values_list(*DEADLINE_FIELDS)),
    )


def test_it_rebuilds_what_the_services_keep(cast):
    CrossReportRule.objects.update_or_create(maltreatment_type="neglect", defaults={"within_hours": 24})
    make_investigation(cast.screener, worker=cast.worker, children=2)
    late = make_investigation(
        cast.screener, worker=cast.worker, children=2, received_at=timezone.now() - timedelta(days=5)
    )
    first, second = [d.person for d in late.child_deadlines.order_by("id")]
    for person, hours_ago in ((first, 3), (first, 5), (second, 1)):
        investigation_contact_record(
            actor=cast.worker,
            investigation=late,
            occurred_at=timezone.now() - timedelta(hours=hours_ago),
            contact_type="face_to_face",
            location="residence",
            people_seen=[person],
            narrative="Saw the child.",
        )
    expected = kept()
    ChildContactDeadline.objects.all().delete()
    Investigation.objects.update(**dict.fromkeys(FIELDS))

    backfill(apps, None)

    assert kept() == expected
    assert sum(1 for row in expected[1] if row[3] is not None) == 2


def test_it_leaves_existing_deadlines_alone(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    ChildContactDeadline.objects.update(excused_reason="Not located", excused_at=timezone.now())
    backfill(apps, None)
    assert ChildContactDeadline.objects.get(investigation=investigation).excused_reason == "Not located"
