"""The monthly visit compliance chart as SVG geometry; the template draws it.

No script and no inline style (the CSP forbids both): the template places shapes with SVG
presentation attributes (x, y, width, height) in whole units of the viewBox, and kindred.css
colours them by class.
"""

from dataclasses import dataclass

from django.conf import settings

from .selectors_dashboard import Federal, Month, MonthFigure

WIDTH = 720
HEIGHT = 260
LEFT = 44  # room for the percentage labels
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
