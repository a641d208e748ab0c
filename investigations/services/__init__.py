"""Writes for investigations: one module per concern, one namespace for callers."""

from investigations.services.assignment import *  # noqa: F403
