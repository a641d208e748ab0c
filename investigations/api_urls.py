from django.urls import path

from investigations import api

urlpatterns = [
    path("investigations/", api.InvestigationList.as_view(), name="api_investigation_list"),
    path("investigations/<uuid:public_id>/", api.InvestigationDetail.as_view(), name="api_investigation_detail"),
    path("investigations/<uuid:public_id>/assign/", api.InvestigationAssign.as_view(), name="api_investigation_assign"),
    path(
        "investigations/<uuid:public_id>/contacts/",
        api.InvestigationContacts.as_view(),
        name="api_contact_investigation_list",
    ),
]
