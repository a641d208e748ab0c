"""On a 375 x 812 phone, an investigation from first contact to the ongoing case it opens: the assigned worker sees
each alleged child, assesses safety and risk, records and submits the findings; the supervisor approves them from
the approval queue; the worker asks to close with an ongoing case; the supervisor's approval opens the case."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.choices import CaseStatus
from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from tests.factories import make_investigation

pytestmark = pytest.mark.browser


@pytest.fixture
def investigation(cast) -> Investigation:
    """Two children, both alleged victims of neglect, assigned to the worker two hours after the report came in."""
    return make_investigation(cast.screener, worker=cast.worker, children=2)


def fits(page, horizontal_overflow) -> None:
    assert horizontal_overflow(page) == 0, f"{page.url} is wider than the phone"


def open_from_the_investigation(page, investigation: Investigation, link: str, horizontal_overflow) -> None:
    """Go to the investigation's page and follow one of its buttons, as the worker would."""
    page.goto(reverse("investigation_detail", args=[investigation.public_id]))
    fits(page, horizontal_overflow)
    page.locator("main").get_by_role("link", name=link, exact=True).click()
    fits(page, horizontal_overflow)
    expect(page.locator("main").get_by_role("link", name=investigation.reference)).to_be_visible()


def log_first_contact(page, investigation, child, location: str, horizontal_overflow) -> None:
    open_from_the_investigation(page, investigation, "Log a contact", horizontal_overflow)
    form = page.locator("main form")
    form.locator(f"input[name=people_seen][value='{child.public_id}']").check()
    form.locator("input[name=contact_type][value=face_to_face]").check()
    form.locator(f"input[name=location][value={location}]").check()
    form.locator("input[name=purpose][value=initial]").check()
    form.locator("input[name=seen_privately]").check()
    form.locator("textarea[name=narrative]").fill(f"Saw {child.first_name} alone; talked about meals and school.")
    form.get_by_role("button", name="Save the contact").click()
    expect(page).to_have_url(re.compile(r"/contacts/"))
    expect(page.locator("main")).to_contain_text(child.first_name)


def decide(page, link: str, investigation, horizontal_overflow, comment: str) -> None:
    """The supervisor opens the decision from the investigation's page and approves."""
    open_from_the_investigation(page, investigation, link, horizontal_overflow)
    form = page.locator("main form")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("textarea[name=comment]").fill(comment)
    form.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("investigation_detail", args=[investigation.public_id]))))


def test_the_worker_and_supervisor_take_an_investigation_to_an_ongoing_case_on_a_phone(
    cast, new_page, sign_in, investigation, horizontal_overflow
):
    children = [allegation.victim for allegation in investigation.report.allegations.order_by("id")]
    worker = new_page(phone=True)
    sign_in(worker, cast.worker.username)

    log_first_contact(worker, investigation, children[0], "residence", horizontal_overflow)
    log_first_contact(worker, investigation, children[1], "school", horizontal_overflow)
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.IN_PROGRESS
    assert not investigation.child_deadlines.filter(met_at__isnull=True).exists()

    open_from_the_investigation(worker, investigation, "Safety assessment", horizontal_overflow)
    form = worker.locator("main form")
    for answer in form.locator("input[type=radio][name^=threat_][value=no]").all():
        answer.check()
    form.locator("textarea[name=protective_capacities]").fill("The mother is protective; an aunt helps daily.")
    form.locator("input[name=decision][value=safe]").check()
    form.get_by_role("button", name="Save the safety assessment").click()
    expect(worker).to_have_url(re.compile(r"/safety-assessments/[0-9a-f-]+/$"))
    expect(worker.locator("main")).to_contain_text("Safe")
    fits(worker, horizontal_overflow)

    open_from_the_investigation(worker, investigation, "Risk assessment", horizontal_overflow)
    form = worker.locator("main form")
    for name in sorted(set(form.locator("input[type=radio][name^=item_]").evaluate_all("els => els.map(e => e.name)"))):
        form.locator(f"input[name={name}]").first.check()
    form.get_by_role("button", name="Save the risk assessment").click()
    expect(worker).to_have_url(re.compile(r"/risk-assessments/[0-9a-f-]+/$"))
    expect(worker.locator("main")).to_contain_text("Low")
    fits(worker, horizontal_overflow)

    open_from_the_investigation(worker, investigation, "Record findings", horizontal_overflow)
    form = worker.locator("main form")
    today = timezone.localdate().isoformat()
    for finding in form.locator("select[name^=finding-]").all():
        finding.select_option("substantiated")
    for found_on in form.locator("input[name^=found_on-]").all():
        found_on.fill(today)
    for rationale in form.locator("textarea[name^=rationale-]").all():
        rationale.fill("Both children and the school describe days without food; the kitchen was empty.")
    form.get_by_role("button", name="Save the findings").click()
    open_from_the_investigation(worker, investigation, "Submit findings", horizontal_overflow)
    worker.locator("main form").get_by_role("button", name="Submit for approval").click()
    expect(worker.locator("main")).to_contain_text("Findings submitted")

    supervisor = new_page(phone=True)
    sign_in(supervisor, cast.supervisor.username)
    supervisor.goto(reverse("approval_queue"))
    fits(supervisor, horizontal_overflow)
    expect(supervisor.locator("main")).to_contain_text(investigation.reference)
    decide(supervisor, "Approve or return findings", investigation, horizontal_overflow, "Well documented.")

    open_from_the_investigation(worker, investigation, "Request closure", horizontal_overflow)
    form = worker.locator("main form")
    form.locator("input[name=closure_outcome][value=case_opened]").check()
    form.locator("textarea[name=closure_note]").fill("In-home services: parenting support and a food plan.")
    form.get_by_role("button", name="Request closure").click()
    expect(worker.locator("main")).to_contain_text("Closure requested")

    decide(supervisor, "Approve or return the closure", investigation, horizontal_overflow, "Agreed.")
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.CLOSED
    case = investigation.opened_case
    assert case.status == CaseStatus.OPEN
    assert set(case.members.filter(role="child").values_list("person_id", flat=True)) == {c.pk for c in children}
    assert case.assignments.get(ended_at__isnull=True).worker == cast.worker

    worker.goto(reverse("investigation_detail", args=[investigation.public_id]))
    worker.locator("main").get_by_role("link", name=f"{case.family_name} · {case.reference}", exact=True).click()
    expect(worker).to_have_url(re.compile(re.escape(reverse("case_detail", args=[case.public_id]))))
    fits(worker, horizontal_overflow)
    main = worker.locator("main")
    for child in children:
        expect(main).to_contain_text(child.full_name)
    main.get_by_role("link", name=investigation.report.reference).click()
    expect(worker).to_have_url(re.compile(re.escape(reverse("intake_detail", args=[investigation.report.public_id]))))
    worker.locator("main").get_by_role("link", name=re.compile(re.escape(investigation.reference))).first.click()
    expect(worker).to_have_url(re.compile(re.escape(reverse("investigation_detail", args=[investigation.public_id]))))
