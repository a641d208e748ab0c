"""Reads of an investigation's deadlines."""

from accounts.models import User
from investigations.models import Investigation


def page_section(investigation: Investigation, user: User) -> dict:
    """What the investigation page shows of its deadlines (a fixed number of queries, whatever their number)."""
    return {}
