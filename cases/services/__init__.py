"""Writes for intake, ongoing cases and visits: one module per concern, one namespace for callers."""

from .casework import *  # noqa: F403
from .intake import *  # noqa: F403
from .visits import *  # noqa: F403
