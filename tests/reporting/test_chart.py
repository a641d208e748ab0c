"""The monthly visit chart reads on its own: empty months say so, every line has a legend entry, and the
labels stay legible on a phone."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reporting.charts import compliance_chart
from reporting.selectors.scope import Federal, Month, MonthFigure


def test_an_empty_month_says_no_data_and_a_month_with_children_does_not():
    chart = compliance_chart(
        [
            MonthFigure(month=Month(date(2026, 10, 1)), federal=Federal()),
            MonthFigure(month=Month(date(2026, 11, 1)), federal=Federal(child_months=4, visited=3, visits=3)),
        ]
    )
    assert str(chart.marks).count(">no data</text>") == 1


@pytest.mark.django_db
def test_the_legend_names_both_target_lines_and_the_empty_bars(cast, client_for):
    page = client_for(cast.supervisor).get(reverse("supervisor_dashboard")).content.decode()
    legend = page[page.index('<figcaption class="legend">') : page.index("</figcaption>")]
    assert "key-target" in legend and "key-residence-target" in legend and "key-empty" in legend


def test_the_axis_labels_grow_on_a_phone():
    css = (Path(settings.BASE_DIR) / "static" / "kindred" / "kindred.css").read_text()
    assert "@media (max-width: 600px) { .chart .axis { font-size: 22px; }" in css
