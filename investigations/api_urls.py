from django.urls import path

from accounts import grants
from investigations import api
from investigations.models import Investigation

urlpatterns = [
    path("investigations/", api.InvestigationList.as_view(), name="api_investigation_list"),
    path("investigations/<uuid:public_id>/", api.InvestigationDetail.as_view(), name="api_investigation_detail"),
    *grants.api_urls("investigations/<uuid:public_id>/", Investigation, noun="investigation"),
    path("investigations/<uuid:public_id>/assign/", api.InvestigationAssign.as_view(), name="api_investigation_assign"),
    path(
        "investigations/<uuid:public_id>/contacts/",
        api.InvestigationContacts.as_view(),
        name="api_contact_investigation_list",
    ),
]
