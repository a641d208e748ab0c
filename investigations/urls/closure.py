"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's findings and closure."""

from django.urls import path

from investigations.api import findings as api
from investigations.views import findings as views

urlpatterns = [
    path("<uuid:public_id>/findings/", views.investigation_findings, name="investigation_findings"),
    path(
        "<uuid:public_id>/findings/submit/", views.investigation_findings_submit, name="investigation_findings_submit"
    ),
    path(
        "<uuid:public_id>/findings/review/", views.investigation_findings_review, name="investigation_findings_review"
    ),
    path(
        "<uuid:public_id>/findings/reopen/", views.investigation_findings_reopen, name="investigation_findings_reopen"
    ),
    path("<uuid:public_id>/closure/", views.investigation_closure_request, name="investigation_closure_request"),
    path("<uuid:public_id>/closure/review/", views.investigation_closure_review, name="investigation_closure_review"),
]

RECORD = "investigations/<uuid:public_id>/"
api_urlpatterns = [
    path(RECORD + "findings/", api.InvestigationFindings.as_view(), name="api_investigation_findings"),
    path(
        RECORD + "submit-findings/", api.InvestigationSubmitFindings.as_view(), name="api_investigation_submit_findings"
    ),
    path(
        RECORD + "approve-findings/",
        api.InvestigationApproveFindings.as_view(),
        name="api_investigation_approve_findings",
    ),
    path(
        RECORD + "return-findings/", api.InvestigationReturnFindings.as_view(), name="api_investigation_return_findings"
    ),
    path(
        RECORD + "reopen-findings/", api.InvestigationReopenFindings.as_view(), name="api_investigation_reopen_findings"
    ),
    path(RECORD + "closure/", api.InvestigationClosure.as_view(), name="api_investigation_closure"),
    path(
        RECORD + "approve-closure/", api.InvestigationApproveClosure.as_view(), name="api_investigation_approve_closure"
    ),
    path(RECORD + "return-closure/", api.InvestigationReturnClosure.as_view(), name="api_investigation_return_closure"),
]
