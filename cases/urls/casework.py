from django.urls import path

from accounts import grants
from cases.models import Case
from cases.views import case_list, casework, jobs

urlpatterns = [
    path("cases/", case_list.case_list, name="case_list"),
    path("cases/new/", casework.case_open, name="case_open"),
    path("cases/reassign/", casework.cases_reassign, name="cases_reassign"),
    path("cases/<uuid:public_id>/", casework.case_detail, name="case_detail"),
    *grants.page_urls("cases/<uuid:public_id>/", Case, noun="case", detail="case_detail"),
    path("cases/<uuid:public_id>/members/new/", casework.case_member_add, name="case_member_add"),
    path("cases/<uuid:public_id>/members/record/", casework.case_member_record, name="case_member_record"),
    path("cases/<uuid:public_id>/members/<uuid:member_id>/end/", casework.case_member_end, name="case_member_end"),
    path(
        "cases/<uuid:public_id>/members/<uuid:member_id>/care/",
        casework.case_member_care,
        name="case_member_care",
    ),
    path(
        "cases/<uuid:public_id>/members/<uuid:member_id>/excuse/",
        casework.case_member_excuse,
        name="case_member_excuse",
    ),
    path(
        "cases/<uuid:public_id>/members/<uuid:member_id>/require-visits/",
        casework.case_member_require,
        name="case_member_require",
    ),
    path("cases/<uuid:public_id>/assign/", casework.case_assign, name="case_assign"),
    path("cases/<uuid:public_id>/closure/request/", casework.case_request_closure, name="case_request_closure"),
    path("cases/<uuid:public_id>/closure/review/", casework.case_review_closure, name="case_review_closure"),
    path("cases/<uuid:public_id>/reopen/", casework.case_reopen, name="case_reopen"),
    path("cases/<uuid:public_id>/notes/new/", casework.case_note_add, name="case_note_add"),
    path("cases/<uuid:public_id>/contacts/new/", casework.contact_create, name="contact_create"),
    path("contacts/<uuid:public_id>/", casework.contact_detail, name="contact_detail"),
    path("contacts/<uuid:public_id>/amend/", casework.contact_amend, name="contact_amend"),
    path("jobs/overdue-visits/", jobs.visit_job_page, name="visit_job_page"),
]
