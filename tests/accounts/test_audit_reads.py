"""Every read is audited: one record shown is one row, a list shown is ONE row naming every record on it,
and "who viewed this child" counts both."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audit import SEVERAL, describe
from accounts.models import AuditEvent, User
from accounts.roles import Clearance, Role
from cases.models import CaseMember
from tests.factories import make_case, make_person, make_report, make_staff

pytestmark = pytest.mark.django_db

FAMILY = "Quillfeather"


def new_events(since: int) -> list[AuditEvent]:
    """The audit rows written after the row with id `since`, oldest first."""
    return list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def named(event: AuditEvent, target_type: str) -> list[str]:
    return event.changes["ids"].get(target_type, [])


@pytest.fixture
def twenty_five(cast):
    return [make_person(cast.screener, last_name=FAMILY, age=5 + number % 10) for number in range(25)]


@pytest.fixture
def case(cast):
    return make_case(cast.supervisor, worker=cast.worker, children=2)


# One record shown


def test_the_edit_page_of_a_record_is_a_read(cast, client_for):
    person = make_person(cast.screener, age=30)
    client = client_for(cast.screener)
    before = last_id()
    response = client.get(reverse("person_edit", args=[person.public_id]))
    assert response.status_code == 200
    [event] = new_events(before)
    assert (event.action, event.target_id, event.actor) == (
        "families.person.viewed",
        str(person.public_id),
        cast.screener,
    )


def test_the_answer_to_a_patch_is_a_read_beside_the_change(cast, api_for):
    person = make_person(cast.screener, age=30)
    api = api_for(cast.screener)
    before = last_id()
    response = api.patch(reverse("api_person_detail", args=[person.public_id]), {"phone": "555-0142"}, format="json")
    assert response.status_code == 200, response.content
    assert [event.action for event in new_events(before)] == ["families.person.viewed", "families.person.updated"]


def test_a_read_only_role_refused_the_edit_page_leaves_no_read(cast, client_for, case):
    client = client_for(cast.program_manager)
    before = last_id()
    assert client.get(reverse("case_assign", args=[case.public_id])).status_code == 403
    assert new_events(before) == []


def test_the_django_admin_detail_page_of_a_case_record_is_a_read(cast, client, case):
    User.objects.filter(pk=cast.auditor.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=cast.auditor.pk))
    before = last_id()
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    [event] = new_events(before)
    assert (event.action, event.target_id) == ("cases.case.viewed", str(case.public_id))

    before = last_id()
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200
    [listed] = new_events(before)
    assert listed.action == "cases.case.listed" and named(listed, "cases.case") == [str(case.public_id)]


# A list shown: one row, naming every record on it


def test_a_search_page_of_25_people_writes_one_row_naming_all_25(cast, client_for, twenty_five):
    client = client_for(cast.screener)
    before = last_id()
    response = client.get(reverse("person_search"), {"name": FAMILY})
    assert len(response.context["results"]) == 25
    [event] = new_events(before)
    assert (event.action, event.target_type, event.changes["count"]) == (
        "families.person.listed",
        "families.person",
        25,
    )
    assert set(named(event, "families.person")) == {str(person.public_id) for person in twenty_five}
    assert describe(event) == f"{cast.screener.display_name} viewed a list of 25 people (People search)."


def test_an_api_list_writes_one_row_naming_what_it_answered(cast, api_for, twenty_five):
    api = api_for(cast.screener)
    before = last_id()
    response = api.get(reverse("api_person_list"), {"name": FAMILY})
    assert response.status_code == 200
    [event] = new_events(before)
    assert event.action == "families.person.listed" and event.changes["count"] == 25
    assert set(named(event, "families.person")) == {row["id"] for row in response.json()["results"]}
    assert event.target_label == "API: Person List Create"


def test_an_empty_list_still_writes_its_one_row(cast, api_for):
    api = api_for(cast.worker)
    before = last_id()
    assert api.get(reverse("api_case_list")).json()["count"] == 0
    [event] = new_events(before)
    assert (event.action, event.changes) == ("cases.case.listed", {"ids": {}, "count": 0})


def test_the_intake_queue_writes_one_row(cast, client_for):
    reports = [make_report(cast.screener) for _ in range(3)]
    client = client_for(cast.screener)
    before = last_id()
    assert client.get(reverse("intake_queue")).status_code == 200
    [event] = new_events(before)
    assert event.action == "cases.intakereport.listed"
    assert {str(report.public_id) for report in reports} <= set(named(event, "cases.intakereport"))


def test_my_work_writes_one_row_naming_its_cases_and_the_children_shown(cast, client_for):
    case = make_case(cast.supervisor, worker=cast.worker, children=2, opened_days_ago=45)  # overdue for visits
    client = client_for(cast.worker)
    before = last_id()
    assert client.get(reverse("my_work")).status_code == 200
    [event] = new_events(before)
    assert event.target_type == SEVERAL and event.target_label == "My work"
    assert named(event, "cases.case") == [str(case.public_id)]
    people = {str(member.person.public_id) for member in case.members.select_related("person")}
    assert set(named(event, "families.person")) <= people and named(event, "families.person")


def test_a_dashboard_drilldown_writes_one_row_naming_the_people_listed(cast, client_for, case):
    client = client_for(cast.supervisor)
    before = last_id()
    response = client.get(reverse("dashboard_drilldown", args=["children"]))
    assert response.status_code == 200
    [event] = new_events(before)
    children = CaseMember.objects.filter(case=case, role="child").select_related("person")
    assert event.action == "cases.casemember.listed" and event.changes["count"] == 2
    assert set(named(event, "families.person")) == {str(child.person.public_id) for child in children}
    assert event.target_label.startswith("Dashboard: ")


def test_reading_the_audit_log_is_itself_audited(cast, client_for, api_for):
    client, api = client_for(cast.auditor), api_for(cast.auditor)
    before = last_id()
    response = client.get(reverse("audit_list"))
    [event] = new_events(before)
    shown = [str(row.public_id) for row, _ in response.context["rows"]]
    assert event.action == "accounts.auditevent.listed" and named(event, "accounts.auditevent") == shown

    before = last_id()
    api.get(reverse("api_audit_events"))
    assert [event.action for event in new_events(before)] == ["accounts.auditevent.listed"]


def test_a_list_page_grows_by_exactly_one_insert(cast, client_for, twenty_five):
    client = client_for(cast.screener)
    client.get(reverse("person_search"), {"name": FAMILY})
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("person_search"), {"name": FAMILY})
    inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "accounts_auditevent" in inserts[0]


# Who viewed this child


def test_who_viewed_a_person_counts_the_lists_that_showed_them(cast, client_for, twenty_five):
    child = twenty_five[0]
    client_for(cast.screener).get(reverse("person_search"), {"name": FAMILY})
    client_for(cast.screener).get(reverse("person_detail", args=[child.public_id]))
    response = client_for(cast.auditor).get(reverse("audit_target", args=["families.person", child.public_id]))
    actions = [event.action for event, _ in response.context["history"]]
    assert "families.person.viewed" in actions and "families.person.listed" in actions
    assert f"{cast.screener.display_name} viewed a list of 25 people (People search)." in response.text
    other = twenty_five[1]
    history = client_for(cast.auditor).get(reverse("audit_target", args=["families.person", other.public_id]))
    assert [event.action for event, _ in history.context["history"]].count("families.person.viewed") == 0


def test_who_viewed_a_case_is_linked_from_its_page_for_auditors(cast, client_for, case):
    history = reverse("audit_target", args=["cases.case", case.public_id])
    assert history in client_for(cast.auditor).get(reverse("case_detail", args=[case.public_id])).text
    assert history not in client_for(cast.supervisor).get(reverse("case_detail", args=[case.public_id])).text


def test_the_history_of_a_restricted_record_is_shown_only_to_readers_cleared_for_it(cast, client_for):
    cleared_worker = make_staff("cleared-worker", Role.CASEWORKER, unit=cast.unit, clearance_sensitive=True)
    sensitive = make_case(
        cast.supervisor,
        worker=cleared_worker,
        access_restriction=Clearance.SENSITIVE,
        restriction_reason="Staff family",
    )
    client_for(cast.supervisor).get(reverse("case_detail", args=[sensitive.public_id]))
    url = reverse("audit_target", args=["cases.case", sensitive.public_id])
    uncleared = client_for(cast.auditor).get(url)
    assert uncleared.status_code == 200 and uncleared.context["history"] == []
    assert sensitive.reference not in uncleared.text
    cleared = make_staff("cleared-auditor", Role.AUDITOR, clearance_sensitive=True)
    history = client_for(cleared).get(url).context["history"]
    assert "cases.case.viewed" in [event.action for event, _ in history]
