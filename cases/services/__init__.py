"""Writes for intake, ongoing cases and visits: one module per concern, one namespace for callers."""

from cases.services.assignments import *  # noqa: F403
from cases.services.casework import *  # noqa: F403
from cases.services.intake import *  # noqa: F403
from cases.services.screening import *  # noqa: F403
from cases.services.visits import *  # noqa: F403
