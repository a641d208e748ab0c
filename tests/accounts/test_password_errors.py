"""A new password that breaks a rule is reported under the new password, where it was typed; only a mismatch is
reported under the confirmation."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def errors_under(response, field: str) -> list[str]:
    """The errors in the field's block of the page (a `div.field` holds its label, input, help and errors)."""
    blocks = re.findall(r'<div class="field[^"]*">(.*?)</div>', response.content.decode(), re.DOTALL)
    (block,) = [block for block in blocks if f'id="id_{field}"' in block]
    return re.findall(r'<p class="error">(.*?)</p>', block, re.DOTALL)


def test_a_broken_rule_shows_under_the_new_password(cast, client_for):
    response = client_for(cast.worker).post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert any("too short" in error for error in errors_under(response, "new_password1"))
    assert errors_under(response, "new_password2") == []


def test_a_mismatch_shows_under_the_confirmation(cast, client_for):
    new = "a long and unusual passphrase"
    response = client_for(cast.worker).post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new + "!"}
    )
    assert errors_under(response, "new_password1") == []
    assert any("didn’t match" in error for error in errors_under(response, "new_password2"))
