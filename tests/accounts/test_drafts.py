"""Drafts kept in the browser (static/kindred/draft.js): what the pages tell the script.

The script itself runs in the browser tests (tests/browser/test_drafts_at_sign_out.py).
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.sign_in import SIGNED_IN_AT
from tests.factories import PASSWORD, make_report

pytestmark = pytest.mark.django_db


def clears_drafts(page: str) -> bool:
    return re.search(r"<div hidden data-drafts-clear>", page) is not None


def loads_draft_script(page: str) -> bool:
    return re.search(r'<script src="[^"]*kindred/draft\.js" defer>', page) is not None


def test_the_sign_in_page_clears_every_draft():
    page = Client().get(reverse("login")).content.decode()
    assert loads_draft_script(page)
    assert clears_drafts(page)


def test_signing_out_clears_them_as_the_form_is_sent_and_lands_where_they_are_cleared(cast):
    client = Client()
    client.post(reverse("login"), {"username": cast.worker.username, "password": PASSWORD})
    home = client.get(reverse("home")).content.decode()
    assert loads_draft_script(home)
    assert not clears_drafts(home)
    sign_out = re.search(r'<form method="post" action="/sign-out/"[^>]*>', home).group(0)
    assert "data-drafts-clear-on-submit" in sign_out

    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert clears_drafts(response.content.decode())


def test_an_expired_session_lands_where_they_are_cleared(cast):
    client = Client()
    client.post(reverse("login"), {"username": cast.worker.username, "password": PASSWORD})
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=13)).timestamp()
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert clears_drafts(response.content.decode())


def test_the_reporter_inputs_are_marked_never_to_be_kept(cast, client_for):
    report = make_report(cast.screener)
    page = client_for(cast.screener).get(reverse("intake_edit_section", args=[report.public_id, "reporter"]))
    html = page.content.decode()
    reporter_inputs = re.findall(r'<(?:input|textarea|select)[^>]*name="reporter_\w+"[^>]*>', html)
    assert len(reporter_inputs) == 7
    forms = [form for form in re.findall(r"<form[^>]*>.*?</form>", html, re.S) if 'name="reporter_' in form]
    assert len(forms) == 1
    opening = re.match(r"<form[^>]*>", forms[0])[0]
    assert "data-draft-exclude" in opening
    assert "data-draft-key" not in opening
    assert all(element in forms[0] for element in reporter_inputs)
