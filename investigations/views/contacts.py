"""Pages of an investigation's contacts (the shared contact form, with the investigation's part) and cross-reports."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import access
from cases.views.casework import contact_form_page
from common.drafts import draft_key
from common.drafts import redirect_after_save as _saved
from common.drafts import render_page as _page
from common.forms import add_service_errors
from investigations import selectors
from investigations.forms.contacts import CrossReportForm, InvestigationContactPart
from investigations.services import contacts as services


@require_http_methods(["GET", "POST"])
def investigation_contact_create(request, public_id):
    """The contact form of cases, on the people of the investigation's report, with its purpose, collateral
    contacts and the report's worker-safety alerts; the saved contact is shown next."""
    investigation = access.get_for_change(request.user, selectors.investigation_for_contacts(), public_id=public_id)
    seeable = selectors.investigation_seeable(investigation=investigation)
    wanted = request.GET.get("person", "")
    preselect = [str(s.person.public_id) for s in seeable if str(s.person.public_id) == wanted]

    def save(**arguments):
        return services.investigation_contact_record(actor=request.user, investigation=investigation, **arguments)

    return contact_form_page(
        request,
        record=investigation,
        seeable=seeable,
        preselect=preselect,
        back=reverse("investigation_detail", args=[investigation.public_id]),
        save=save,
        next_url=lambda contact: reverse("contact_detail", args=[contact.public_id]),
        part=lambda data: InvestigationContactPart(data, report=investigation.report),
    )


@require_http_methods(["GET", "POST"])
def investigation_cross_report_create(request, public_id):
    investigation = access.get_for_change(request.user, selectors.investigation_for_contacts(), public_id=public_id)
    key = draft_key(request, investigation, "cross-report")
    form = CrossReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cross_report_record(actor=request.user, investigation=investigation, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(
                request,
                key,
                "Cross-report to law enforcement recorded.",
                "investigation_detail",
                investigation.public_id,
            )
    return _page(
        request,
        "investigations/cross_report_create.html",
        {"investigation": investigation, "form": form, "draft_key": key},
    )
