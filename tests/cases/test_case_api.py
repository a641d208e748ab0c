"""The case API follows the case pages' rules: the same services, the same access policy, the same errors."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases import services
from cases.choices import CaseStatus, VisitStatus
from cases.models import Case, CaseAssignment, CaseMember, CaseNote, Contact, ContactAmendment
from tests.api_helpers import no_internal_ids
from tests.factories import make_case, make_investigation, make_person, make_relative, make_staff, put_on_a_report

pytestmark = pytest.mark.django_db


def url(name: str, *objects) -> str:
    return reverse(f"api_{name}", args=[obj.public_id for obj in objects])


def child_of(case) -> CaseMember:
    return case.members.filter(role="child").order_by("id").first()


def visit_body(*people, **fields) -> dict:
    return {
        "occurred_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "contact_type": "face_to_face",
        "location": "residence",
        "people_seen": [str(person.public_id) for person in people],
        "seen_privately": True,
        "narrative": "Saw the children at home; both well, the fridge stocked.",
        **fields,
    }


def statuses(api, case) -> dict[str, str | None]:
    body = api.get(url("case_visit_status", case)).json()
    return {row["person"]: row["visit_status"] for row in body}


@pytest.fixture
def case(cast):
    """An open case of the North Unit: two children and a parent, worked by the unit's worker."""
    return make_case(cast.supervisor, worker=cast.worker, opened_days_ago=1)


# Cases ---------------------------------------------------------------------------------------------------------


def test_it_lists_the_cases_a_user_may_see_by_status_and_mine(cast, api_for, case):
    other = make_case(cast.other_supervisor, worker=cast.other_worker)
    closing = make_case(cast.supervisor, worker=make_staff("worker-2", "caseworker", unit=cast.unit))
    services.case_request_closure(actor=cast.supervisor, case=closing, reason="reunified")
    api = api_for(cast.supervisor)

    body = api.get(url("case_list")).json()
    assert {row["id"] for row in body["results"]} == {str(case.public_id), str(closing.public_id)}
    assert str(other.public_id) not in str(body)
    assert no_internal_ids(body)
    mine = api_for(cast.worker).get(url("case_list"), {"mine": "1"}).json()
    assert [row["id"] for row in mine["results"]] == [str(case.public_id)]
    assert mine["results"][0]["workers"][0]["worker"] == str(cast.worker.public_id)
    waiting = api.get(url("case_list"), {"status": "closure_requested"}).json()
    assert [row["id"] for row in waiting["results"]] == [str(closing.public_id)]
    assert api.get(url("case_list"), {"status": "bogus"}).status_code == 400


def test_the_case_list_costs_the_same_queries_for_2_and_10_cases(cast, api_for):
    api = api_for(cast.supervisor)
    for days in (0, 31):
        make_case(cast.supervisor, worker=cast.worker, opened_days_ago=days)
    api.get(url("case_list"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url("case_list")).status_code == 200
        return len(captured)

    with_two = queries()
    for days in range(8):
        make_case(cast.supervisor, worker=cast.worker, opened_days_ago=days * 4)
    body = api.get(url("case_list")).json()
    assert body["count"] == 10
    assert sum(row["members_overdue"] for row in body["results"]) == 3
    assert queries() == with_two


def test_a_supervisor_opens_a_case_for_a_family(cast, api_for):
    mother, child = make_person(cast.screener, age=31), make_person(cast.screener, age=6)
    put_on_a_report(cast.screener, mother, child)
    response = api_for(cast.supervisor).post(
        url("case_list"),
        {
            "family_name": "Okafor family",
            "opened_for": "court_ordered",
            "unit": str(cast.unit.public_id),
            "members": [
                {"person": str(mother.public_id), "role": "parent"},
                {"person": str(child.public_id), "role": "child"},
            ],
            "primary_worker": str(cast.worker.public_id),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert no_internal_ids(body)
    assert body["status"] == "open"
    assert {(m["person"], m["role"]) for m in body["members"]} == {
        (str(mother.public_id), "parent"),
        (str(child.public_id), "child"),
    }
    assert {m["visit_status"] for m in body["members"]} == {VisitStatus.VISITED}
    assert [(w["worker"], w["role"]) for w in body["workers"]] == [(str(cast.worker.public_id), "primary")]
    assert AuditEvent.objects.filter(action="cases.case.opened", target_id=body["id"]).exists()


def test_a_case_without_a_child_is_refused_and_nothing_is_saved(cast, api_for):
    mother = make_person(cast.screener, age=31)
    put_on_a_report(cast.screener, mother)
    response = api_for(cast.supervisor).post(
        url("case_list"),
        {
            "family_name": "Okafor family",
            "opened_for": "voluntary",
            "unit": str(cast.unit.public_id),
            "members": [{"person": str(mother.public_id), "role": "parent"}],
            "primary_worker": str(cast.worker.public_id),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "members" in response.json()
    assert not Case.objects.exists() and not CaseMember.objects.exists()


def test_only_a_supervisor_opens_a_case_in_their_own_unit(cast, api_for):
    child = make_person(cast.screener, age=6)
    put_on_a_report(cast.screener, child)
    body = {
        "family_name": "Okafor family",
        "opened_for": "voluntary",
        "unit": str(cast.unit.public_id),
        "members": [{"person": str(child.public_id), "role": "child"}],
        "primary_worker": str(cast.worker.public_id),
    }
    for user in (cast.worker, cast.program_manager, cast.auditor):
        assert api_for(user).post(url("case_list"), body, format="json").status_code == 403
    assert api_for(cast.administrator).post(url("case_list"), body, format="json").status_code == 403
    elsewhere = {**body, "unit": str(cast.other_unit.public_id)}
    assert api_for(cast.supervisor).post(url("case_list"), elsewhere, format="json").status_code == 403
    assert not Case.objects.exists()


def test_the_case_detail_shows_members_workers_and_is_an_audited_read(cast, api_for):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    body = api_for(cast.worker).get(url("case_detail", case)).json()
    assert no_internal_ids(body)
    assert len(body["members"]) == 3
    assert {m["visit_status"] for m in body["members"]} == {VisitStatus.OVERDUE}
    assert {m["face_to_face_due"] for m in body["members"]} == {str(timezone.localdate() - timedelta(days=1))}
    assert body["workers"][0]["worker_name"] == cast.worker.display_name
    assert AuditEvent.objects.filter(actor=cast.worker, action="cases.case.viewed", target_id=str(case.public_id))


# Members -------------------------------------------------------------------------------------------------------


def test_members_are_added_ended_excused_and_required_again(cast, api_for, case):
    worker, supervisor = api_for(cast.worker), api_for(cast.supervisor)
    newborn = {"first_name": "Pip", "last_name": "Arbuckle", "approximate_age": 0}
    added = worker.post(url("case_members", case), {"new_person": newborn, "role": "child"}, format="json")
    assert added.status_code == 201, added.json()
    assert added.json()["visit_status"] == VisitStatus.VISITED
    baby = CaseMember.objects.get(public_id=added.json()["id"]).person
    assert worker.post(url("case_members", case), {"person": str(baby.public_id), "role": "child"}).status_code == 400

    parent = case.members.get(role="parent")
    excused = supervisor.post(
        url("case_member_excuse", parent), {"reason": "Whereabouts unknown", "diligent_search_note": "Jail, DMV"}
    )
    assert excused.status_code == 200
    assert excused.json()["visit_status"] == VisitStatus.EXCUSED
    assert excused.json()["face_to_face_due"] is None
    required = supervisor.post(url("case_member_require_visits", parent), {"reason": "Found at her sister's"})
    assert required.json()["visit_status"] == VisitStatus.VISITED

    member = CaseMember.objects.get(person=baby)
    ended = worker.post(url("case_member_end", member), {"ended_on": str(timezone.localdate()), "reason": "Moved"})
    assert ended.status_code == 200
    assert ended.json()["ended_on"] == str(timezone.localdate())
    assert ended.json()["visit_status"] is None
    listed = worker.get(url("case_members", case)).json()
    assert len(listed) == 4 and no_internal_ids(listed)
    assert str(baby.public_id) not in statuses(worker, case)


def test_a_caseworker_may_not_do_a_supervisors_part(cast, api_for, case):
    worker = api_for(cast.worker)
    parent = case.members.get(role="parent")
    assert worker.post(url("case_member_excuse", parent), {"reason": "Whereabouts unknown"}).status_code == 403
    assert worker.post(url("case_member_require_visits", parent), {"reason": "Found"}).status_code == 403
    assign = {"worker": str(cast.worker.public_id), "role": "secondary", "revoke_grants": False}
    assert worker.post(url("case_assign", case), assign, format="json").status_code == 403
    assert worker.post(url("case_request_closure", case), {"closure_reason": "reunified"}).status_code == 200
    assert worker.post(url("case_approve_closure", case), {}).status_code == 403
    assert worker.post(url("case_return_closure", case), {"comment": "No"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    parent.refresh_from_db()
    assert parent.must_be_seen


# Assignments ---------------------------------------------------------------------------------------------------


def test_assignments_keep_their_history_and_access_moves_with_them(cast, api_for, case):
    newcomer = make_staff("newcomer", "caseworker", unit=cast.unit)
    supervisor = api_for(cast.supervisor)
    response = supervisor.post(
        url("case_assign", case), {"worker": str(newcomer.public_id), "role": "primary", "revoke_grants": False}
    )
    assert response.status_code == 200, response.json()
    assert [w["worker"] for w in response.json()["workers"]] == [str(newcomer.public_id)]
    history = supervisor.get(url("case_assignments", case)).json()["results"]
    assert [(row["worker"], row["ended_at"] is None) for row in history] == [
        (str(newcomer.public_id), True),
        (str(cast.worker.public_id), False),
    ]
    assert api_for(cast.worker).get(url("case_detail", case)).status_code == 404
    assert api_for(newcomer).get(url("case_detail", case)).status_code == 200
    refused = supervisor.post(url("case_assign", case), {"worker": None, "role": "primary"}, format="json")
    assert refused.status_code == 400 and "worker" in refused.json()


def test_a_departing_workers_cases_move_at_once(cast, api_for):
    first, second = make_case(cast.supervisor, worker=cast.worker), make_case(cast.supervisor, worker=cast.worker)
    successor = make_staff("successor", "caseworker", unit=cast.unit)
    body = {"from_worker": str(cast.worker.public_id), "to_worker": str(successor.public_id)}
    assert api_for(cast.worker).post(url("case_reassign_all"), body).status_code == 403
    response = api_for(cast.supervisor).post(url("case_reassign_all"), body)
    assert response.json() == {"moved": 2, "not_moved": [], "not_moved_restricted": 0}
    assert set(
        CaseAssignment.objects.filter(worker=successor, ended_at__isnull=True).values_list("case", flat=True)
    ) == {
        first.pk,
        second.pk,
    }
    same = {"from_worker": str(successor.public_id), "to_worker": str(successor.public_id)}
    assert api_for(cast.supervisor).post(url("case_reassign_all"), same).status_code == 400


# Closure and notes ---------------------------------------------------------------------------------------------


def test_closure_is_requested_returned_approved_and_reopened(cast, api_for, case):
    worker, supervisor = api_for(cast.worker), api_for(cast.supervisor)
    other = worker.post(url("case_request_closure", case), {"closure_reason": "other"})
    assert other.status_code == 400 and "closure_note" in other.json()
    asked = worker.post(url("case_request_closure", case), {"closure_reason": "reunified", "closure_note": "Home."})
    assert asked.json()["status"] == "closure_requested"
    assert supervisor.post(url("case_return_closure", case), {"comment": ""}).status_code == 400
    returned = supervisor.post(url("case_return_closure", case), {"comment": "Finish the aftercare plan first."})
    assert returned.json()["status"] == "open"
    assert returned.json()["return_comment"] == "Finish the aftercare plan first."
    worker.post(url("case_request_closure", case), {"closure_reason": "reunified"})
    closed = supervisor.post(url("case_approve_closure", case), {"comment": "Well done."})
    assert closed.json()["status"] == "closed"
    assert {m["visit_status"] for m in closed.json()["members"]} == {None}
    assert supervisor.post(url("case_approve_closure", case), {}).status_code == 400
    reopened = supervisor.post(url("case_reopen", case), {"reason": "New report from the school."})
    assert reopened.json()["status"] == "open"
    assert [t["to_status"] for t in reopened.json()["transitions"]] == [
        "closure_requested",
        "open",
        "closure_requested",
        "closed",
        "open",
    ]


def test_case_notes_are_written_and_listed(cast, api_for, case):
    worker = api_for(cast.worker)
    assert worker.post(url("case_notes", case), {"text": "  "}).status_code == 400
    written = worker.post(url("case_notes", case), {"text": "Called the school about attendance."})
    assert written.status_code == 201
    assert worker.get(url("case_notes", case)).json()["results"][0]["text"] == "Called the school about attendance."
    assert api_for(cast.auditor).post(url("case_notes", case), {"text": "Hello"}).status_code == 403
    assert CaseNote.objects.count() == 1


# Contacts and visits -------------------------------------------------------------------------------------------


def test_a_visit_recorded_through_the_api_clears_the_overdue_status_at_once(cast, api_for):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = child_of(case)
    api = api_for(cast.worker)
    services.visit_alerts_refresh()
    assert statuses(api, case)[str(child.person.public_id)] == VisitStatus.OVERDUE
    assert {alert["is_open"] for alert in api.get(url("case_alerts", case)).json()["results"]} == {True}

    response = api.post(url("case_contacts", case), visit_body(child.person), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["counts_as_visit"] is True
    after = statuses(api, case)
    assert after[str(child.person.public_id)] == VisitStatus.VISITED
    assert list(after.values()).count(VisitStatus.OVERDUE) == 2
    alerts = api.get(url("case_alerts", case)).json()["results"]
    assert [(a["person"], a["is_open"]) for a in alerts][-1] == (str(child.person.public_id), False)
    assert [a["is_open"] for a in alerts] == [True, True, False]


def test_the_visit_status_is_one_query_whatever_the_members(cast, api_for):
    api = api_for(cast.worker)
    small = make_case(cast.supervisor, worker=cast.worker, children=1, parents=0)
    large = make_case(cast.supervisor, worker=cast.worker, children=6, parents=2)

    def queries(case) -> int:
        with CaptureQueriesContext(connection) as captured:
            api.get(url("case_visit_status", case))
        return len(captured)

    queries(small)
    assert queries(small) == queries(large)


def test_a_bad_contact_is_refused_with_field_errors_and_nothing_is_saved(cast, api_for, case):
    api = api_for(cast.worker)
    stranger = make_relative(cast.screener, of=child_of(case).person, age=9)
    response = api.post(
        url("case_contacts", case),
        visit_body(child_of(case).person, stranger, occurred_at=(timezone.now() + timedelta(hours=3)).isoformat())
        | {"narrative": ""},
        format="json",
    )
    assert response.status_code == 400
    assert {"occurred_at", "people_seen", "narrative"} <= set(response.json())
    unseen = make_person(cast.other_supervisor, age=9)
    response = api.post(url("case_contacts", case), visit_body(unseen), format="json")
    assert response.status_code == 400 and "people_seen" in response.json()
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action="cases.contact.recorded").exists()
    child_of(case).refresh_from_db()
    assert child_of(case).last_face_to_face_at is None


def test_a_contact_is_corrected_by_an_amendment_that_keeps_the_old_value(cast, api_for):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = child_of(case)
    api = api_for(cast.worker)
    contact = api.post(url("case_contacts", case), visit_body(child.person, contact_type="phone"), format="json")
    contact_id = contact.json()["id"]
    amend = reverse("api_contact_amend", args=[contact_id])
    fixed = api.post(
        amend,
        {"field": "contact_type", "value": "face_to_face", "reason": "Was at the home, not a call"},
        format="json",
    )
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["amendments"][0] | {"at": None} == {
        "field": "contact_type",
        "old_value": "phone",
        "new_value": "face_to_face",
        "reason": "Was at the home, not a call",
        "by": str(cast.worker.public_id),
        "by_name": cast.worker.display_name,
        "at": None,
    }
    assert statuses(api, case)[str(child.person.public_id)] == VisitStatus.VISITED

    later = (timezone.now() + timedelta(days=1)).isoformat()
    future = api.post(amend, {"field": "occurred_at", "value": later, "reason": "Typo"}, format="json")
    assert future.status_code == 400 and "occurred_at" in future.json()
    assert api.post(amend, {"field": "location", "value": "moon", "reason": "Typo"}, format="json").json().keys() == {
        "value"
    }
    assert api.post(amend, {"field": "recorded_by", "value": "x", "reason": "Typo"}).status_code == 400
    detail = api.get(reverse("api_contact_detail", args=[contact_id])).json()
    assert detail["contact_type"] == "face_to_face" and len(detail["amendments"]) == 1
    assert ContactAmendment.objects.count() == 1


def test_an_investigation_records_contacts_with_the_reports_people(cast, api_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    victim = investigation.report.participants.get(role="alleged_victim").person
    api = api_for(cast.worker)
    response = api.post(url("contact_investigation_list", investigation), visit_body(victim), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["investigation"] == str(investigation.public_id)
    assert response.json()["case"] is None
    listed = api.get(url("contact_investigation_list", investigation)).json()["results"]
    assert [row["id"] for row in listed] == [response.json()["id"]]
    assert api.get(reverse("api_contact_detail", args=[response.json()["id"]])).status_code == 200
    stranger = make_person(cast.worker, age=9)
    refused = api.post(url("contact_investigation_list", investigation), visit_body(stranger), format="json")
    assert refused.status_code == 400 and "people_seen" in refused.json()
    assert api_for(cast.other_worker).get(url("contact_investigation_list", investigation)).status_code == 404


# Who may do what -----------------------------------------------------------------------------------------------


def test_another_units_worker_gets_404_everywhere(cast, api_for, case):
    contact = services.contact_record(
        actor=cast.worker,
        case=case,
        occurred_at=timezone.now() - timedelta(minutes=5),
        contact_type="face_to_face",
        location="residence",
        people_seen=[child_of(case).person],
        narrative="Visit.",
    )
    api = api_for(cast.other_worker)
    for name in ("case_detail", "case_members", "case_assignments", "case_notes", "case_contacts"):
        assert api.get(url(name, case)).status_code == 404, name
    for name in ("case_visit_status", "case_alerts"):
        assert api.get(url(name, case)).status_code == 404, name
    assert api.post(url("case_contacts", case), visit_body(child_of(case).person), format="json").status_code == 404
    assert (
        api.post(url("case_member_end", child_of(case)), {"ended_on": "2020-01-01", "reason": "x"}).status_code == 404
    )
    assert api.get(url("contact_detail", contact)).status_code == 404
    assert (
        api.post(url("contact_amend", contact), {"field": "narrative", "value": "x", "reason": "x"}).status_code == 404
    )
    assert api.get(url("case_list")).json()["count"] == 0


def test_managers_and_auditors_read_but_do_not_write(cast, api_for, case):
    for user in (cast.program_manager, cast.auditor):
        api = api_for(user)
        assert api.get(url("case_list")).json()["count"] == 1
        for name in ("case_detail", "case_members", "case_contacts", "case_visit_status", "case_alerts"):
            assert api.get(url(name, case)).status_code == 200, name
        assert api.post(url("case_contacts", case), visit_body(child_of(case).person), format="json").status_code == 403
        assert api.post(url("case_request_closure", case), {"closure_reason": "reunified"}).status_code == 403
        assert (
            api.post(url("case_member_end", child_of(case)), {"ended_on": "2020-01-01", "reason": "x"}).status_code
            == 403
        )
    assert not Contact.objects.exists()


def test_an_administrator_manages_staff_not_cases(cast, api_for, case):
    api = api_for(cast.administrator)
    assert api.get(url("case_list")).status_code == 403
    assert api.get(url("case_detail", case)).status_code == 404
    assert api.get(url("case_visit_status", case)).status_code == 404
    assert api.post(url("case_reassign_all"), {}).status_code == 403


def test_anonymous_callers_are_refused(client, case):
    assert client.get(url("case_list")).status_code == 403
    assert client.get(url("case_detail", case)).status_code == 403


def test_putting_an_excused_member_back_under_the_rule_needs_a_reason(cast, api_for, case):
    parent = case.members.get(role="parent")
    services.member_excuse(actor=cast.supervisor, member=parent, reason="Whereabouts unknown")
    refused = api_for(cast.supervisor).post(url("case_member_require_visits", parent), {"reason": "  "})
    assert refused.status_code == 400 and "reason" in refused.json()
    with pytest.raises(ValidationError) as error:
        services.member_require_visits(actor=cast.supervisor, member=parent, reason=" ")
    assert "reason" in error.value.message_dict
    parent.refresh_from_db()
    assert not parent.must_be_seen
