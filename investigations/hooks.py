"""What investigations adds to cases, through the extension points cases declares (`cases.extensions`).

A screen-in opens the investigation; the investigation's worker and unit work its report (they see it,
and the unit's supervisor may read its reporter); a case its closure opened names it; its contacts share the
contact pages and API; its findings and closures awaiting the supervisor join the one approval queue
(`records.approvals`); its people's other investigations show in the prior history; a holiday added or removed
recounts its safety-assessment deadline (`records.extensions`).
Imported by `InvestigationsConfig.ready()`: importing registers.
"""

from django.db.models import Q
from django.urls import reverse

from accounts import naming
from cases import extensions
from cases import naming as case_naming
from investigations import selectors, services
from investigations.api.contacts import InvestigationContactDetailSerializer
from investigations.models import Investigation, InvestigationContact
from investigations.selectors import contacts as contact_selectors
from investigations.selectors.findings import pending_approvals
from investigations.services import contacts as contact_services
from records import extensions as records_extensions
from records.approvals import approvals

extensions.report_screened_in.register(services.investigation_open)
extensions.report_response_due_changed.register(services.investigation_follow_response_due)


@extensions.report_assigned.register
def reports_of_my_investigations(user) -> Q:
    return Q(investigation__assigned_worker=user)


@extensions.report_worked_in_units.register
def reports_investigated_in(units) -> Q:
    return Q(investigation__unit__in=units)


extensions.report_follow_ups.register(
    extensions.FollowUp(
        related_name="investigation",
        url=lambda investigation: reverse("investigation_detail", args=[investigation.public_id]),
    )
)

extensions.case_openers.register(
    extensions.CaseOpener(
        opened=lambda case: Investigation.objects.filter(opened_case=case).order_by("pk").first(),
        url=lambda investigation: reverse("investigation_detail", args=[investigation.public_id]),
    )
)

extensions.contact_kinds.register(
    extensions.ContactKind(
        model=InvestigationContact,
        record_field="investigation",
        records=selectors.investigation_for_contacts,
        record_url=lambda investigation: reverse("investigation_detail", args=[investigation.public_id]),
        amend=contact_services.investigation_contact_amend,
        serializer=InvestigationContactDetailSerializer,
        detail_template="investigations/contact_detail_part.html",
        detail_context=contact_selectors.contact_detail_context,
    )
)

approvals.register(pending_approvals)
records_extensions.holidays_changed.register(services.safety_assessments_recount)
extensions.prior_records.register(contact_selectors.investigations_of)


def investigation_title(investigation: Investigation) -> naming.Title:
    """An investigation is named as its report, due by its first face-to-face response."""
    return case_naming.report_title(
        investigation.report, reference=investigation.reference, due=investigation.response_due_at
    )


naming.register(Investigation, investigation_title, prefetch=["report", case_naming.victims("report__")])
