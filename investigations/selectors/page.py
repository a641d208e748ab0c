"""The investigation page: each concern adds its section's context, in a fixed number of queries.

The sections share what several of them read: the investigation's rows (`InvestigationFacts`, loaded once) and
the policy's answers for this viewer (`access.decisions`, asked once). Both live for this one page only."""

from accounts import access
from accounts.models import User
from investigations.models import Investigation
from investigations.selectors import assessments, contacts, deadlines, findings
from investigations.selectors.facts import InvestigationFacts

SECTIONS = (deadlines.page_section, contacts.page_section, findings.page_section, assessments.page_section)


def investigation_page(
    investigation: Investigation, user: User, decisions: access.RecordDecisions | None = None
) -> dict:
    facts = InvestigationFacts(investigation)
    decisions = decisions or access.decisions(user, investigation)
    context: dict = {}
    for section in SECTIONS:
        context.update(section(investigation, user, facts=facts, decisions=decisions))
    return context
