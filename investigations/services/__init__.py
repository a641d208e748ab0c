"""Writes for investigations: one module per concern, one namespace for callers."""

from investigations.services.assessments import *  # noqa: F403
from investigations.services.assignment import *  # noqa: F403
from investigations.services.closure import *  # noqa: F403
from investigations.services.contacts import *  # noqa: F403
from investigations.services.deadlines import *  # noqa: F403
from investigations.services.findings import *  # noqa: F403
