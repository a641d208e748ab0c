"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's deadlines."""

from django.urls import path

from investigations.api import deadlines as api
from investigations.views import deadlines as views

urlpatterns = [
    path(
        "<uuid:public_id>/deadlines/<uuid:person_id>/excuse/",
        views.child_deadline_excuse_page,
        name="child_deadline_excuse",
    ),
]
api_urlpatterns = [
    path(
        "investigations/<uuid:public_id>/deadlines/",
        api.InvestigationDeadlines.as_view(),
        name="api_investigation_deadlines",
    ),
    path(
        "investigations/<uuid:public_id>/deadlines/<uuid:person_id>/excuse/",
        api.ChildDeadlineExcuse.as_view(),
        name="api_child_deadline_excuse",
    ),
]
