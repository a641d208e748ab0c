"""One spelling of "e-mail" across the pages: "E-mail", the one most pages already used."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EMAIL_WITHOUT_HYPHEN = re.compile(r"\bEmail\b")


@pytest.mark.parametrize("name", ["staff_create", "staff_detail", "staff_edit"])
def test_staff_pages_say_e_mail(cast, client_for, name):
    kwargs = {} if name == "staff_create" else {"public_id": cast.worker.public_id}
    response = client_for(cast.administrator).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    page = response.content.decode()
    assert "E-mail" in page
    assert not EMAIL_WITHOUT_HYPHEN.search(page)
