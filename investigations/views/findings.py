"""Pages of an investigation's findings and closure. Thin: fetch through the policy, bind the form, call the
service, show its refusal on the form, go back to the investigation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts import access
from common.drafts import draft_key
from common.drafts import redirect_after_save as _saved
from common.drafts import render_page as _page
from common.forms import add_service_errors
from investigations.forms.findings import ClosureRequestForm, FindingsForm, ReopenForm, ReviewForm
from investigations.models import Investigation
from investigations.selectors.findings import allegation_rows, closure_missing
from investigations.services.closure import (
    investigation_approve_closure,
    investigation_request_closure,
    investigation_return_closure,
)
from investigations.services.findings import (
    investigation_approve_findings,
    investigation_record_findings,
    investigation_reopen_findings,
    investigation_return_findings,
    investigation_submit_findings,
)
from records.workflow import may

DETAIL = "investigation_detail"


def _records():
    return Investigation.objects.select_related("report", "unit", "assigned_worker", "closure_requested_by")


def _for_change(request, public_id) -> Investigation:
    return access.get_for_change(request.user, _records(), public_id=public_id)


def _supervising(request, public_id) -> Investigation:
    return access.get_for_supervising(request.user, _records(), public_id=public_id)


@require_http_methods(["GET", "POST"])
def investigation_findings(request, public_id):
    """The findings of every standing allegation, on one form, while the investigation is in progress."""
    investigation = _for_change(request, public_id)
    form = FindingsForm(request.POST or None, rows=allegation_rows(investigation))
    key = draft_key(request, investigation, "findings")
    if request.method == "POST" and form.is_valid():
        try:
            investigation_record_findings(actor=request.user, investigation=investigation, entries=form.entries())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, "Findings saved.", DETAIL, investigation.public_id)
    return _page(
        request,
        "investigations/findings_form.html",
        {"investigation": investigation, "form": form, "draft_key": key, "may": may(investigation, "submit_findings")},
    )


@require_http_methods(["GET", "POST"])
def investigation_findings_submit(request, public_id):
    investigation = _for_change(request, public_id)
    errors = []
    if request.method == "POST":
        try:
            investigation_submit_findings(actor=request.user, investigation=investigation)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, "Findings submitted; your supervisor decides.")
            return redirect(DETAIL, public_id=investigation.public_id)
    return _page(
        request,
        "investigations/findings_submit.html",
        {
            "investigation": investigation,
            "rows": allegation_rows(investigation),
            "errors": errors,
            "may": may(investigation, "submit_findings"),
        },
    )


@require_http_methods(["GET", "POST"])
def investigation_findings_review(request, public_id):
    investigation = _supervising(request, public_id)
    form = ReviewForm(
        request.POST or None, approve="Approve the findings", give_back="Return them to the worker with a comment"
    )
    key = draft_key(request, investigation, "findings-review")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == ReviewForm.APPROVE:
                investigation_approve_findings(actor=request.user, investigation=investigation, comment=data["comment"])
                done = "Findings approved."
            else:
                investigation_return_findings(actor=request.user, investigation=investigation, comment=data["comment"])
                done = "Findings returned to the worker."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, done, DETAIL, investigation.public_id)
    return _page(
        request,
        "investigations/findings_review.html",
        {
            "investigation": investigation,
            "rows": allegation_rows(investigation),
            "form": form,
            "draft_key": key,
            "may": may(investigation, "approve_findings") or form.is_bound,
        },
    )


@require_http_methods(["GET", "POST"])
def investigation_findings_reopen(request, public_id):
    investigation = _for_change(request, public_id)
    form = ReopenForm(request.POST or None)
    key = draft_key(request, investigation, "findings-reopen")
    if request.method == "POST" and form.is_valid():
        try:
            investigation_reopen_findings(
                actor=request.user, investigation=investigation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, "Findings reopened.", DETAIL, investigation.public_id)
    return _page(
        request,
        "investigations/findings_reopen.html",
        {
            "investigation": investigation,
            "form": form,
            "draft_key": key,
            "may": may(investigation, "reopen_findings") or form.is_bound,
        },
    )


@require_http_methods(["GET", "POST"])
def investigation_closure_request(request, public_id):
    investigation = _for_change(request, public_id)
    form = ClosureRequestForm(request.POST or None)
    key = draft_key(request, investigation, "closure")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            investigation_request_closure(
                actor=request.user,
                investigation=investigation,
                outcome=data["closure_outcome"],
                referrals=data["closure_referrals"],
                note=data["closure_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, "Closure requested; your supervisor decides.", DETAIL, investigation.public_id)
    return _page(
        request,
        "investigations/closure_request.html",
        {
            "investigation": investigation,
            "form": form,
            "draft_key": key,
            "missing": closure_missing(investigation),
            "may": may(investigation, "request_closure") or form.is_bound,
        },
    )


@require_http_methods(["GET", "POST"])
def investigation_closure_review(request, public_id):
    investigation = _supervising(request, public_id)
    form = ReviewForm(
        request.POST or None,
        approve="Approve: close the investigation",
        give_back="Return it to the worker with a comment",
    )
    key = draft_key(request, investigation, "closure-review")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == ReviewForm.APPROVE:
                investigation_approve_closure(actor=request.user, investigation=investigation, comment=data["comment"])
                done = f"{investigation.reference} is closed."
            else:
                investigation_return_closure(actor=request.user, investigation=investigation, comment=data["comment"])
                done = "Closure returned to the worker."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, key, done, DETAIL, investigation.public_id)
    return _page(
        request,
        "investigations/closure_review.html",
        {
            "investigation": investigation,
            "form": form,
            "draft_key": key,
            "missing": closure_missing(investigation),
            "may": may(investigation, "approve_closure") or form.is_bound,
        },
    )
