"""The case pages: opening a case, its page, members, workers, closure and notes, each for who may use it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from cases import services
from cases.choices import CaseStatus
from cases.models import Case, CaseAssignment, CaseMember, CaseNote
from investigations.services import investigation_assign
from tests.factories import make_case, make_person, make_relative, make_report, make_staff, put_on_a_report

pytestmark = pytest.mark.django_db


def reported_by_a_neighbour(cast):
    """A screened-in report whose reporter is on it as a person, its investigation assigned to the worker."""
    report = make_report(cast.screener)
    reporter = make_person(cast.screener, first_name="Rhiannon", last_name="Reporterly")
    services.report_add_person(actor=cast.screener, report=report, person=reporter, role="reporter")
    services.report_screen_in(actor=cast.screener, report=report, response_priority="3_days")
    return investigation_assign(actor=cast.supervisor, investigation=report.investigation, worker=cast.worker)


@pytest.fixture
def case(cast):
    """An open case of the North Unit (1 parent, 2 children) assigned to the unit's worker."""
    return make_case(cast.supervisor, worker=cast.worker)


@pytest.fixture
def second_worker(cast):
    return make_staff("second-worker", Role.CASEWORKER, unit=cast.unit)


def page_of(client, case) -> str:
    return client.get(reverse("case_detail", args=[case.public_id])).content.decode()


def child_of(case) -> CaseMember:
    return case.members.filter(role="child").select_related("person").first()


# Opening a case


def open_case_data(cast, people: dict, **overrides) -> dict:
    data = {
        "action": "open",
        "family_name": "Okafor family",
        "opened_for": "voluntary",
        "unit": str(cast.unit.public_id),
        "primary_worker": str(cast.worker.public_id),
        "secondary_worker": "",
        "access_restriction": "none",
        "restriction_reason": "",
        "members": [str(person.public_id) for person in people],
        **{f"role-{person.public_id}": role for person, role in people.items()},
    }
    data.update(overrides)
    return data


def test_it_opens_a_case_with_its_members_and_workers(cast, client_for):
    child, mother = make_person(cast.screener, age=6), make_person(cast.screener, age=31)
    put_on_a_report(cast.screener, child, mother)
    client = client_for(cast.supervisor)
    response = client.post(reverse("case_open"), open_case_data(cast, {child: "child", mother: "parent"}))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.public_id])
    assert case.family_name == "Okafor family"
    assert dict(case.members.values_list("person", "role")) == {child.pk: "child", mother.pk: "parent"}
    assert case.assignments.get(ended_at__isnull=True).worker == cast.worker
    assert "Okafor family" in page_of(client, case)


def test_it_offers_the_source_reports_people_but_never_its_reporter(cast, client_for):
    report = reported_by_a_neighbour(cast).report
    victim = report.participants.get(role="alleged_victim").person
    page = client_for(cast.supervisor).get(reverse("case_open"), {"report": str(report.public_id)}).content.decode()
    assert victim.full_name in page
    assert "Reporterly" not in page
    assert f'name="role-{victim.public_id}"' in page
    assert '<option value="child" selected>' in page


def test_searching_keeps_what_was_chosen_so_far_and_saves_nothing(cast, client_for):
    child = make_person(cast.screener, first_name="Amara", last_name="Okafor", age=6)
    uncle = make_person(cast.screener, first_name="Chidi", last_name="Nwosu", age=40)
    put_on_a_report(cast.screener, child, uncle)
    data = open_case_data(cast, {child: "child"}, action="search", q="Chidi Nwosu")
    page = client_for(cast.supervisor).post(reverse("case_open"), data).content.decode()
    assert 'value="Okafor family"' in page
    assert f'value="{child.public_id}" checked' in page
    assert "Chidi Nwosu" in page
    assert f'value="{uncle.public_id}">' in page
    assert "This field is required" not in page
    assert not Case.objects.exists()


def test_a_case_that_cannot_open_keeps_everything_typed_and_saves_nothing(cast, client_for):
    mother = make_person(cast.screener, age=31)
    orphan = make_person(cast.screener, age=5)
    put_on_a_report(cast.screener, mother, orphan)
    data = open_case_data(cast, {mother: "parent", orphan: ""}, restriction_reason="Typed reason")
    response = client_for(cast.supervisor).post(reverse("case_open"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Choose a role for {orphan.full_name}." in page
    assert 'value="Okafor family"' in page
    assert "Typed reason" in page
    assert not Case.objects.exists()


def test_a_case_needs_a_child_says_the_service_and_the_page_shows_it(cast, client_for):
    mother = make_person(cast.screener, age=31)
    put_on_a_report(cast.screener, mother)
    response = client_for(cast.supervisor).post(reverse("case_open"), open_case_data(cast, {mother: "parent"}))
    assert "A case needs at least one child." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "program_manager", "administrator", "auditor", "intake_screener"])
def test_only_a_supervisor_opens_a_case(cast, client_for, role):
    assert client_for(cast.by_role()[role]).get(reverse("case_open")).status_code == 403


# The case page


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "program_manager", "auditor"])
def test_the_worker_their_supervisor_managers_and_auditors_read_the_case(cast, client_for, case, role):
    response = client_for(cast.by_role()[role]).get(reverse("case_detail", args=[case.public_id]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="cases.case.viewed", actor=cast.by_role()[role]).exists()


@pytest.mark.parametrize("who", ["other_worker", "other_supervisor", "administrator", "screener"])
def test_anyone_else_is_told_the_case_does_not_exist(cast, client_for, case, who):
    assert client_for(getattr(cast, who)).get(reverse("case_detail", args=[case.public_id])).status_code == 404


def test_the_case_page_shows_each_members_visit_status_and_a_log_visit_link(cast, client_for):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    parent = case.members.get(role="parent")
    services.member_excuse(actor=cast.supervisor, member=parent, reason="Whereabouts unknown")
    services.visit_alerts_refresh()
    child = child_of(case)
    page = page_of(client_for(cast.worker), case)
    assert page.count('<span class="visit visit-overdue">Overdue</span>') == 2
    assert '<span class="visit visit-excused">Excused</span>' in page
    assert "Whereabouts unknown" in page
    assert f"{reverse('contact_create', args=[case.public_id])}?member={child.public_id}" in page
    assert "Open alerts" in page


def test_the_case_page_shows_workers_history_notes_and_transitions(cast, client_for, case):
    services.case_add_note(actor=cast.worker, case=case, text="Mother starts parenting classes Monday.")
    services.case_request_closure(actor=cast.worker, case=case, reason="other", note="Family moving in with kin")
    page = page_of(client_for(cast.supervisor), case)
    assert "Mother starts parenting classes Monday." in page
    assert "Closure requested by" in page
    assert "Open → Closure awaiting approval" in page
    assert f"{cast.worker.display_name}, primary worker" in page


def test_read_only_roles_see_no_buttons_to_change_the_case(cast, client_for, case):
    page = page_of(client_for(cast.auditor), case)
    assert "Log visit" not in page
    assert reverse("case_note_add", args=[case.public_id]) not in page


def query_count(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("case_detail", args=[case.public_id])).status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_queries_for_2_or_8_members(cast, client_for, django_assert_num_queries):
    small = make_case(cast.supervisor, worker=cast.worker, children=1, parents=1)
    large = make_case(cast.supervisor, worker=cast.worker, children=5, parents=3)
    client = client_for(cast.worker)
    expected = query_count(client, small)
    with django_assert_num_queries(expected):
        client.get(reverse("case_detail", args=[large.public_id]))


def test_the_case_page_costs_the_same_queries_for_1_or_10_contacts(cast, client_for, django_assert_num_queries):
    few, many = (make_case(cast.supervisor, worker=cast.worker, opened_days_ago=20) for _ in range(2))
    for case, count in ((few, 1), (many, 10)):
        people = [member.person for member in case.members.all()]
        for n in range(count):
            services.contact_record(
                actor=cast.worker,
                case=case,
                occurred_at=timezone.now() - timedelta(days=n, hours=1),
                contact_type="face_to_face" if n % 2 == 0 else "phone",
                location="residence",
                people_seen=people[: 1 + n % len(people)],
                narrative=f"Visit {n}",
            )
    contact = many.contacts.first()
    services.contact_amend(actor=cast.worker, contact=contact, field="next_steps", value="Call school", reason="Typo")
    client = client_for(cast.worker)
    expected = query_count(client, few)
    with django_assert_num_queries(expected):
        page = client.get(reverse("case_detail", args=[many.public_id])).content.decode()
    assert page.count(reverse("contact_detail", args=[contact.public_id])) == 1
    assert page.count('class="amended"') == 1


# Members


def test_a_worker_adds_someone_found_on_record_to_the_case(cast, client_for, case):
    baby = make_relative(
        cast.screener, of=case.members.get(role="parent").person, first_name="Nnamdi", last_name="Okafor", age=0
    )
    url = reverse("case_member_add", args=[case.public_id])
    client = client_for(cast.worker)
    assert "Nnamdi Okafor" in client.get(url, {"q": "Nnamdi Okafor"}).content.decode()
    response = client.post(f"{url}?q=Nnamdi+Okafor", {"person": str(baby.public_id), "role": "child"})
    assert response.status_code == 302
    assert case.members.get(person=baby).role == "child"


def test_adding_a_member_without_a_role_says_so_and_adds_no_one(cast, client_for, case):
    baby = make_relative(
        cast.screener, of=case.members.get(role="parent").person, first_name="Nnamdi", last_name="Okafor", age=0
    )
    url = reverse("case_member_add", args=[case.public_id])
    response = client_for(cast.worker).post(f"{url}?q=Nnamdi+Okafor", {"person": str(baby.public_id), "role": ""})
    assert response.status_code == 200
    assert "Role on the case: This field is required." in response.content.decode()
    assert not case.members.filter(person=baby).exists()


def test_a_member_who_leaves_is_no_longer_due_and_listed_as_former(cast, client_for, case):
    parent = case.members.get(role="parent")
    client = client_for(cast.worker)
    url = reverse("case_member_end", args=[case.public_id, parent.public_id])
    empty = client.post(url, {"ended_on": timezone.localdate().isoformat(), "reason": ""})
    assert "This field is required." in empty.content.decode()
    client.post(url, {"ended_on": timezone.localdate().isoformat(), "reason": "Moved out of state"})
    parent.refresh_from_db()
    assert parent.ended_on == timezone.localdate()
    assert not parent.requires_visit
    assert "Former members" in page_of(client, case)


def test_a_member_cannot_leave_twice(cast, client_for, case):
    parent = case.members.get(role="parent")
    services.case_end_member(actor=cast.worker, member=parent, ended_on=timezone.localdate(), reason="Moved")
    response = client_for(cast.worker).post(
        reverse("case_member_end", args=[case.public_id, parent.public_id]),
        {"ended_on": timezone.localdate().isoformat(), "reason": "Again"},
    )
    assert "already left the case" in response.content.decode()


def test_the_supervisor_excuses_a_parent_and_requires_visits_again(cast, client_for, case):
    parent = case.members.get(role="parent")
    client = client_for(cast.supervisor)
    client.post(
        reverse("case_member_excuse", args=[case.public_id, parent.public_id]),
        {"reason": "Whereabouts unknown", "diligent_search_note": "Jail, DMV, last employer"},
    )
    parent.refresh_from_db()
    assert not parent.must_be_seen
    assert parent.diligent_search_note == "Jail, DMV, last employer"
    client.post(reverse("case_member_require", args=[case.public_id, parent.public_id]), {"reason": "Found"})
    parent.refresh_from_db()
    assert parent.must_be_seen


@pytest.mark.parametrize("name", ["case_member_excuse", "case_member_require"])
def test_a_caseworker_cannot_excuse_anyone_from_visits(cast, client_for, case, name):
    parent = case.members.get(role="parent")
    url = reverse(name, args=[case.public_id, parent.public_id])
    client = client_for(cast.worker)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Whereabouts unknown"}).status_code == 403
    parent.refresh_from_db()
    assert parent.must_be_seen


# Workers


def test_the_supervisor_reassigns_the_case_and_access_moves_with_it(cast, client_for, case, second_worker):
    url = reverse("case_assign", args=[case.public_id])
    page = client_for(cast.supervisor).get(url).content.decode()
    assert 'name="revoke_grants"' in page
    assert 'name="revoke_grants" id="id_revoke_grants" checked' not in page
    response = client_for(cast.supervisor).post(url, {"role": "primary", "worker": str(second_worker.public_id)})
    assert response.status_code == 302
    assert case.assignments.get(ended_at__isnull=True).worker == second_worker
    assert CaseAssignment.objects.filter(case=case, worker=cast.worker, ended_at__isnull=False).exists()
    assert Notification.objects.filter(recipient=second_worker).exists()
    assert client_for(cast.worker).get(reverse("case_detail", args=[case.public_id])).status_code == 404
    assert client_for(second_worker).get(reverse("case_detail", args=[case.public_id])).status_code == 200


def test_the_primary_worker_cannot_be_made_secondary_leaving_no_primary(cast, client_for, case):
    response = client_for(cast.supervisor).post(
        reverse("case_assign", args=[case.public_id]), {"role": "secondary", "worker": str(cast.worker.public_id)}
    )
    assert "assign another primary worker first" in response.content.decode()
    assert case.assignments.get(ended_at__isnull=True).role == "primary"


def test_the_supervisor_moves_all_open_cases_of_a_departing_worker(cast, client_for, case, second_worker):
    make_case(cast.supervisor, worker=cast.worker)
    closed = make_case(cast.supervisor, worker=cast.worker)
    services.case_request_closure(actor=cast.worker, case=closed, reason="reunified")
    services.case_approve_closure(actor=cast.supervisor, case=closed)
    client = client_for(cast.supervisor)
    assert "2 open cases" in client.get(reverse("cases_reassign")).content.decode()
    response = client.post(
        reverse("cases_reassign"),
        {"from_worker": str(cast.worker.public_id), "to_worker": str(second_worker.public_id)},
        follow=True,
    )
    assert f"Moved 2 open cases from {cast.worker.display_name} to {second_worker.display_name}." in (
        response.content.decode()
    )
    assert CaseAssignment.objects.filter(worker=second_worker, ended_at__isnull=True).count() == 2
    assert CaseAssignment.objects.filter(worker=cast.worker, case=closed, ended_at__isnull=True).exists()


def test_moving_cases_to_the_same_worker_is_refused(cast, client_for, case):
    worker = str(cast.worker.public_id)
    response = client_for(cast.supervisor).post(reverse("cases_reassign"), {"from_worker": worker, "to_worker": worker})
    assert "Choose a different worker." in response.content.decode()


@pytest.mark.parametrize("who", ["worker", "program_manager", "auditor", "administrator"])
def test_only_supervisors_move_a_workers_cases(cast, client_for, who):
    assert client_for(getattr(cast, who)).get(reverse("cases_reassign")).status_code == 403


# Closure, reopening, notes


def test_the_worker_requests_closure_and_the_supervisor_returns_then_approves_it(cast, client_for, case):
    worker, supervisor = client_for(cast.worker), None
    request_url = reverse("case_request_closure", args=[case.public_id])
    incomplete = worker.post(request_url, {"closure_reason": "other", "closure_note": ""})
    assert "Explain the reason &#x27;other&#x27;." in incomplete.content.decode()
    worker.post(request_url, {"closure_reason": "reunified", "closure_note": "Home safe for 6 months"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED

    supervisor = client_for(cast.supervisor)
    review_url = reverse("case_review_closure", args=[case.public_id])
    assert "Home safe for 6 months" in supervisor.get(review_url).content.decode()
    unexplained = supervisor.post(review_url, {"outcome": "return", "comment": ""})
    assert "Say what needs to happen before the case can close." in unexplained.content.decode()
    supervisor.post(review_url, {"outcome": "return", "comment": "Update the safety plan first"})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert "Update the safety plan first" in page_of(supervisor, case)

    services.case_request_closure(actor=cast.worker, case=case, reason="reunified")
    supervisor.post(review_url, {"outcome": "approve", "comment": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_supervisor_reopens_a_closed_case_with_a_reason(cast, client_for, case):
    services.case_request_closure(actor=cast.worker, case=case, reason="reunified")
    services.case_approve_closure(actor=cast.supervisor, case=case)
    client = client_for(cast.supervisor)
    url = reverse("case_reopen", args=[case.public_id])
    assert "This field is required." in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "New report on the family"})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.members.filter(requires_visit=True).count() == 3


@pytest.mark.parametrize("name", ["case_review_closure", "case_reopen", "case_assign"])
def test_a_caseworker_may_not_make_the_supervisors_decisions(cast, client_for, case, name):
    assert client_for(cast.worker).get(reverse(name, args=[case.public_id])).status_code == 403


def test_a_note_is_added_and_an_empty_one_refused(cast, client_for, case):
    client = client_for(cast.worker)
    url = reverse("case_note_add", args=[case.public_id])
    assert "This field is required." in client.post(url, {"text": ""}).content.decode()
    assert not CaseNote.objects.exists()
    response = client.post(url, {"text": "School meeting set for Friday."}, follow=True)
    assert "School meeting set for Friday." in response.content.decode()


CHANGE_PAGES = [
    "case_member_add",
    "case_assign",
    "case_request_closure",
    "case_review_closure",
    "case_reopen",
    "case_note_add",
    "contact_create",
]


@pytest.mark.parametrize("name", CHANGE_PAGES)
@pytest.mark.parametrize("role", ["program_manager", "auditor"])
def test_managers_and_auditors_read_but_may_not_change_the_case(cast, client_for, case, name, role):
    client = client_for(cast.by_role()[role])
    assert client.get(reverse(name, args=[case.public_id])).status_code == 403
    assert client.post(reverse(name, args=[case.public_id]), {}).status_code == 403


@pytest.mark.parametrize("name", CHANGE_PAGES)
@pytest.mark.parametrize("who", ["administrator", "other_worker", "other_supervisor"])
def test_those_who_may_not_see_the_case_get_not_found_on_every_page(cast, client_for, case, name, who):
    assert client_for(getattr(cast, who)).get(reverse(name, args=[case.public_id])).status_code == 404


def test_it_shows_why_a_former_member_left_on_the_case_page_and_in_the_api(cast, client_for, api_for, case):
    parent = case.members.get(role="parent")
    client = client_for(cast.worker)
    url = reverse("case_member_end", args=[case.public_id, parent.public_id])
    client.post(url, {"ended_on": timezone.localdate().isoformat(), "reason": "Moved out of state with her sister"})
    parent.refresh_from_db()
    assert parent.end_reason == "Moved out of state with her sister"
    page = page_of(client, case)
    former = page[page.index("Former members") :]
    assert parent.person.full_name in former and "Why they left: Moved out of state with her sister" in former
    members = api_for(cast.worker).get(reverse("api_case_members", args=[case.public_id])).json()
    listed = next(member for member in members if member["id"] == str(parent.public_id))
    assert listed["end_reason"] == "Moved out of state with her sister"
