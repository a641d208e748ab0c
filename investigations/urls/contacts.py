"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's contacts and cross-reports."""

from django.urls import path

from investigations.api import contacts as api
from investigations.views import contacts as views

urlpatterns = [
    path("<uuid:public_id>/contacts/new/", views.investigation_contact_create, name="investigation_contact_create"),
    path(
        "<uuid:public_id>/cross-reports/new/",
        views.investigation_cross_report_create,
        name="investigation_cross_report_create",
    ),
]

api_urlpatterns = [
    path(
        "investigations/<uuid:public_id>/contacts/",
        api.InvestigationContacts.as_view(),
        name="api_contact_investigation_list",
    ),
    path(
        "investigations/<uuid:public_id>/cross-reports/",
        api.InvestigationCrossReports.as_view(),
        name="api_investigation_cross_reports",
    ),
]
