"""The investigation page: each concern adds its section's context, in a fixed number of queries."""

from accounts.models import User
from investigations.models import Investigation
from investigations.selectors import assessments, contacts, deadlines, findings

SECTIONS = (deadlines.page_section, contacts.page_section, findings.page_section, assessments.page_section)


def investigation_page(investigation: Investigation, user: User) -> dict:
    context: dict = {}
    for section in SECTIONS:
        context.update(section(investigation, user))
    return context
