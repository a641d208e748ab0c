"""Per-child first-contact timeliness: each alleged child victim's deadline is met on time, met late or
still open; only a face-to-face contact that saw the child meets it; the other deadlines follow."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services as intake
from cases.models import Allegation
from investigations.choices import DeadlineKind, DeadlineState, InvestigationStatus
from investigations.models import ChildContactDeadline, CrossReportRule
from investigations.selectors.deadlines import investigation_deadlines
from investigations.services import investigation_contact_amend, investigation_contact_record
from investigations.services.deadlines import child_deadline_excuse
from records.calendar import add_working_days
from tests.factories import make_investigation, make_person

pytestmark = pytest.mark.django_db


def children_of(investigation):
    return [a.victim for a in Allegation.objects.filter(report=investigation.report).order_by("id")]


def parent_of(investigation):
    return Allegation.objects.filter(report=investigation.report).first().perpetrator


def visit(cast, investigation, *people, hours_ago=1, contact_type="face_to_face"):
    return investigation_contact_record(
        actor=cast.worker,
        investigation=investigation,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        contact_type=contact_type,
        location="residence",
        people_seen=list(people),
        narrative="Saw the family at home.",
    )


def states(investigation, kind=DeadlineKind.FIRST_CONTACT):
    return [d.state for d in investigation_deadlines(investigation) if d.kind == kind]


def test_the_investigation_opens_with_one_deadline_per_alleged_child(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker, children=3)
    report = investigation.report
    deadlines = ChildContactDeadline.objects.filter(investigation=investigation)
    assert {d.person for d in deadlines} == set(children_of(investigation))
    assert {d.due_at for d in deadlines} == {report.first_contact_due_at}
    assert investigation.closure_due_at == report.received_at + timedelta(
        days=settings.KINDRED_INVESTIGATION_CLOSURE_DAYS
    )
    assert investigation.cross_report_due_at is None
    assert states(investigation) == [DeadlineState.ON_TRACK] * 3


def test_a_cross_report_is_due_within_the_shortest_window_of_its_allegation_types(cast):
    CrossReportRule.objects.update_or_create(maltreatment_type="neglect", defaults={"within_hours": 12})
    investigation = make_investigation(cast.screener, worker=cast.worker)
    assert investigation.cross_report_due_at == investigation.report.received_at + timedelta(hours=12)
    assert DeadlineKind.CROSS_REPORT in [d.kind for d in investigation_deadlines(investigation)]


def test_a_face_to_face_contact_in_time_meets_the_deadline_of_each_child_seen(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker, children=2)
    seen, unseen = children_of(investigation)
    contact = visit(cast, investigation, seen)
    investigation.refresh_from_db()
    deadline = ChildContactDeadline.objects.get(investigation=investigation, person=seen)
    assert (deadline.met_at, deadline.met_by_contact) == (contact.occurred_at, contact)
    assert not ChildContactDeadline.objects.get(investigation=investigation, person=unseen).met_at
    assert states(investigation) == [DeadlineState.MET_ON_TIME, DeadlineState.ON_TRACK]
    assert investigation.status == InvestigationStatus.IN_PROGRESS
    assert investigation.first_contact_at == contact.occurred_at
    assert investigation.safety_assessment_due_at == add_working_days(
        contact.occurred_at, settings.KINDRED_SAFETY_ASSESSMENT_WORKING_DAYS
    )


def test_a_late_contact_is_recorded_as_late_not_as_met_on_time(cast):
    investigation = make_investigation(
        cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(days=5)
    )
    assert states(investigation) == [DeadlineState.OVERDUE]
    visit(cast, investigation, *children_of(investigation))
    assert states(investigation) == [DeadlineState.MET_LATE]


def test_no_contact_leaves_the_deadline_open_then_overdue(cast):
    investigation = make_investigation(
        cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(hours=71, minutes=30)
    )
    assert states(investigation) == [DeadlineState.DUE_SOON]
    visit(cast, investigation, *children_of(investigation), contact_type="phone")
    assert states(investigation) == [DeadlineState.DUE_SOON]
    assert ChildContactDeadline.objects.get(investigation=investigation).met_at is None


def test_seeing_a_parent_meets_nothing(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    visit(cast, investigation, parent_of(investigation))
    investigation.refresh_from_db()
    assert states(investigation) == [DeadlineState.ON_TRACK]
    assert (investigation.status, investigation.first_contact_at) == (InvestigationStatus.ASSIGNED, None)
    assert [d.state for d in investigation_deadlines(investigation) if d.kind == DeadlineKind.SAFETY_ASSESSMENT] == [
        DeadlineState.NOT_STARTED
    ]


def test_the_earliest_contact_with_a_child_counts(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    (child,) = children_of(investigation)
    visit(cast, investigation, child, hours_ago=1)
    earlier = visit(cast, investigation, child, hours_ago=1.5)
    investigation.refresh_from_db()
    assert ChildContactDeadline.objects.get(investigation=investigation).met_by_contact == earlier
    assert investigation.first_contact_at == earlier.occurred_at


def test_a_corrected_contact_time_recomputes_the_deadlines(cast):
    investigation = make_investigation(
        cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(days=4)
    )
    contact = visit(cast, investigation, *children_of(investigation))
    assert states(investigation) == [DeadlineState.MET_LATE]
    in_time = investigation.report.received_at + timedelta(hours=10)
    investigation_contact_amend(
        actor=cast.worker, contact=contact, field="occurred_at", value=in_time, reason="Typed the wrong day"
    )
    investigation.refresh_from_db()
    assert states(investigation) == [DeadlineState.MET_ON_TIME]
    assert investigation.first_contact_at == in_time


def test_a_contact_corrected_to_a_phone_call_no_longer_meets_the_deadline(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    contact = visit(cast, investigation, *children_of(investigation))
    investigation_contact_amend(
        actor=cast.worker, contact=contact, field="contact_type", value="phone", reason="It was a call"
    )
    investigation.refresh_from_db()
    assert states(investigation) == [DeadlineState.ON_TRACK]
    assert (investigation.first_contact_at, investigation.safety_assessment_due_at) == (None, None)


def test_a_priority_change_moves_the_unmet_deadlines_only(cast):
    investigation = make_investigation(cast.screener, worker=cast.worker, children=2)
    seen, unseen = children_of(investigation)
    visit(cast, investigation, seen)
    met_due = ChildContactDeadline.objects.get(investigation=investigation, person=seen).due_at
    report = investigation.report
    intake.report_change_priority(actor=cast.supervisor, report=report, response_priority="immediate", reason="Worse")
    report.refresh_from_db()
    assert ChildContactDeadline.objects.get(investigation=investigation, person=unseen).due_at == (
        report.received_at + timedelta(hours=settings.KINDRED_RESPONSE_HOURS["immediate"])
    )
    assert ChildContactDeadline.objects.get(investigation=investigation, person=seen).due_at == met_due


def test_a_child_added_to_the_report_later_gets_their_own_deadline_from_then(cast):
    # Cases refuses new allegations once a report is screened in; a child can still join the report's
    # allegations by a data correction, and the next recompute gives them their own deadline.
    investigation = make_investigation(cast.screener, worker=cast.worker)
    (first,) = children_of(investigation)
    later = make_person(cast.screener, age=4)
    Allegation.objects.create(
        report=investigation.report, victim=later, perpetrator=parent_of(investigation), maltreatment_type="neglect"
    )
    before = timezone.now()
    visit(cast, investigation, first)
    deadline = ChildContactDeadline.objects.get(investigation=investigation, person=later)
    hours = timedelta(hours=settings.KINDRED_RESPONSE_HOURS["3_days"])
    assert deadline.added_at >= before and deadline.due_at == deadline.added_at + hours
    assert states(investigation) == [DeadlineState.MET_ON_TIME, DeadlineState.ON_TRACK]


def test_the_supervisor_excuses_a_child_who_could_not_be_located(cast):
    investigation = make_investigation(
        cast.screener, worker=cast.worker, received_at=timezone.now() - timedelta(days=5)
    )
    deadline = ChildContactDeadline.objects.get(investigation=investigation)
    with pytest.raises(ValidationError):
        child_deadline_excuse(actor=cast.supervisor, deadline=deadline, reason="  ")
    child_deadline_excuse(actor=cast.supervisor, deadline=deadline, reason="Family moved out of state; searched.")
    (shown,) = [d for d in investigation_deadlines(investigation) if d.kind == DeadlineKind.FIRST_CONTACT]
    assert (shown.state, shown.excused_reason, shown.excused_by) == (
        DeadlineState.EXCUSED,
        "Family moved out of state; searched.",
        cast.supervisor,
    )
    with pytest.raises(ValidationError):
        child_deadline_excuse(actor=cast.supervisor, deadline=deadline, reason="Again")
