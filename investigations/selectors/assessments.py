"""Reads of an investigation's assessments."""

from accounts.models import User
from investigations.models import Investigation


def page_section(investigation: Investigation, user: User) -> dict:
    """What the investigation page shows of its assessments (a fixed number of queries, whatever their number)."""
    return {}
