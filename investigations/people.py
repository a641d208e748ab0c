"""Who a worker sees through an investigation, for families' access rules; merge moves its links.

The people on the report behind an investigation assigned to the user, the reporter left out (a
caseworker must not learn who made the report: accounts.access.can_see_reporter); and, for a
supervisor, the people on the reports whose investigation is worked in their units. The people seen
at an investigation's contacts carry its report's restriction.
"""

from django.db.models import QuerySet

from accounts.models import User
from cases.choices import ParticipantRole
from cases.models import ReportParticipant
from families import extensions
from families.models import Person
from families.services import person_links_move
from investigations.models import InvestigationContact


def people_on_my_investigations(user: User) -> QuerySet:
    on_my_investigations = ReportParticipant.objects.filter(report__investigation__assigned_worker=user)
    return on_my_investigations.exclude(role=ParticipantRole.REPORTER).values("person")


def people_on_unit_investigations(units: QuerySet) -> QuerySet:
    return ReportParticipant.objects.filter(report__investigation__unit__in=units).values("person")


def restrictions_on_investigations(person_ids) -> QuerySet:
    """The people seen at an investigation's contacts carry its report's restriction."""
    return InvestigationContact.people_seen.through.objects.filter(person__in=person_ids).values_list(
        "person", "investigationcontact__investigation__report__access_restriction"
    )


def move_links(kept: Person, merged: Person, actor: User) -> dict[str, int]:
    """The investigation contacts that saw the merged person saw the kept one."""
    return person_links_move(model=InvestigationContact, field="people_seen", kept=kept, merged=merged)


def register() -> None:
    extensions.people_assigned.register(people_on_my_investigations)
    extensions.people_in_units.register(people_on_unit_investigations)
    extensions.record_restrictions.register(restrictions_on_investigations)
    extensions.merge_movers.register(move_links)
