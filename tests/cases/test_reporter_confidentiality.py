"""The reporter's identity: intake, supervisors and readers across units see it, every time on the record;
the assigned caseworker sees the report but never who made it, on the page or through the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent
from cases import services
from tests.factories import make_person

pytestmark = pytest.mark.django_db

REPORTER = "Philippa Lindqvist-Oyelaran"
VIEWED = "cases.intakereport.reporter_viewed"


@pytest.fixture
def report(cast, screened_in):
    """Screened in, assigned to cast.worker; the reporter is also on the report as a person."""
    services.report_amend(
        actor=cast.screener, report=screened_in, field="reporter_name", value=REPORTER, reason="Spelling"
    )
    reporter = make_person(cast.screener, first_name="Philippa", last_name="Lindqvist-Oyelaran", age=41)
    screened_in.participants.create(person=reporter, role="reporter")
    screened_in.refresh_from_db()
    return screened_in


def reporter_views(user, report) -> int:
    return AuditEvent.objects.filter(action=VIEWED, actor=user, target_id=str(report.public_id)).count()


@pytest.mark.parametrize("who", ["screener", "supervisor", "program_manager", "auditor"])
def test_intake_supervisors_and_readers_see_the_reporter_and_each_view_is_recorded(cast, client_for, report, who):
    user = getattr(cast, who)
    client = client_for(user)
    for times in (1, 2):
        html = client.get(reverse("intake_detail", args=[report.public_id])).content.decode()
        assert REPORTER in html
        assert "Reporter: confidential" not in html
        assert reporter_views(user, report) == times


def test_the_assigned_caseworker_sees_the_report_but_not_the_reporter(cast, client_for, report):
    response = client_for(cast.worker).get(reverse("intake_detail", args=[report.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert report.narrative in html
    assert "Reporter: confidential" in html
    assert "Lindqvist" not in html
    assert "Mandated reporter" not in html
    assert "Spelling" not in html
    assert reporter_views(cast.worker, report) == 0
    assert AuditEvent.objects.filter(action="cases.intakereport.viewed", actor=cast.worker).count() == 1


def test_the_api_leaves_the_reporter_out_for_the_caseworker(cast, api_for, report):
    api = api_for(cast.worker)
    body = api.get(reverse("api_intake_report_detail", args=[report.public_id])).json()
    assert body["narrative"] == report.narrative
    assert not [key for key in body if key.startswith("reporter_")]
    assert "Lindqvist" not in str(body)
    people = api.get(reverse("api_intake_report_people", args=[report.public_id])).json()
    assert "reporter" not in [row["role"] for row in people]
    assert "Lindqvist" not in str(people)
    assert reporter_views(cast.worker, report) == 0


def test_the_api_shows_the_reporter_to_the_supervisor_and_records_it(cast, api_for, report):
    api = api_for(cast.supervisor)
    body = api.get(reverse("api_intake_report_detail", args=[report.public_id])).json()
    assert body["reporter_name"] == REPORTER
    assert reporter_views(cast.supervisor, report) == 1
    people = api.get(reverse("api_intake_report_people", args=[report.public_id])).json()
    assert "reporter" in [row["role"] for row in people]
    assert reporter_views(cast.supervisor, report) == 2


def test_the_caseworker_cannot_change_or_amend_the_reporter(cast, client_for, api_for, report):
    with pytest.raises(PermissionDenied):
        services.report_amend(actor=cast.worker, report=report, field="reporter_name", value="X", reason="Guess")
    page = client_for(cast.worker).get(reverse("intake_amend", args=[report.public_id])).content.decode()
    assert 'value="narrative"' in page
    assert 'value="reporter_name"' not in page
    response = api_for(cast.worker).post(
        reverse("api_intake_report_amend", args=[report.public_id]),
        {"field": "reporter_phone", "value": "555-0100", "reason": "Guess"},
        format="json",
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.reporter_phone == ""


def test_the_audit_log_records_that_the_reporter_changed_never_the_values(cast, client_for):
    report = services.report_create(actor=cast.screener, reporter_name="Ignatius Brennan-Oduya", method="phone")
    client_for(cast.screener).post(
        reverse("intake_edit_section", args=[report.public_id, "reporter"]),
        {"reporter_name": "Ignatius Brennan", "reporter_phone": "555-0199", "reporter_email": "ib@example.org"},
    )
    report.refresh_from_db()
    assert report.reporter_name == "Ignatius Brennan"
    update = AuditEvent.objects.get(action="cases.intakereport.updated", target_id=str(report.public_id))
    assert {"reporter_name", "reporter_phone"} <= set(update.changes["fields"])
    logged = " ".join(
        f"{event.changes} {event.reason} {event.target_label}"
        for event in AuditEvent.objects.filter(target_id=str(report.public_id))
    )
    for secret in ("Ignatius", "Brennan", "555-0199", "ib@example.org"):
        assert secret not in logged


def test_an_amended_reporter_value_stays_out_of_the_audit_log(cast, report):
    event = AuditEvent.objects.get(action="cases.intakereport.amended", target_id=str(report.public_id))
    assert event.changes == {"field": "reporter_name", "reason_given": True}
    assert REPORTER not in f"{event.changes} {event.reason}"


def test_notifications_and_the_queue_never_name_the_reporter(cast, client_for, report):
    from accounts.models import Notification

    assert not Notification.objects.filter(message__contains="Lindqvist").exists()
    html = client_for(cast.supervisor).get(reverse("intake_queue")).content.decode()
    assert "Lindqvist" not in html


# The report source ("parent", "alleged victim") says who reported: it is hidden with the reporter.

SOURCE = "Friend or neighbor"


@pytest.fixture
def neighbor_report(cast, report):
    services.report_amend(
        actor=cast.screener, report=report, field="report_source", value="friend_neighbor", reason="Misheard"
    )
    report.refresh_from_db()
    return report


def test_the_caseworker_never_learns_the_report_source(cast, client_for, api_for, neighbor_report):
    html = client_for(cast.worker).get(reverse("intake_detail", args=[neighbor_report.public_id])).content.decode()
    assert SOURCE not in html and "Misheard" not in html
    api = api_for(cast.worker)
    body = api.get(reverse("api_intake_report_detail", args=[neighbor_report.public_id])).json()
    assert "report_source" not in body
    assert all(amendment["field"] != "report_source" for amendment in body["amendments"])
    with pytest.raises(PermissionDenied):
        services.report_amend(
            actor=cast.worker, report=neighbor_report, field="report_source", value="parent", reason="Guess"
        )
    amend_page = client_for(cast.worker).get(reverse("intake_amend", args=[neighbor_report.public_id])).content.decode()
    assert 'value="report_source"' not in amend_page


def test_those_who_read_the_reporter_read_the_report_source(cast, client_for, api_for, neighbor_report):
    html = client_for(cast.supervisor).get(reverse("intake_detail", args=[neighbor_report.public_id])).content.decode()
    assert SOURCE in html
    body = api_for(cast.supervisor).get(reverse("api_intake_report_detail", args=[neighbor_report.public_id])).json()
    assert body["report_source"] == "friend_neighbor"


def test_the_django_admin_shows_no_reporter_field(rf, cast):
    from django.contrib import admin

    from cases.models import IntakeReport

    request = rf.get("/")
    request.user = cast.administrator
    shown = set(admin.site._registry[IntakeReport].get_fields(request))
    assert not [name for name in shown if name == "report_source" or name.startswith("reporter_")]
    assert "narrative" in shown
