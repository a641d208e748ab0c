"""Browser tests: Playwright's sync API drives the system's Chromium against pytest-django's live server.

No browser is ever downloaded. Without a Chromium the tests marked `browser` are skipped at collection,
so the rest of the suite runs on any machine.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from tests.browser.accessibility import AxeWatch
from tests.factories import PASSWORD, restore_role_groups

# Playwright's sync API runs an asyncio loop in the test thread; Django would otherwise refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Without these, a machine with no outside network fills the log with refused connections.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000


def chromium_path() -> str | None:
    """The Chromium to drive: $KINDRED_CHROMIUM when set (even if missing), else Debian's, else PATH's."""
    wanted = os.environ.get("KINDRED_CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def no_chromium_reason() -> str:
    wanted = os.environ.get("KINDRED_CHROMIUM")
    if wanted:
        return f"no Chromium: KINDRED_CHROMIUM={wanted} is not an executable"
    return f"no Chromium: neither {DEFAULT_CHROMIUM} nor `chromium` on PATH (apt-get install chromium)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip before any fixture runs, so a machine without Chromium does not even start the live server."""
    if chromium_path():
        return
    skip = pytest.mark.skip(reason=no_chromium_reason())
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """Put back the role groups a migration made, which every live-server test's closing flush deletes.

    pytest-django's serialized_rollback cannot do it: once Playwright's loop runs in the test thread,
    Django hands out another connection object, one without the serialized copy of the database.
    """
    restore_role_groups()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole session: each test gets fresh contexts from it, which is far cheaper."""
    path = chromium_path()
    if not path:
        pytest.skip(no_chromium_reason())
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """new_page(phone=False) -> a page in a fresh context: its own cookies, so its own session.

    Every page it shows is checked with axe-core (`AxeWatch`): the test fails on a serious or critical violation."""
    watches = []

    def open_page(*, phone: bool = False):
        context = browser.new_context(base_url=live_server.url, **(PHONE if phone else {}))
        context.set_default_timeout(TIMEOUT_MS)
        watches.append(AxeWatch(context))
        return context.new_page()

    yield open_page
    violations = [line for watch in watches for line in watch.finish()]
    for watch in watches:
        watch.context.close()
    assert not violations, "axe-core found serious or critical accessibility violations:\n" + "\n".join(violations)


@pytest.fixture
def page(new_page):
    """A desktop-sized page (Playwright's 1280 x 720)."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A 375 x 812 touch viewport: the narrowest phone the pages are meant to fit."""
    return new_page(phone=True)


@pytest.fixture
def sign_in() -> Callable:
    """sign_in(page, username, password=PASSWORD) through the real sign-in form, so axes and sessions run too."""
    login = reverse("login")

    def submit(page, username: str, password: str = PASSWORD) -> None:
        page.goto(login)
        form = page.locator("main form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        form.get_by_role("button", name="Sign in").click()
        expect(page, f"signing in as {username} failed").not_to_have_url(re.compile(re.escape(login)))

    return submit


@pytest.fixture
def horizontal_overflow() -> Callable:
    """horizontal_overflow(page) -> how many CSS pixels the page is wider than its viewport; 0 when it fits."""

    def measure(page) -> int:
        page.wait_for_load_state("load")  # measured before the stylesheet applies, any page would fit
        return max(0, page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"])

    return measure
