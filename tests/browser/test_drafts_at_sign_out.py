"""Drafts kept in the browser do not outlive the session, a day, or touch the reporter's identity."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_investigation, make_report

pytestmark = pytest.mark.browser

DAY_MS = 24 * 60 * 60 * 1000


def kept_drafts(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('kindred:draft:'))")


def test_a_draft_typed_before_sign_out_is_gone_after(cast, page, sign_in):
    report = make_report(cast.screener)
    section = reverse("intake_edit_section", args=[report.public_id, "report"])
    sign_in(page, cast.screener.username)
    page.goto(section)
    page.locator("textarea[name=safety_notes]").fill("The father keeps a rifle in the truck.")
    assert kept_drafts(page) == [f"kindred:draft:intake:{cast.screener.public_id}:{report.public_id}:report"]

    page.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("login")) + "$"))
    assert kept_drafts(page) == []

    sign_in(page, cast.screener.username)
    page.goto(section)
    expect(page.locator("textarea[name=safety_notes]")).to_have_value("")
    expect(page.get_by_role("status")).to_have_count(0)


def test_a_draft_older_than_a_day_is_dropped(cast, page, sign_in):
    sign_in(page, cast.screener.username)
    page.evaluate(
        """(day) => {
            const kept = (at) => JSON.stringify({ narrative: "typed earlier", "@at": at });
            localStorage.setItem("kindred:draft:old", kept(Date.now() - day - 60000));
            localStorage.setItem("kindred:draft:recent", kept(Date.now() - 60000));
            localStorage.setItem("kindred:draft:undated", JSON.stringify({ narrative: "typed earlier" }));
        }""",
        DAY_MS,
    )
    page.reload()
    page.wait_for_load_state("load")
    assert kept_drafts(page) == ["kindred:draft:recent"]


def test_a_correction_of_the_reporter_is_never_kept(cast, page, sign_in):
    report = make_investigation(cast.screener, worker=cast.worker).report
    sign_in(page, cast.screener.username)
    page.goto(reverse("intake_amend", args=[report.public_id]))
    form = page.locator("main form")
    form.locator("textarea[name=reason]").fill("A typing mistake.")
    assert len(kept_drafts(page)) == 1
    form.locator("select[name=field]").select_option("reporter_name")
    form.locator("textarea[name=value]").fill("Dana Whitfield")
    assert kept_drafts(page) == []
