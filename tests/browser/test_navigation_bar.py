"""A desktop shows the main navigation as a bar; a phone keeps the Menu button."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_desktop_shows_the_navigation_as_a_bar(cast, page, sign_in):
    sign_in(page, cast.worker.username)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My work")).to_be_visible()
    expect(page.locator("details.menu summary")).to_be_hidden()


def test_a_phone_keeps_the_menu_button(cast, phone_page, sign_in):
    sign_in(phone_page, cast.worker.username)
    link = phone_page.get_by_role("navigation", name="Main").get_by_role("link", name="My work")
    expect(link).to_be_hidden()
    phone_page.locator("details.menu summary").click()
    expect(link).to_be_visible()
