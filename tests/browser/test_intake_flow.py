"""A screener takes a report about two children, screens it in; the unit supervisor sees the new investigation."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import IntakeReport
from families.models import Person
from investigations.models import Investigation

pytestmark = pytest.mark.browser


def add_new_person(page, first: str, last: str, born: str, role: str) -> None:
    form = page.locator("form", has=page.locator("input[name=action][value=create]"))
    form.locator("input[name=first_name]").fill(first)
    form.locator("input[name=last_name]").fill(last)
    form.locator("input[name=birth_date]").fill(born)
    form.locator("select[name=role]").select_option(role)
    form.get_by_role("button", name=re.compile("new person")).click()
    expect(page.locator("ul.people").first).to_contain_text(f"{first} {last}")


def person_id(first_name: str) -> str:
    return str(Person.objects.get(first_name=first_name, last_name="Quenneville").public_id)


def test_it_takes_a_report_to_an_investigation_the_supervisor_sees(cast, new_page, sign_in):
    page = new_page()
    sign_in(page, cast.screener.username)
    page.goto(reverse("intake_create"))
    received = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.locator("input[name=received_at]").fill(received)
    page.locator("select[name=method]").select_option("phone")
    page.locator("select[name=report_source]").select_option("education")
    page.get_by_role("button", name="Start the report").click()

    report = IntakeReport.objects.get(created_by=cast.screener)
    page.goto(reverse("intake_edit_section", args=[report.public_id, "report"]))
    page.locator("textarea[name=narrative]").fill("The school nurse saw bruises on both children.")
    page.get_by_role("button", name="Save and close").click()

    page.goto(reverse("intake_edit_section", args=[report.public_id, "people"]))
    add_new_person(page, "Marisol", "Quenneville", "2017-03-04", "alleged_victim")
    add_new_person(page, "Tobias", "Quenneville", "2019-08-21", "alleged_victim")
    add_new_person(page, "Dorian", "Quenneville", "1988-01-15", "alleged_perpetrator")

    page.goto(reverse("intake_edit_section", args=[report.public_id, "allegations"]))
    page.locator("select[name=victim]").select_option(person_id("Marisol"))
    page.locator("select[name=perpetrator]").select_option(person_id("Dorian"))
    page.locator("select[name=maltreatment_type]").select_option("physical_abuse")
    page.get_by_role("button", name="Add allegation").click()
    expect(page.locator("main")).to_contain_text("Physical abuse")

    page.goto(reverse("intake_decide", args=[report.public_id]))
    page.locator("input[name=decision][value=screen_in]").check()
    page.locator("select[name=response_priority]").select_option("immediate")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Screened in")

    investigation = Investigation.objects.get(report=report)
    assert report.participants.filter(role="alleged_victim").count() == 2
    assert report.allegations.count() == 1

    supervisor = new_page()
    sign_in(supervisor, cast.supervisor.username)
    supervisor.goto(reverse("investigation_list"))
    row = supervisor.locator("tr", has_text=investigation.reference)
    expect(row).to_contain_text("Awaiting assignment")
    supervisor.goto(reverse("notification_list"))
    expect(supervisor.locator("main")).to_contain_text(f"{investigation.reference} awaits assignment")
