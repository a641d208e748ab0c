"""Pages of an investigation's assessments: safety assessments, safety plans (reviews, end), risk assessments."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from common.forms import add_service_errors
from investigations.choices import SafetyPlanStatus
from investigations.forms.assessments import (
    RiskAssessmentForm,
    SafetyAssessmentForm,
    SafetyPlanEndForm,
    SafetyPlanForm,
    SafetyPlanReviewForm,
    now_initial,
)
from investigations.models import Investigation
from investigations.selectors import assessments as selectors
from investigations.selectors.core import investigation_seeable
from investigations.services import assessments as services


def _saved_or_form(request, *, form: forms.Form, save: Callable, template: str, context: dict, done: Callable):
    """The thin write page: a valid form goes to the service (`save()`), whose refusals land on the form, kept
    as typed; what was saved goes to `done`."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return done(saved)
    return render(request, template, {**context, "form": form})


def _refused(request, investigation: Investigation):
    """The investigation's page with the reason, when nothing may be assessed on it now; None otherwise."""
    refusal = selectors.assessments_refusal(investigation)
    if not refusal:
        return None
    messages.error(request, refusal)
    return redirect("investigation_detail", public_id=investigation.public_id)


@require_http_methods(["GET", "POST"])
def safety_assessment_create(request, public_id):
    investigation = selectors.investigation_for_assessing(request.user, public_id)
    if refused := _refused(request, investigation):
        return refused
    form = SafetyAssessmentForm(
        request.POST or None,
        initial=now_initial("assessed_at"),
        threats=list(selectors.safety_threats()),
        plans=list(selectors.active_safety_plans(investigation)),
        seeable=investigation_seeable(investigation=investigation),
    )

    def save():
        return services.safety_assessment_record(
            actor=request.user, investigation=investigation, **form.service_arguments()
        )

    def done(assessment):
        messages.success(request, "The safety assessment is recorded.")
        return redirect("safety_assessment_detail", public_id=assessment.public_id)

    return _saved_or_form(
        request,
        form=form,
        save=save,
        template="investigations/safety_assessment_form.html",
        context={"investigation": investigation},
        done=done,
    )


@require_safe
def safety_assessment_detail(request, public_id):
    assessment = selectors.safety_assessment_for_view(request.user, public_id)
    return render(
        request,
        "investigations/safety_assessment_detail.html",
        {"assessment": assessment, "investigation": assessment.investigation},
    )


@require_http_methods(["GET", "POST"])
def safety_plan_create(request, public_id):
    investigation = selectors.investigation_for_assessing(request.user, public_id)
    if refused := _refused(request, investigation):
        return refused
    form = SafetyPlanForm(request.POST or None, seeable=investigation_seeable(investigation=investigation))

    def save():
        return services.safety_plan_create(actor=request.user, investigation=investigation, plan=form.new_plan())

    def done(plan):
        messages.success(request, "The safety plan is recorded.")
        return redirect("safety_plan_detail", public_id=plan.public_id)

    return _saved_or_form(
        request,
        form=form,
        save=save,
        template="investigations/safety_plan_form.html",
        context={"investigation": investigation},
        done=done,
    )


@require_safe
def safety_plan_detail(request, public_id):
    plan = selectors.safety_plan_for_view(request.user, public_id)
    may_change = plan.status == SafetyPlanStatus.ACTIVE and selectors.may_assess(request.user, plan.investigation)
    return render(
        request,
        "investigations/safety_plan_detail.html",
        {"plan": plan, "investigation": plan.investigation, "may_change": may_change},
    )


def _plan_action(request, public_id, *, form_class, template: str, save, message: str, initial=None):
    """A write on an active safety plan (a review, its end): `save(plan, cleaned_data)` calls the service."""
    plan = selectors.safety_plan_for_change(request.user, public_id)
    if refused := _refused(request, plan.investigation):
        return refused
    if plan.status != SafetyPlanStatus.ACTIVE:
        messages.error(request, "This safety plan has ended: it stays on record as it was.")
        return redirect("safety_plan_detail", public_id=plan.public_id)

    def done(_):
        messages.success(request, message)
        return redirect("safety_plan_detail", public_id=plan.public_id)

    form = form_class(request.POST or None, initial=initial)
    return _saved_or_form(
        request,
        form=form,
        save=lambda: save(plan, form.cleaned_data),
        template=template,
        context={"plan": plan, "investigation": plan.investigation},
        done=done,
    )


@require_http_methods(["GET", "POST"])
def safety_plan_review(request, public_id):
    return _plan_action(
        request,
        public_id,
        form_class=SafetyPlanReviewForm,
        template="investigations/safety_plan_review.html",
        initial=now_initial("reviewed_at"),
        message="The review is recorded.",
        save=lambda plan, data: services.safety_plan_review(
            actor=request.user, plan=plan, reviewed_at=data["reviewed_at"], note=data["note"]
        ),
    )


@require_http_methods(["GET", "POST"])
def safety_plan_end(request, public_id):
    return _plan_action(
        request,
        public_id,
        form_class=SafetyPlanEndForm,
        template="investigations/safety_plan_end.html",
        message="The safety plan has ended.",
        save=lambda plan, data: services.safety_plan_end(actor=request.user, plan=plan, reason=data["reason"]),
    )


@require_http_methods(["GET", "POST"])
def risk_assessment_create(request, public_id):
    investigation = selectors.investigation_for_assessing(request.user, public_id)
    if refused := _refused(request, investigation):
        return refused
    form = RiskAssessmentForm(
        request.POST or None, initial=now_initial("assessed_at"), items=list(selectors.risk_items())
    )

    def save():
        return services.risk_assessment_record(
            actor=request.user, investigation=investigation, **form.service_arguments()
        )

    def done(assessment):
        messages.success(request, "The risk assessment is recorded.")
        return redirect("risk_assessment_detail", public_id=assessment.public_id)

    return _saved_or_form(
        request,
        form=form,
        save=save,
        template="investigations/risk_assessment_form.html",
        context={"investigation": investigation},
        done=done,
    )


@require_safe
def risk_assessment_detail(request, public_id):
    assessment = selectors.risk_assessment_for_view(request.user, public_id)
    return render(
        request,
        "investigations/risk_assessment_detail.html",
        {"assessment": assessment, "investigation": assessment.investigation},
    )
