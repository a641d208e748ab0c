"""An administrator on a phone sets up a caseworker, a second administrator approves the role, and the
caseworker chooses their password through the one-time link e-mailed to them, then signs in."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import AuditEvent, User
from accounts.roles import Role
from tests.factories import approving_administrator

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-orchard-quietly-73"


def open_staff_list(page, horizontal_overflow) -> None:
    page.locator("details.menu summary", has_text="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff", exact=True).click()
    expect(page.get_by_role("heading", name="Staff", exact=True)).to_be_visible()
    assert horizontal_overflow(page) == 0


def test_it_lets_an_administrator_create_a_caseworker_who_then_signs_in(
    cast, new_page, phone_page, sign_in, horizontal_overflow, mailoutbox
):
    admin = phone_page
    sign_in(admin, cast.administrator.username)
    expect(admin).to_have_url(re.compile(re.escape(reverse("home")) + "$"))
    open_staff_list(admin, horizontal_overflow)

    admin.get_by_role("link", name="New staff member").click()
    expect(admin.get_by_role("heading", name="New staff member")).to_be_visible()
    assert horizontal_overflow(admin) == 0
    form = admin.locator("main form")
    form.get_by_label("Username").fill("avery.quinlan")
    form.get_by_label("First name").fill("Avery")
    form.get_by_label("Last name").fill("Quinlan")
    form.get_by_label("E-mail").fill("avery@example.org")
    form.get_by_label("Caseworker", exact=True).check()
    form.get_by_label("Unit").select_option(label="North Unit")
    form.get_by_label("Why").fill("New hire in North Unit")
    form.get_by_role("button", name="Create account").click()

    expect(admin.get_by_role("heading", name="Avery Quinlan")).to_be_visible()
    expect(admin.locator(".messages")).to_contain_text("Waiting for another administrator's approval: Caseworker role")
    expect(admin.locator("#temporary-password")).to_have_count(0)
    assert horizontal_overflow(admin) == 0

    second = new_page(phone=True)
    sign_in(second, approving_administrator().username)
    open_staff_list(second, horizontal_overflow)
    second.get_by_role("link", name="Pending approvals (1)").click()
    expect(second.get_by_role("heading", name="Pending approvals")).to_be_visible()
    assert horizontal_overflow(second) == 0
    second.get_by_role("link", name="Decide").click()
    expect(second.get_by_role("heading", name="Change for Avery Quinlan")).to_be_visible()
    expect(second.locator("main")).to_contain_text("avery@example.org")
    assert horizontal_overflow(second) == 0
    second.get_by_role("button", name="Approve").click()
    expect(second.locator(".messages")).to_contain_text("Approved: Caseworker role for Avery Quinlan.")

    assert [mail.to for mail in mailoutbox] == [["avery@example.org"]]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/account/set-password/" in line)
    worker = new_page(phone=True)
    worker.goto(urlsplit(link.strip()).path)
    expect(worker.get_by_role("heading", name="Set your password")).to_be_visible()
    assert horizontal_overflow(worker) == 0
    form = worker.locator("main form")
    form.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Set password").click()
    expect(worker).to_have_url(re.compile(re.escape(reverse("login")) + "$"))

    sign_in(worker, "avery.quinlan", NEW_PASSWORD)
    expect(worker).to_have_url(re.compile(re.escape(reverse("home")) + "$"))
    expect(worker.get_by_role("heading", name="Welcome, Avery Quinlan")).to_be_visible()
    expect(worker.locator("main")).to_contain_text("Caseworker · North Unit")
    assert horizontal_overflow(worker) == 0

    created = User.objects.get(username="avery.quinlan")
    assert created.has_role(Role.CASEWORKER)
    assert created.unit == cast.unit
    assert not created.must_change_password
    assert created.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action="accounts.user.created", actor=cast.administrator, target_id=str(created.public_id)
    ).exists()
