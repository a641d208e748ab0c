"""What the report page offers on a draft: two ways on, each said for what it is."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_draft_says_what_submit_and_decide_are_each_for(cast, client_for, report):
    page = client_for(cast.screener).get(reverse("intake_detail", args=[report.public_id])).content.decode()
    assert "Submit for decision" in page and ">Decide</a>" in page
    assert 'id="submit-or-decide"' in page
    assert "puts the finished report in the queue for a screener to decide" in page
    # One primary action: submitting is the secondary one when the screener may decide at once.
    assert 'class="secondary" aria-describedby="submit-or-decide">Submit for decision' in page
