"""A phone-sized Chromium of its own, for browser tests outside tests/browser/.

Each call drives its own Chromium in a thread of its own: Playwright's sync API allows one running
instance per thread, and the shared browser fixtures keep theirs open for the whole session.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tests.browser.accessibility import AxeWatch
from tests.browser.conftest import CHROMIUM_ARGS, PHONE, TIMEOUT_MS, chromium_path, no_chromium_reason
from tests.factories import PASSWORD

# The marks of a module of phone tests: skipped without Chromium, the role groups put back after each.
PHONE_TESTS = [
    pytest.mark.browser,
    pytest.mark.usefixtures("role_groups"),
    pytest.mark.skipif(not chromium_path(), reason=no_chromium_reason()),
]


def on_a_phone(live_server, username: str, scenario):
    """Sign in as `username` in a fresh 375 x 812 Chromium, run scenario(page) and return what it returns;
    every page it shows is checked with axe-core (`AxeWatch`)."""

    def drive():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(base_url=live_server.url, **PHONE)
                context.set_default_timeout(TIMEOUT_MS)
                watch = AxeWatch(context)
                page = context.new_page()
                page.goto(reverse("login"))
                page.locator("main form input[name=username]").fill(username)
                page.locator("main form input[name=password]").fill(PASSWORD)
                page.locator("main form").get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{live_server.url}{reverse('home')}")
                result = scenario(page)
                violations = watch.finish()
                assert not violations, "axe-core found serious or critical violations:\n" + "\n".join(violations)
                return result
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(drive).result()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the phone; 0 when it fits."""
    page.wait_for_load_state("load")
    return max(0, page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"])
