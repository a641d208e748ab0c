"""In a phone-sized Chromium: a caseworker logs an overdue child's visit from the case page, one-handed.

Like the intake browser tests, each test drives its own Chromium in a thread of its own: Playwright's
sync API allows one running instance per thread.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from accounts.roles import Role
from cases.models import Contact
from tests.browser.conftest import CHROMIUM_ARGS, PHONE, TIMEOUT_MS, chromium_path, no_chromium_reason
from tests.factories import PASSWORD, make_case

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_path(), reason=no_chromium_reason())]


@pytest.fixture(autouse=True)
def role_groups(transactional_db) -> None:
    """Live-server tests end with a flush that deletes the role groups a migration made; put them back."""
    for role in Role:
        Group.objects.get_or_create(name=role.group_name)


def on_a_phone(live_server, username: str, scenario):
    """Sign in as `username` in a fresh 375 x 812 Chromium, run scenario(page) and return what it returns."""

    def drive():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(base_url=live_server.url, **PHONE)
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.goto(reverse("login"))
                page.locator("main form input[name=username]").fill(username)
                page.locator("main form input[name=password]").fill(PASSWORD)
                page.locator("main form").get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{live_server.url}{reverse('home')}")
                return scenario(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(drive).result()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the phone; 0 when it fits."""
    page.wait_for_load_state("load")
    return max(0, page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"])


def kept_drafts(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('kindred:draft:'))")


def test_a_caseworker_logs_an_overdue_childs_visit_on_a_phone_and_the_overdue_mark_is_gone(cast, live_server):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = case.members.filter(role="child").select_related("person").first()
    case_url = f"{live_server.url}{reverse('case_detail', args=[case.public_id])}"

    def log_the_visit(page) -> dict:
        widths = {}
        page.goto(case_url)
        row = page.locator(f"#member-{child.public_id}")
        expect(row.locator(".visit")).to_have_text("Overdue")
        widths["case page"] = overflow(page)

        row.get_by_role("link", name="Log visit").click()
        page.wait_for_url(f"**{reverse('contact_create', args=[case.public_id])}?member={child.public_id}")
        widths["contact form"] = overflow(page)
        seen = page.locator(f"input[name=people_seen][value='{child.person.public_id}']")
        expect(seen).to_be_checked()
        expect(page.get_by_role("radio", name="Face to face")).to_be_checked()
        privately = page.get_by_role("checkbox", name="Child seen privately")
        expect(privately).to_be_visible()
        seen.uncheck()  # Seen privately means nothing when no child was seen: it goes away.
        expect(privately).to_be_hidden()
        seen.check()
        privately.check()
        page.get_by_role("radio", name="Child's residence or placement").check()
        page.get_by_label("What happened").fill("Seen at home after school; room tidy, fridge stocked.")
        page.get_by_role("button", name="Save the contact").click()

        page.wait_for_url(case_url)
        expect(page.get_by_text(f"Visit recorded: {child.person.full_name} seen.")).to_be_visible()
        expect(row.locator(".visit")).to_have_text("Visited")
        widths["case page after the visit"] = overflow(page)
        return {"widths": {name: pixels for name, pixels in widths.items() if pixels > 0}, "drafts": kept_drafts(page)}

    seen = on_a_phone(live_server, cast.worker.username, log_the_visit)
    assert seen == {"widths": {}, "drafts": []}
    contact = Contact.objects.get()
    assert contact.seen_privately
    assert list(contact.people_seen.all()) == [child.person]


def test_a_visit_typed_on_a_phone_survives_a_lost_page_until_it_is_saved(cast, live_server):
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = case.members.filter(role="child").select_related("person").first()
    form_url = f"{reverse('contact_create', args=[case.public_id])}?member={child.public_id}"

    def type_lose_and_save(page) -> list:
        page.goto(form_url)
        page.get_by_role("radio", name="School").check()
        page.get_by_label("What happened").fill("Met her at school; she asked about her brother.")
        while_typing = kept_drafts(page)
        page.goto(form_url)  # The page was lost (no signal, tab closed) before the save.
        expect(page.get_by_label("What happened")).to_have_value("Met her at school; she asked about her brother.")
        expect(page.get_by_role("radio", name="School")).to_be_checked()
        expect(page.locator(f"input[name=people_seen][value='{child.person.public_id}']")).to_be_checked()
        expect(page.get_by_role("status")).to_contain_text("not saved yet")
        page.get_by_role("button", name="Save the contact").click()
        page.wait_for_url(f"**{reverse('case_detail', args=[case.public_id])}")
        return [while_typing, kept_drafts(page)]

    while_typing, after_save = on_a_phone(live_server, cast.worker.username, type_lose_and_save)
    assert while_typing == [f"kindred:draft:contact:{cast.worker.public_id}:{case.public_id}"]
    assert after_save == []
    contact = Contact.objects.get()
    assert (contact.location, contact.narrative) == ("school", "Met her at school; she asked about her brother.")
