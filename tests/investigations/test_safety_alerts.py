"""The report's worker-safety alerts show prominently on the investigation page and on its contact form."""

import pytest
from django.urls import reverse

from tests.factories import make_investigation

pytestmark = pytest.mark.django_db


def test_the_alerts_and_notes_show_on_the_page_and_the_contact_form(cast, client_for):
    investigation = make_investigation(
        cast.screener,
        worker=cast.worker,
        safety_alerts=["firearms", "dangerous_animal"],
        safety_notes="Large dog in the yard; visit in pairs.",
    )
    client = client_for(cast.worker)
    for url in (
        reverse("investigation_detail", args=[investigation.public_id]),
        reverse("investigation_contact_create", args=[investigation.public_id]),
    ):
        html = client.get(url).content.decode()
        assert "Worker safety" in html
        assert "Firearms in the home" in html and "Dangerous animal" in html
        assert "Large dog in the yard; visit in pairs." in html


def test_no_alert_box_without_alerts(cast, client_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    html = client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id])).content
    assert b"Worker safety" not in html
