"""In a phone-sized Chromium: a caseworker logs an overdue child's visit from the case page, one-handed.

Like the intake browser tests, each test drives its own Chromium in a thread of its own: Playwright's
sync API allows one running instance per thread.
"""

from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Contact
from tests.browser.phone import PHONE_TESTS, on_a_phone, overflow
from tests.factories import make_case

pytestmark = PHONE_TESTS


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


def test_from_my_work_a_logged_visit_lowers_the_supervisors_overdue_count_by_one(cast, live_server):
    """The issue's walk-through on a phone: My work shows the overdue child, the visit is logged, and both
    My work and the supervisor's dashboard change at once (no job run in between)."""
    case = make_case(cast.supervisor, worker=cast.worker, opened_days_ago=31)
    child = case.members.filter(role="child").select_related("person").first()

    def overdue_count(page) -> int:
        page.goto(reverse("supervisor_dashboard"))
        return int(page.locator("ul.dash-summary li").first.locator("strong").inner_text())

    before = on_a_phone(live_server, cast.supervisor.username, overdue_count)

    def log_from_my_work(page) -> int:
        page.goto(reverse("my_work"))
        link = page.locator(f"a.log-visit[href$='?member={child.public_id}']")
        expect(link).to_be_visible()
        link.click()
        page.get_by_role("radio", name="Child's residence or placement").check()
        page.get_by_label("What happened").fill("Seen at home; no concerns.")
        page.get_by_role("button", name="Save the contact").click()
        page.wait_for_url(f"**{reverse('case_detail', args=[case.public_id])}")
        page.goto(reverse("my_work"))
        expect(page.locator(f"a.log-visit[href$='?member={child.public_id}']")).to_have_count(0)
        return overflow(page)

    assert on_a_phone(live_server, cast.worker.username, log_from_my_work) == 0
    assert on_a_phone(live_server, cast.supervisor.username, overdue_count) == before - 1
