"""The intake pages: the queue, a report's page, entry section by section, and the decisions."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from cases import services
from cases.choices import ReportStatus
from cases.models import IntakeReport
from cases.selectors import intake as intake_selectors
from families.models import Person
from tests.factories import make_person, make_report

pytestmark = pytest.mark.django_db


def url(name: str, report, *args) -> str:
    return reverse(name, args=[report.public_id, *args])


def section(report, name: str) -> str:
    return url("intake_edit_section", report, name)


def report_fields(report, **changes) -> dict:
    """The report section's form as the browser would post it."""
    local = timezone.localtime(report.received_at)
    data = {
        "received_at": local.strftime("%Y-%m-%dT%H:%M"),
        "method": report.method,
        "report_source": report.report_source,
        "incident_date": "",
        "incident_address": report.incident_address,
        "children_location": report.children_location,
        "narrative": report.narrative,
        "safety_notes": "",
        "access_restriction": report.access_restriction,
        "restriction_reason": "",
        "then": "detail",
    }
    return {**data, **changes}


# The queue


def test_the_queue_lists_open_reports_with_what_a_screener_needs(cast, client_for):
    report = make_report(cast.screener)
    services.report_submit(actor=cast.screener, report=report)
    response = client_for(cast.screener).get(reverse("intake_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert url("intake_detail", report) in html
    assert "Awaiting screening decision" in html
    assert cast.screener.display_name in html
    assert "ago" in html
    assert reverse("intake_create") in html


def test_the_queue_filters_by_tab(cast, client_for):
    draft = make_report(cast.screener)
    submitted = make_report(cast.screener)
    services.report_submit(actor=cast.screener, report=submitted)
    client = client_for(cast.screener)
    drafts = client.get(reverse("intake_queue"), {"status": "draft"}).content.decode()
    assert url("intake_detail", draft) in drafts
    assert url("intake_detail", submitted) not in drafts
    waiting = client.get(reverse("intake_queue"), {"status": "awaiting_decision"}).content.decode()
    assert url("intake_detail", submitted) in waiting
    assert url("intake_detail", draft) not in waiting


def test_a_supervisor_sees_their_units_reports_and_their_approvals_first(cast, client_for):
    older = make_report(cast.screener, received_at=timezone.now() - timedelta(days=2))
    to_approve = make_report(cast.screener)
    services.report_screen_out(actor=cast.screener, report=to_approve, reason="duplicate")
    downgrade = make_report(cast.screener)
    services.report_screen_in(actor=cast.screener, report=downgrade, response_priority="immediate")
    services.report_change_priority(actor=cast.screener, report=downgrade, response_priority="10_days", reason="Calm")
    html = client_for(cast.supervisor).get(reverse("intake_queue")).content.decode()
    positions = [html.index(url("intake_detail", report)) for report in (to_approve, downgrade, older)]
    assert positions[0] < positions[2] and positions[1] < positions[2]
    assert "Your approval" in html
    other = client_for(cast.other_supervisor).get(reverse("intake_queue")).content.decode()
    assert url("intake_detail", older) not in other


def test_a_caseworker_has_no_intake_queue(cast, client_for):
    assert client_for(cast.worker).get(reverse("intake_queue")).status_code == 403


def test_the_queue_costs_the_same_queries_for_2_and_12_reports(cast, client_for):
    client = client_for(cast.supervisor)
    for _ in range(2):
        services.report_screen_out(actor=cast.screener, report=make_report(cast.screener), reason="duplicate")
    client.get(reverse("intake_queue"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("intake_queue")).status_code == 200
        return len(captured)

    with_two = queries()
    for _ in range(10):
        services.report_screen_out(actor=cast.screener, report=make_report(cast.screener), reason="duplicate")
    assert IntakeReport.objects.count() == 12
    assert queries() == with_two


# Starting a report


def test_a_screener_starts_a_draft_and_lands_on_its_first_section(cast, client_for):
    client = client_for(cast.screener)
    assert client.get(reverse("intake_create")).status_code == 200
    received = timezone.localtime() - timedelta(minutes=20)
    response = client.post(
        reverse("intake_create"),
        {"received_at": received.strftime("%Y-%m-%dT%H:%M"), "method": "phone", "report_source": "education"},
    )
    report = IntakeReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == section(report, "report")
    assert report.status == ReportStatus.DRAFT
    assert report.created_by == cast.screener and report.unit == cast.unit
    assert report.received_at == received.replace(second=0, microsecond=0)


def test_only_screeners_start_reports(cast, client_for):
    for user in (cast.worker, cast.supervisor, cast.program_manager, cast.auditor, cast.administrator):
        assert client_for(user).get(reverse("intake_create")).status_code == 403
        assert client_for(user).post(reverse("intake_create"), {"method": "phone"}).status_code == 403
    assert not IntakeReport.objects.exists()


# The report's page


def test_the_report_page_shows_every_section(cast, client_for):
    report = make_report(cast.screener, incident_address="12 Elm Street", safety_alerts=["firearms"])
    unknown = services.allegation_add(
        actor=cast.screener,
        report=report,
        victim=report.allegations.get().victim,
        perpetrator=None,
        maltreatment_type="emotional",
    )
    withdrawn = report.allegations.exclude(pk=unknown.pk).get()
    services.allegation_withdraw(actor=cast.screener, allegation=withdrawn, reason="Entered twice")
    response = client_for(cast.screener).get(url("intake_detail", report))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        report.narrative,
        "12 Elm Street",
        "Firearms in the home",
        "unknown perpetrator",
        "Entered twice",
        withdrawn.victim.full_name,
        "Alleged perpetrator",
        report.reporter_name,
    ):
        assert text in html
    assert "<del>" in html
    assert url("intake_submit", report) in html
    assert section(report, "report") in html


def test_the_report_page_links_the_investigation_once_screened_in(cast, client_for, investigation):
    html = client_for(cast.supervisor).get(url("intake_detail", investigation.report)).content.decode()
    assert reverse("investigation_detail", args=[investigation.public_id]) in html
    assert "First contact due" in html
    assert url("intake_amend", investigation.report) in html
    assert url("intake_priority", investigation.report) in html


def test_every_view_of_a_report_is_audited(cast, client_for, report):
    client_for(cast.auditor).get(url("intake_detail", report))
    assert AuditEvent.objects.filter(
        action="cases.intakereport.viewed", actor=cast.auditor, target_id=str(report.public_id)
    ).exists()


# Entering the report, section by section


def test_saving_a_section_stores_it_and_confirms_the_draft(cast, client_for, report):
    client = client_for(cast.screener)
    page = client.get(section(report, "report")).content.decode()
    assert 'data-draft-key="intake:' in page
    assert 'type="datetime-local"' in page
    response = client.post(
        section(report, "report"),
        report_fields(report, narrative="The children were alone all weekend.", safety_alerts=["dangerous_animal"]),
    )
    assert response.status_code == 302 and response["Location"] == url("intake_detail", report)
    report.refresh_from_db()
    assert report.narrative == "The children were alone all weekend."
    assert report.safety_alerts == ["dangerous_animal"]
    confirmed = client.get(response["Location"]).content.decode()
    assert f'data-draft-saved="intake:{cast.screener.public_id}:{report.public_id}:report"' in confirmed
    assert "data-draft-saved" not in client.get(response["Location"]).content.decode()


def test_an_untouched_received_time_is_not_changed_by_a_save(cast, client_for):
    received = (timezone.now() - timedelta(hours=2)).replace(second=17)
    report = make_report(cast.screener, received_at=received)
    client_for(cast.screener).post(section(report, "report"), report_fields(report, narrative="More detail."))
    report.refresh_from_db()
    assert report.received_at == received
    update = AuditEvent.objects.get(action="cases.intakereport.updated")
    assert update.changes == {"fields": ["narrative"]}


def test_received_time_is_typed_and_shown_in_the_agency_time_zone(cast, client_for, report):
    client = client_for(cast.screener)
    client.post(section(report, "report"), report_fields(report, received_at="2024-03-10T01:30"))
    report.refresh_from_db()
    agency = ZoneInfo(settings.TIME_ZONE)
    assert report.received_at == timezone.datetime(2024, 3, 10, 1, 30, tzinfo=agency)
    assert 'value="2024-03-10T01:30"' in client.get(section(report, "report")).content.decode()


def test_a_refused_save_keeps_what_was_typed_and_saves_nothing(cast, client_for, report):
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    typed = "The neighbour heard screaming late at night & called twice."
    response = client_for(cast.screener).post(
        section(report, "report"), report_fields(report, received_at=future, narrative=typed)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The report cannot have been received in the future." in html
    assert "The neighbour heard screaming late at night &amp; called twice." in html
    assert f'value="{future}"' in html
    report.refresh_from_db()
    assert report.narrative != typed
    assert not AuditEvent.objects.filter(action="cases.intakereport.updated").exists()


def test_a_restriction_without_a_reason_is_shown_on_its_field(cast, client_for, report):
    response = client_for(cast.screener).post(
        section(report, "report"), report_fields(report, access_restriction="sensitive")
    )
    assert response.status_code == 200
    assert "Say why access to this report is restricted." in response.content.decode()
    report.refresh_from_db()
    assert report.access_restriction == "none"


def test_the_reporter_section_saves_the_reporter(cast, client_for, report):
    client = client_for(cast.screener)
    response = client.post(
        section(report, "reporter"),
        {
            "reporter_name": "Dana Whitfield",
            "reporter_relationship": "Teacher",
            "reporter_mandated": "on",
            "then": "next",
        },
    )
    assert response["Location"] == section(report, "people")
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_mandated) == ("Dana Whitfield", True)


def test_a_person_found_by_search_is_added_in_a_role(cast, client_for, report):
    grandmother = make_person(cast.screener, first_name="Marguerite", last_name="Okonkwo", age=66)
    client = client_for(cast.screener)
    html = client.get(section(report, "people"), {"q": "Marguerite Okonkwo"}).content.decode()
    assert "Marguerite Okonkwo" in html
    response = client.post(
        section(report, "people"), {"action": "add", "person": grandmother.public_id, "role": "collateral"}
    )
    assert response.status_code == 302
    assert report.participants.filter(person=grandmother, role="collateral").exists()


def test_a_new_person_is_created_on_the_report(cast, client_for, report):
    response = client_for(cast.screener).post(
        section(report, "people"),
        {"action": "create", "first_name": "Tobias", "last_name": "Quennell", "approximate_age": "5", "sex": "male",
         "role": "alleged_victim"},
    )  # fmt: skip
    assert response.status_code == 302
    person = Person.objects.get(first_name="Tobias")
    assert report.participants.filter(person=person, role="alleged_victim").exists()
    assert person.approximate_age == 5


def test_a_possible_duplicate_offers_the_existing_person_or_a_new_record(cast, client_for, report):
    existing = make_person(cast.screener, first_name="Rosalind", last_name="Featherstone", age=30)
    client = client_for(cast.screener)
    typed = {"action": "create", "first_name": "Rosalind", "last_name": "Featherstone", "sex": "female",
             "role": "parent_caregiver"}  # fmt: skip
    response = client.post(section(report, "people"), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This may be someone already on record" in html
    assert f'value="{existing.public_id}"' in html
    assert 'name="confirmed_not_duplicate"' in html
    assert Person.objects.filter(last_name="Featherstone").count() == 1

    client.post(section(report, "people"), {"action": "add", "person": existing.public_id, "role": "parent_caregiver"})
    assert report.participants.filter(person=existing, role="parent_caregiver").exists()

    client.post(section(report, "people"), {**typed, "confirmed_not_duplicate": "on", "role": "household_member"})
    assert Person.objects.filter(last_name="Featherstone").count() == 2
    assert report.participants.filter(role="household_member", person__last_name="Featherstone").exists()


def test_a_participant_is_removed_unless_an_allegation_names_them(cast, client_for, report):
    client = client_for(cast.screener)
    victim = report.allegations.get().victim
    client.post(section(report, "people"), {"action": "remove", "person": victim.public_id, "role": "alleged_victim"})
    assert report.participants.filter(person=victim, role="alleged_victim").exists()
    neighbour = make_person(cast.screener)
    services.report_add_person(actor=cast.screener, report=report, person=neighbour, role="collateral")
    client.post(section(report, "people"), {"action": "remove", "person": neighbour.public_id, "role": "collateral"})
    assert not report.participants.filter(person=neighbour).exists()


def test_allegations_are_added_with_an_unknown_perpetrator_and_withdrawn_with_a_reason(cast, client_for, report):
    client = client_for(cast.screener)
    victim = report.allegations.get().victim
    page = client.get(section(report, "allegations")).content.decode()
    assert "Unknown" in page and victim.full_name in page
    client.post(
        section(report, "allegations"),
        {"action": "add", "victim": victim.public_id, "perpetrator": "", "maltreatment_type": "medical_neglect"},
    )
    added = report.allegations.get(maltreatment_type="medical_neglect")
    assert added.perpetrator is None

    refused = client.post(section(report, "allegations"), {"action": "withdraw", "allegation": added.public_id})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    client.post(
        section(report, "allegations"), {"action": "withdraw", "allegation": added.public_id, "reason": "Duplicate"}
    )
    added.refresh_from_db()
    assert added.withdrawn_at is not None and added.withdrawal_reason == "Duplicate"


def test_a_final_report_offers_an_amendment_instead_of_its_sections(cast, client_for, screened_in):
    response = client_for(cast.screener).get(section(screened_in, "report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" not in html.split("<main>")[1]
    assert url("intake_amend", screened_in) in html
    refused = client_for(cast.screener).post(section(screened_in, "report"), report_fields(screened_in, narrative="x"))
    assert refused.status_code == 200
    screened_in.refresh_from_db()
    assert screened_in.narrative != "x"


def test_an_unknown_section_is_not_found(cast, client_for, report):
    assert client_for(cast.screener).get(section(report, "finances")).status_code == 404


# Submitting and deciding


def test_submitting_an_incomplete_report_says_what_is_missing(cast, client_for):
    report = services.report_create(actor=cast.screener, method="phone")
    client = client_for(cast.screener)
    response = client.post(url("intake_submit", report), follow=True)
    assert "Narrative: This is needed before a decision." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_the_decision_page_shows_the_services_reasons(cast, client_for):
    report = make_report(cast.screener, children=0)
    client = client_for(cast.screener)
    response = client.post(url("intake_decide", report), {"decision": "screen_in", "response_priority": "3_days"})
    assert response.status_code == 200
    assert "A screen-in needs at least one allegation whose alleged victim is under 18" in response.content.decode()
    response = client.post(url("intake_decide", report), {"decision": "screen_in", "decision_notes": "Urgent"})
    assert "Choose a response priority." in response.content.decode()
    assert "Urgent" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_screener_screens_in_from_the_decision_page(cast, client_for, report):
    response = client_for(cast.screener).post(
        url("intake_decide", report), {"decision": "screen_in", "response_priority": "immediate"}
    )
    assert response["Location"] == url("intake_detail", report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SCREENED_IN
    assert report.investigation.response_due_at == report.first_contact_due_at


def test_the_supervisor_approves_or_returns_from_the_review_page(cast, client_for):
    approved, returned = make_report(cast.screener), make_report(cast.screener)
    screener = client_for(cast.screener)
    for report in (approved, returned):
        screener.post(url("intake_decide", report), {"decision": "screen_out", "screen_out_reason": "duplicate"})
    supervisor = client_for(cast.supervisor)
    assert supervisor.get(url("intake_review", approved)).status_code == 200
    supervisor.post(url("intake_review", approved), {"outcome": "approve"})
    refused = supervisor.post(url("intake_review", returned), {"outcome": "return", "comment": ""})
    assert "Say what needs to change." in refused.content.decode()
    supervisor.post(url("intake_review", returned), {"outcome": "return", "comment": "Call the school first."})
    approved.refresh_from_db()
    returned.refresh_from_db()
    assert approved.status == ReportStatus.SCREENED_OUT
    assert returned.status == ReportStatus.RETURNED
    html = client_for(cast.screener).get(url("intake_detail", returned)).content.decode()
    assert "Call the school first." in html


def test_the_priority_page_requests_and_the_supervisor_approves_a_downgrade(cast, client_for, screened_in):
    worker = client_for(cast.worker)
    response = worker.post(
        url("intake_priority", screened_in), {"action": "request", "response_priority": "10_days", "reason": "Safe"}
    )
    assert response.status_code == 302
    screened_in.refresh_from_db()
    assert screened_in.requested_priority == "10_days"
    supervisor = client_for(cast.supervisor)
    assert "Approve the lower priority" in supervisor.get(url("intake_priority", screened_in)).content.decode()
    supervisor.post(url("intake_priority", screened_in), {"action": "decide", "outcome": "approve"})
    screened_in.refresh_from_db()
    assert (screened_in.response_priority, screened_in.requested_priority) == ("10_days", "")


# Who may open what


def test_another_units_worker_finds_no_report(cast, client_for, screened_in):
    for name in ("intake_detail", "intake_decide", "intake_amend", "intake_priority"):
        assert client_for(cast.other_worker).get(url(name, screened_in)).status_code == 404


def test_readers_across_units_read_but_do_not_change(cast, client_for, report):
    for reader in (cast.program_manager, cast.auditor):
        client = client_for(reader)
        assert client.get(url("intake_detail", report)).status_code == 200
        assert client.get(section(report, "report")).status_code == 403
        assert client.get(url("intake_decide", report)).status_code == 403
        assert client.post(section(report, "report"), report_fields(report, narrative="x")).status_code == 403
    report.refresh_from_db()
    assert report.narrative != "x"


def test_an_administrator_sees_no_case_content(cast, client_for, report):
    client = client_for(cast.administrator)
    assert client.get(url("intake_detail", report)).status_code == 404
    assert client.get(section(report, "report")).status_code == 404


def test_a_supervisor_reviews_but_does_not_decide(cast, client_for, report):
    client = client_for(cast.supervisor)
    assert client.get(url("intake_decide", report)).status_code == 403
    assert client_for(cast.screener).get(url("intake_review", report)).status_code == 403


def _plan(queryset) -> str:
    """PostgreSQL's plan for the queryset with sequential scans off: which index it can use at all."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_queue_reads_the_waiting_reports_through_their_own_index_not_the_agencys_history(cast, client_for):
    """The queue and its counts filter by the very condition of the partial index of waiting
    reports: changing one without the other makes every view of the queue scan every report ever taken."""
    waiting = intake_selectors.intake_queue(user=cast.screener)
    assert "intake_report_in_queue" in _plan(waiting)
    assert "intake_report_in_queue" in _plan(intake_selectors.intake_queue(user=cast.supervisor))
    # The tabs of decided reports hold the agency's whole history: not counted on each view.
    services.report_screen_out(actor=cast.screener, report=make_report(cast.screener), reason="duplicate")
    counts = intake_selectors.queue_counts(user=cast.screener)
    assert counts["decided"] is None and counts["all"] is None and counts["waiting"] == 1
    html = client_for(cast.screener).get(reverse("intake_queue")).content.decode()
    assert "Screened in or out</a>" in html and "All</a>" in html
