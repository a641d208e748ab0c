"""An administrator on a phone sets up a caseworker, who then signs in and chooses a password."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import AuditEvent, User
from accounts.roles import Role

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-orchard-quietly-73"


def test_it_lets_an_administrator_create_a_caseworker_who_then_signs_in(
    cast, new_page, phone_page, sign_in, horizontal_overflow
):
    admin = phone_page
    sign_in(admin, cast.administrator.username)
    expect(admin).to_have_url(re.compile(re.escape(reverse("home")) + "$"))

    admin.locator("details.menu summary", has_text="Menu").click()
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Staff", exact=True).click()
    expect(admin.get_by_role("heading", name="Staff", exact=True)).to_be_visible()
    assert horizontal_overflow(admin) == 0

    admin.get_by_role("link", name="New staff member").click()
    expect(admin.get_by_role("heading", name="New staff member")).to_be_visible()
    assert horizontal_overflow(admin) == 0
    form = admin.locator("main form")
    form.get_by_label("Username").fill("avery.quinlan")
    form.get_by_label("First name").fill("Avery")
    form.get_by_label("Last name").fill("Quinlan")
    form.get_by_label("Caseworker", exact=True).check()
    form.get_by_label("Unit").select_option(label="North Unit")
    form.get_by_role("button", name="Create account").click()

    expect(admin.get_by_role("heading", name="Temporary password for Avery Quinlan")).to_be_visible()
    expect(admin.locator(".messages")).to_contain_text("Avery Quinlan can now sign in as avery.quinlan.")
    assert horizontal_overflow(admin) == 0
    temporary = admin.locator("#temporary-password").inner_text().strip()
    assert len(temporary) >= 12

    worker = new_page(phone=True)
    sign_in(worker, "avery.quinlan", temporary)
    expect(worker).to_have_url(re.compile(re.escape(reverse("password_change")) + "$"))
    expect(worker.get_by_role("heading", name="Change your password")).to_be_visible()
    assert horizontal_overflow(worker) == 0
    form = worker.locator("main form")
    form.locator("input[name=old_password]").fill(temporary)
    form.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    form.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()

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
