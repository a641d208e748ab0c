"""Investigations' contacts moved out of cases' contact table into their own, and back, intact."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases import services as case_services
from investigations.services import contacts as services
from tests.factories import make_case, make_investigation

pytestmark = pytest.mark.django_db(transaction=True)

# Before the move, and after it: cases 0008 drops the contacts' investigation once investigations 0004 moved them.
ONE_TABLE = [("cases", "0006_transitions_share_one_shape"), ("investigations", "0003_contacts")]
TWO_TABLES = [("cases", "0008_contacts_belong_to_cases"), ("investigations", "0004_contacts_from_cases")]
FIELDS = [
    "id",
    "occurred_at",
    "contact_type",
    "location",
    "location_detail",
    "seen_privately",
    "narrative",
    "safety_concerns",
    "next_steps",
    "recorded_by",
    "recorded_at",
]
AMENDMENT_FIELDS = ["field", "old_value", "new_value", "reason", "by", "at"]


def migrate(targets):
    """Migrate the test database to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def kept(model, public_id) -> tuple[dict, set[int], list[tuple]]:
    """A contact's fields (its own id aside), who was seen, and its amendments, in order."""
    contact = model.objects.get(public_id=public_id)
    fields = model.objects.filter(pk=contact.pk).values(*FIELDS).get()
    fields.pop("id")
    amendments = list(contact.amendments.order_by("at", "id").values_list(*AMENDMENT_FIELDS))
    return fields, set(contact.people_seen.values_list("pk", flat=True)), amendments


@pytest.fixture
def recorded(cast):
    """A case's contact, and an investigation's contact that saw two people and was corrected once."""
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=5)
    child = case.members.filter(role="child").first().person
    case_contact = case_services.contact_record(
        actor=cast.worker,
        case=case,
        occurred_at=timezone.now() - timedelta(hours=3),
        contact_type="face_to_face",
        location="residence",
        people_seen=[child],
        narrative="Home visit.",
    )
    investigation = make_investigation(cast.screener, worker=cast.worker)
    people = list({participant.person for participant in investigation.report.participants.all()})
    assert len(people) == 2  # the child and the parent
    contact = services.investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(hours=1),
        contact_type="face_to_face",
        location="school",
        location_detail="Nurse's office",
        people_seen=people,
        seen_privately=True,
        narrative="Interviewed the child at school.",
        safety_concerns="Bruise on the left arm.",
        next_steps="Home visit tomorrow.",
    )
    services.investigation_contact_amend(
        actor=cast.worker, contact=contact, field="next_steps", value="Home visit today.", reason="Moved up."
    )
    return case_contact, investigation, contact


def test_the_contacts_go_back_to_cases_table_and_return_intact(recorded):
    case_contact, investigation, contact = recorded
    case_apps = migrate(TWO_TABLES)
    before = kept(case_apps.get_model("investigations", "InvestigationContact"), contact.public_id)
    case_contact_before = kept(case_apps.get_model("cases", "Contact"), case_contact.public_id)
    try:
        apps = migrate(ONE_TABLE)
        back = apps.get_model("cases", "Contact")
        assert back.objects.filter(public_id=contact.public_id, case=None, investigation=investigation.pk).exists()
        assert kept(back, contact.public_id) == before
        assert kept(back, case_contact.public_id) == case_contact_before

        apps = migrate(TWO_TABLES)
        moved = apps.get_model("investigations", "InvestigationContact")
        assert moved.objects.get(public_id=contact.public_id).investigation_id == investigation.pk
        assert kept(moved, contact.public_id) == before
        cases_table = apps.get_model("cases", "Contact")
        assert not cases_table.objects.filter(public_id=contact.public_id).exists()
        assert kept(cases_table, case_contact.public_id) == case_contact_before
    finally:
        latest()
