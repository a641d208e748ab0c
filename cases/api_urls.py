from django.urls import path

from . import api

REPORT = "intake-reports/<uuid:public_id>/"

urlpatterns = [
    path("intake-reports/", api.IntakeReportListCreate.as_view(), name="api_intake_report_list"),
    path(REPORT, api.IntakeReportDetail.as_view(), name="api_intake_report_detail"),
    path(REPORT + "submit/", api.ReportSubmit.as_view(), name="api_intake_report_submit"),
    path(REPORT + "screen-in/", api.ReportScreenIn.as_view(), name="api_intake_report_screen_in"),
    path(REPORT + "screen-out/", api.ReportScreenOut.as_view(), name="api_intake_report_screen_out"),
    path(
        REPORT + "approve-screen-out/",
        api.ReportApproveScreenOut.as_view(),
        name="api_intake_report_approve_screen_out",
    ),
    path(REPORT + "return/", api.ReportReturn.as_view(), name="api_intake_report_return"),
    path(REPORT + "priority/", api.ReportPriority.as_view(), name="api_intake_report_priority"),
    path(REPORT + "decide-downgrade/", api.ReportDecideDowngrade.as_view(), name="api_intake_report_decide_downgrade"),
    path(REPORT + "amend/", api.ReportAmend.as_view(), name="api_intake_report_amend"),
    path(REPORT + "people/", api.ReportPeople.as_view(), name="api_intake_report_people"),
    path(REPORT + "allegations/", api.ReportAllegations.as_view(), name="api_intake_report_allegations"),
    path(
        "allegations/<uuid:public_id>/withdraw/",
        api.AllegationWithdraw.as_view(),
        name="api_intake_allegation_withdraw",
    ),
]
