"""Reads of investigations: one module per concern, one namespace for callers."""

from investigations.selectors.core import *  # noqa: F403
