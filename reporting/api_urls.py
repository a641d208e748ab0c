from django.urls import path

from reporting import api

urlpatterns = [
    path("dashboard/", api.DashboardView.as_view(), name="api_dashboard"),
    path("approvals/", api.ApprovalQueue.as_view(), name="api_approval_queue"),
    path("my-work/", api.MyWorkVisitStatus.as_view(), name="api_my_work"),
    path("caseload/visit-status/", api.CaseloadVisitStatus.as_view(), name="api_caseload_visit_status"),
]
