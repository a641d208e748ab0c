from django.urls import path

from accounts import grants
from cases.models import IntakeReport
from cases.views import intake as views

urlpatterns = [
    path("", views.intake_queue, name="intake_queue"),
    path("new/", views.intake_create, name="intake_create"),
    path("<uuid:public_id>/", views.intake_detail, name="intake_detail"),
    *grants.page_urls("<uuid:public_id>/", IntakeReport, noun="report", detail="intake_detail"),
    path("<uuid:public_id>/edit/<slug:section>/", views.intake_edit_section, name="intake_edit_section"),
    path("<uuid:public_id>/submit/", views.intake_submit, name="intake_submit"),
    path("<uuid:public_id>/decide/", views.intake_decide, name="intake_decide"),
    path("<uuid:public_id>/review/", views.intake_review, name="intake_review"),
    path("<uuid:public_id>/priority/", views.intake_priority, name="intake_priority"),
    path("<uuid:public_id>/amend/", views.intake_amend, name="intake_amend"),
]
