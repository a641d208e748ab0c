"""Reads of an investigation's contacts."""

from accounts.models import User
from investigations.models import Investigation


def page_section(investigation: Investigation, user: User) -> dict:
    """What the investigation page shows of its contacts (a fixed number of queries, whatever their number)."""
    return {}
