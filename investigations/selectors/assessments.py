"""Reads of an investigation's assessments: safety assessments, safety plans, risk assessments.

An assessment or plan is fetched through its investigation (`access.get_for_view` / `get_for_change` on the
investigation that holds it), so whoever may not see the investigation gets 404 for its assessments too.
"""

from django.db.models import Count, Prefetch, QuerySet

from accounts import access
from accounts.models import User
from investigations.choices import InvestigationStatus, SafetyPlanStatus
from investigations.models import (
    Investigation,
    RiskAssessment,
    RiskAssessmentAnswer,
    RiskItem,
    SafetyAssessment,
    SafetyAssessmentThreat,
    SafetyPlan,
    SafetyPlanAction,
    SafetyPlanReview,
    SafetyThreat,
)
from investigations.selectors.facts import InvestigationFacts

REFUSED_IN_STATUS = {
    InvestigationStatus.AWAITING_ASSIGNMENT: "This investigation awaits assignment: its assessments are recorded "
    "once a worker is assigned.",
    InvestigationStatus.CLOSED: "This investigation is closed: its assessments and safety plans can no longer change.",
}


def assessments_refusal(investigation: Investigation) -> str:
    """Why nothing may be assessed on the investigation now ("" when it may): pages show it instead of a form."""
    return REFUSED_IN_STATUS.get(investigation.status, "")


def _investigations() -> QuerySet:
    return Investigation.objects.select_related("report", "unit")


def safety_threats() -> QuerySet:
    """The active safety threats, in the form's order."""
    return SafetyThreat.objects.filter(active=True)


def risk_items() -> QuerySet:
    """The active risk items with their answers, in the form's order."""
    return RiskItem.objects.filter(active=True).prefetch_related("answers")


def safety_assessments(investigation: Investigation) -> QuerySet:
    return investigation.safety_assessments.select_related("assessed_by")


def safety_assessment_detail() -> QuerySet:
    return SafetyAssessment.objects.select_related("assessed_by", "investigation").prefetch_related(
        Prefetch("threats", SafetyAssessmentThreat.objects.select_related("threat")),
        Prefetch("safety_plans", SafetyPlan.objects.order_by("-starts_on", "-id")),
    )


def safety_assessment_for_view(user: User, public_id) -> SafetyAssessment:
    investigation = access.get_for_view(user, _investigations(), safety_assessments__public_id=public_id)
    assessment = safety_assessment_detail().get(public_id=public_id)
    assessment.investigation = investigation
    return assessment


def safety_plans(investigation: Investigation) -> QuerySet:
    return (
        investigation.safety_plans.select_related("created_by")
        .annotate(review_count=Count("reviews"))
        .prefetch_related(Prefetch("actions", SafetyPlanAction.objects.select_related("responsible_person")))
    )


def active_safety_plans(investigation: Investigation) -> QuerySet:
    return investigation.safety_plans.filter(status=SafetyPlanStatus.ACTIVE)


def safety_plan_detail() -> QuerySet:
    return SafetyPlan.objects.select_related("investigation", "created_by", "assessment").prefetch_related(
        Prefetch("actions", SafetyPlanAction.objects.select_related("responsible_person")),
        Prefetch("reviews", SafetyPlanReview.objects.select_related("by")),
    )


def safety_plan_for_view(user: User, public_id) -> SafetyPlan:
    investigation = access.get_for_view(user, _investigations(), safety_plans__public_id=public_id)
    plan = safety_plan_detail().get(public_id=public_id)
    plan.investigation = investigation
    return plan


def safety_plan_for_change(user: User, public_id) -> SafetyPlan:
    investigation = access.get_for_change(user, _investigations(), safety_plans__public_id=public_id)
    plan = safety_plan_detail().get(public_id=public_id)
    plan.investigation = investigation
    return plan


def risk_assessments(investigation: Investigation) -> QuerySet:
    return investigation.risk_assessments.select_related("assessed_by")


def risk_assessment_detail() -> QuerySet:
    return RiskAssessment.objects.select_related("investigation", "assessed_by").prefetch_related(
        Prefetch("answers", RiskAssessmentAnswer.objects.select_related("item", "answer"))
    )


def risk_assessment_for_view(user: User, public_id) -> RiskAssessment:
    investigation = access.get_for_view(user, _investigations(), risk_assessments__public_id=public_id)
    assessment = risk_assessment_detail().get(public_id=public_id)
    assessment.investigation = investigation
    return assessment


def investigation_for_assessing(user: User, public_id) -> Investigation:
    """The investigation to record an assessment on: 404 if the user may not see it, 403 if they may not change it."""
    return access.get_for_change(user, _investigations(), public_id=public_id)


def investigation_for_reading(user: User, public_id) -> Investigation:
    return access.get_for_view(user, _investigations(), public_id=public_id)


def may_assess(user: User, investigation: Investigation, decisions: access.RecordDecisions | None = None) -> bool:
    """Whether the user may record assessments and plans on the investigation now (pages show the actions by it;
    `decisions` when the page asked the policy already)."""
    if assessments_refusal(investigation):
        return False
    return decisions.can_change if decisions else access.can_change(user, investigation)


def page_section(
    investigation: Investigation,
    user: User,
    *,
    facts: InvestigationFacts | None = None,
    decisions: access.RecordDecisions | None = None,
) -> dict:
    """What the investigation page shows of its assessments (a fixed number of queries, whatever their number;
    fewer with the page's `facts` and `decisions`, which the other sections share): the current safety and
    risk assessments with the earlier ones, and the safety plans."""
    facts = facts or InvestigationFacts(investigation)
    safety = facts.safety_assessments
    risk = facts.risk_assessments
    return {
        "assessments": {
            "safety_current": next((a for a in safety if a.superseded_at is None), None),
            "safety_earlier": [a for a in safety if a.superseded_at is not None],
            "plans": list(safety_plans(investigation)),
            "risk_current": next((a for a in risk if a.superseded_at is None), None),
            "risk_earlier": [a for a in risk if a.superseded_at is not None],
            "may_assess": may_assess(user, investigation, decisions),
            "refusal": assessments_refusal(investigation),
        }
    }
