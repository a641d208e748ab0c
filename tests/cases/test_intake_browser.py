"""In a phone-sized Chromium: the intake pages fit 375 px, and typed text survives until the server saves it.

Each test drives its own Chromium in a thread of its own: Playwright's sync API allows one running
instance per thread, and the shared browser tests keep theirs open for the whole session.
"""

from django.urls import reverse
from playwright.sync_api import expect

from cases import services
from tests.browser.phone import PHONE_TESTS, on_a_phone
from tests.factories import make_investigation, make_report

pytestmark = PHONE_TESTS


def kept_drafts(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('kindred:draft:'))")


def test_the_intake_pages_fit_a_phone(cast, live_server):
    report = make_report(cast.screener, safety_alerts=["firearms"])
    screened_in = make_investigation(cast.screener, worker=cast.worker).report
    services.allegation_withdraw(actor=cast.screener, allegation=report.allegations.get(), reason="Entered twice")
    paths = [
        reverse("intake_queue"),
        reverse("intake_create"),
        reverse("intake_detail", args=[report.public_id]),
        *(reverse("intake_edit_section", args=[report.public_id, name]) for name in ("report", "reporter", "people")),
        reverse("intake_edit_section", args=[report.public_id, "allegations"]),
        reverse("intake_decide", args=[report.public_id]),
        reverse("intake_detail", args=[screened_in.public_id]),
        reverse("intake_priority", args=[screened_in.public_id]),
        reverse("intake_amend", args=[screened_in.public_id]),
    ]

    def widths(page) -> dict[str, int]:
        overflow = {}
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("load")
            overflow[path] = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
        return {path: pixels for path, pixels in overflow.items() if pixels > 0}

    assert on_a_phone(live_server, cast.screener.username, widths) == {}


def test_typed_text_is_kept_until_the_server_has_saved_it(cast, live_server):
    report = make_report(cast.screener)
    section = reverse("intake_edit_section", args=[report.public_id, "report"])

    def type_lose_and_save(page) -> list[list[str]]:
        page.goto(section)
        notes = page.locator("textarea[name=safety_notes]")
        notes.fill("A large dog is chained by the back door.")
        while_typing = kept_drafts(page)
        page.reload()  # The tab was closed, or the connection dropped, before the save.
        expect(notes).to_have_value("A large dog is chained by the back door.")
        expect(page.get_by_role("status")).to_contain_text("not saved yet")
        page.get_by_role("button", name="Save and close").click()
        page.wait_for_url(f"{live_server.url}{reverse('intake_detail', args=[report.public_id])}")
        after_save = kept_drafts(page)
        page.goto(section)
        expect(page.get_by_role("status")).to_have_count(0)
        return [while_typing, after_save]

    while_typing, after_save = on_a_phone(live_server, cast.screener.username, type_lose_and_save)
    assert while_typing == [f"kindred:draft:intake:{cast.screener.public_id}:{report.public_id}:report"]
    assert after_save == []
    report.refresh_from_db()
    assert report.safety_notes == "A large dog is chained by the back door."


def test_the_decision_form_shows_only_the_field_of_the_decision_chosen(cast, live_server):
    report = make_report(cast.screener)

    def decide(page) -> list[tuple[bool, bool]]:
        page.goto(reverse("intake_decide", args=[report.public_id]))
        priority, reason = page.locator("#id_response_priority"), page.locator("#id_screen_out_reason")
        seen = [(priority.is_visible(), reason.is_visible())]
        page.get_by_label("Screen in", exact=True).check()
        seen.append((priority.is_visible(), reason.is_visible()))
        page.get_by_label("Screen out", exact=True).check()
        seen.append((priority.is_visible(), reason.is_visible()))
        return seen

    # Before a choice both show, each labelled for its decision; then only the chosen one's.
    assert on_a_phone(live_server, cast.screener.username, decide) == [(True, True), (True, False), (False, True)]
