"""What the dashboard's labels say to whom: a unit supervisor's totals are their unit's, not "All units"."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def totals_label(page: str) -> str:
    row = page[page.index("<tfoot") :]
    return row[row.index('data-label="Worker">') + len('data-label="Worker">') : row.index("</th>")]


def test_a_unit_supervisors_total_row_is_their_units_total(cast, client_for):
    page = client_for(cast.supervisor).get(reverse("supervisor_dashboard")).content.decode()
    assert totals_label(page) == "Unit total"


def test_a_program_managers_total_row_covers_all_units(cast, client_for):
    page = client_for(cast.program_manager).get(reverse("supervisor_dashboard")).content.decode()
    assert totals_label(page) == "All units"
