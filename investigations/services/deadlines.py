"""Investigations' deadlines: kept current by the services that meet them, flagged by the deadline job."""

from accounts.models import User
from investigations.models import Investigation, InvestigationContact


def first_contact_recorded(
    *, actor: User, investigation: Investigation, contact: InvestigationContact, people_seen: list
) -> None:
    """A contact was recorded on the investigation (inside its service's transaction): a face-to-face one
    meets the first-contact deadline of each alleged child victim it saw (late stays late) and starts
    the investigation's work (`start`)."""
