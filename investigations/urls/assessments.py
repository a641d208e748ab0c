"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's assessments."""

from django.urls import path

from investigations.api import assessments as api
from investigations.views import assessments as views

urlpatterns = [
    path("<uuid:public_id>/safety-assessments/new/", views.safety_assessment_create, name="safety_assessment_create"),
    path("safety-assessments/<uuid:public_id>/", views.safety_assessment_detail, name="safety_assessment_detail"),
    path("<uuid:public_id>/safety-plans/new/", views.safety_plan_create, name="safety_plan_create"),
    path("safety-plans/<uuid:public_id>/", views.safety_plan_detail, name="safety_plan_detail"),
    path("safety-plans/<uuid:public_id>/review/", views.safety_plan_review, name="safety_plan_review"),
    path("safety-plans/<uuid:public_id>/end/", views.safety_plan_end, name="safety_plan_end"),
    path("<uuid:public_id>/risk-assessments/new/", views.risk_assessment_create, name="risk_assessment_create"),
    path("risk-assessments/<uuid:public_id>/", views.risk_assessment_detail, name="risk_assessment_detail"),
]

api_urlpatterns = [
    path("safety-threats/", api.SafetyThreatList.as_view(), name="api_safety_threat_list"),
    path("risk-items/", api.RiskItemList.as_view(), name="api_risk_item_list"),
    path(
        "investigations/<uuid:public_id>/safety-assessments/",
        api.InvestigationSafetyAssessments.as_view(),
        name="api_investigation_safety_assessments",
    ),
    path("safety-assessments/<uuid:public_id>/", api.SafetyAssessmentDetail.as_view(), name="api_safety_assessment"),
    path(
        "investigations/<uuid:public_id>/safety-plans/",
        api.InvestigationSafetyPlans.as_view(),
        name="api_investigation_safety_plans",
    ),
    path("safety-plans/<uuid:public_id>/", api.SafetyPlanDetail.as_view(), name="api_safety_plan"),
    path("safety-plans/<uuid:public_id>/reviews/", api.SafetyPlanReviewCreate.as_view(), name="api_safety_plan_review"),
    path("safety-plans/<uuid:public_id>/end/", api.SafetyPlanEnd.as_view(), name="api_safety_plan_end"),
    path(
        "investigations/<uuid:public_id>/risk-assessments/",
        api.InvestigationRiskAssessments.as_view(),
        name="api_investigation_risk_assessments",
    ),
    path("risk-assessments/<uuid:public_id>/", api.RiskAssessmentDetail.as_view(), name="api_risk_assessment"),
]
