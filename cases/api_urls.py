from django.urls import path

from accounts import grants
from cases.api import intake as api
from cases.models import Case, IntakeReport

REPORT = "intake-reports/<uuid:public_id>/"

urlpatterns = [
    path("intake-reports/", api.IntakeReportListCreate.as_view(), name="api_intake_report_list"),
    path(REPORT, api.IntakeReportDetail.as_view(), name="api_intake_report_detail"),
    *grants.api_urls(REPORT, IntakeReport, noun="report"),
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

# Ongoing cases: members, assignments, closure, notes, contacts and visits, alerts (cases/api/).
from cases.api import casework as case_api  # noqa: E402
from cases.api import contacts as contact_api  # noqa: E402
from cases.api import members as member_api  # noqa: E402

CASE = "cases/<uuid:public_id>/"
MEMBER = "case-members/<uuid:public_id>/"
CONTACT = "contacts/<uuid:public_id>/"

urlpatterns += [
    path("cases/", case_api.CaseListCreate.as_view(), name="api_case_list"),
    path("cases/reassign-all/", case_api.CasesReassignAll.as_view(), name="api_case_reassign_all"),
    path(CASE, case_api.CaseDetail.as_view(), name="api_case_detail"),
    *grants.api_urls(CASE, Case, noun="case"),
    path(CASE + "members/", member_api.CaseMembers.as_view(), name="api_case_members"),
    path(MEMBER + "end/", member_api.CaseMemberEnd.as_view(), name="api_case_member_end"),
    path(MEMBER + "excuse/", member_api.CaseMemberExcuse.as_view(), name="api_case_member_excuse"),
    path(MEMBER + "care/", member_api.CaseMemberCare.as_view(), name="api_case_member_care"),
    path(
        MEMBER + "require-visits/", member_api.CaseMemberRequireVisits.as_view(), name="api_case_member_require_visits"
    ),
    path(CASE + "assignments/", case_api.CaseAssignments.as_view(), name="api_case_assignments"),
    path(CASE + "assign/", case_api.CaseAssign.as_view(), name="api_case_assign"),
    path(CASE + "request-closure/", case_api.CaseRequestClosure.as_view(), name="api_case_request_closure"),
    path(CASE + "approve-closure/", case_api.CaseApproveClosure.as_view(), name="api_case_approve_closure"),
    path(CASE + "return-closure/", case_api.CaseReturnClosure.as_view(), name="api_case_return_closure"),
    path(CASE + "reopen/", case_api.CaseReopen.as_view(), name="api_case_reopen"),
    path(CASE + "restriction/", case_api.CaseRestriction.as_view(), name="api_case_restriction"),
    path(CASE + "notes/", case_api.CaseNotes.as_view(), name="api_case_notes"),
    path(CASE + "contacts/", contact_api.CaseContacts.as_view(), name="api_case_contacts"),
    path(CASE + "visit-status/", contact_api.CaseVisitStatus.as_view(), name="api_case_visit_status"),
    path(CASE + "alerts/", contact_api.CaseAlerts.as_view(), name="api_case_alerts"),
    path(CONTACT, contact_api.ContactDetail.as_view(), name="api_contact_detail"),
    path(CONTACT + "amend/", contact_api.ContactAmend.as_view(), name="api_contact_amend"),
]
