"""The monthly visit compliance chart: its SVG geometry, and the marks drawn from it.

No script and no inline style (the CSP forbids both): shapes are placed with SVG presentation
attributes (x, y, width, height) in whole units of the viewBox, and kindred.css colours them by
class. The template writes the chart's frame, title and description; its marks (gridlines, bars,
dots, labels: some 200 values) are written here with `format_html`, which costs a tenth of as
many template variables.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reporting.selectors.scope import Federal, Month, MonthFigure

WIDTH = 720
HEIGHT = 260
LEFT = 56  # room for the percentage labels, at the larger size a phone gets
RIGHT = 8
TOP = 12
BOTTOM = 30  # room for the month labels
GRID_STEPS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Bar:
    month: Month
    federal: Federal
    x: int
    y: int
    width: int
    height: int
    centre: int
    dot_y: int | None  # the share of visits in the child's residence, when there were visits

    @property
    def css_class(self) -> str:
        if self.federal.visited_rate is None:
            return "bar empty"
        return "bar met" if self.federal.meets_visited_target else "bar below"

    @property
    def summary(self) -> str:
        federal = self.federal
        if federal.visited_rate is None:
            return f"{self.month.label}: no children in care"
        return f"{self.month.label}: {federal.visited_percent}% visited ({federal.visited} of {federal.child_months})"


@dataclass(frozen=True)
class Gridline:
    y: int
    label_y: int
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    axis_x: int
    baseline: int
    label_y: int
    bars: list[Bar]
    gridlines: list[Gridline]
    visited_target_y: int
    residence_target_y: int

    @cached_property
    def marks(self) -> SafeString:
        """Everything inside the <svg> but its title and description."""
        grid = format_html_join(
            "",
            '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>',
            ((self.left, self.right, line.y, line.y, self.axis_x, line.label_y, line.label) for line in self.gridlines),
        )
        bars = format_html_join("", "{}", ((self._bar(bar),) for bar in self.bars))
        targets = format_html(
            '<line class="target" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<line class="target residence-target" x1="{}" x2="{}" y1="{}" y2="{}"/>',
            self.left,
            self.right,
            self.visited_target_y,
            self.visited_target_y,
            self.left,
            self.right,
            self.residence_target_y,
            self.residence_target_y,
        )
        return grid + bars + targets

    def _bar(self, bar: Bar) -> SafeString:
        rect = format_html(
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            bar.css_class,
            bar.x,
            bar.y,
            bar.width,
            bar.height,
            bar.summary,
        )
        dot = SafeString()
        if bar.dot_y is not None:
            dot = format_html(
                '<circle class="residence" cx="{}" cy="{}" r="4"><title>{}: {}% of visits in the residence</title>'
                "</circle>",
                bar.centre,
                bar.dot_y,
                bar.month.label,
                bar.federal.in_residence_percent,
            )
        label = format_html(
            '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
            bar.centre,
            self.label_y,
            bar.month.short_label,
        )
        if bar.federal.visited_rate is None:
            # An empty month says so, rather than looking like a month of 0%.
            label += format_html(
                '<text class="axis no-data" x="{}" y="{}" text-anchor="middle">no data</text>',
                bar.centre,
                self.baseline - 8,
            )
        return rect + dot + label


def compliance_chart(points: list[MonthFigure], *, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Bars: % of child-months visited each month; dots: % of those visits in the child's residence."""
    plot_height = height - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = (width - LEFT - RIGHT) / max(len(points), 1)
    bar_width = round(slot * 0.62)

    def y_of(percent: float) -> int:
        return round(baseline - plot_height * percent / 100)

    bars = []
    for index, point in enumerate(points):
        rate = point.federal.visited_rate or 0
        centre = round(LEFT + slot * index + slot / 2)
        top = y_of(rate)
        residence = point.federal.in_residence_rate
        bars.append(
            Bar(
                month=point.month,
                federal=point.federal,
                x=centre - bar_width // 2,
                y=top,
                width=bar_width,
                height=baseline - top,
                centre=centre,
                dot_y=None if residence is None else y_of(residence),
            )
        )
    return Chart(
        width=width,
        height=height,
        left=LEFT,
        right=width - RIGHT,
        axis_x=LEFT - 6,
        baseline=baseline,
        label_y=baseline + 18,
        bars=bars,
        gridlines=[Gridline(y=y_of(step), label_y=y_of(step) + 4, label=f"{step}%") for step in GRID_STEPS],
        visited_target_y=y_of(100 * settings.KINDRED_FEDERAL_VISITED_TARGET),
        residence_target_y=y_of(100 * settings.KINDRED_FEDERAL_IN_RESIDENCE_TARGET),
    )
