from django.urls import path

from accounts import grants
from investigations.api import core as api
from investigations.models import Investigation
from investigations.views import core as views

urlpatterns = [
    path("", views.investigation_list, name="investigation_list"),
    path("<uuid:public_id>/", views.investigation_detail, name="investigation_detail"),
    *grants.page_urls("<uuid:public_id>/", Investigation, noun="investigation", detail="investigation_detail"),
    path("<uuid:public_id>/assign/", views.investigation_assign, name="investigation_assign"),
]

api_urlpatterns = [
    path("investigations/", api.InvestigationList.as_view(), name="api_investigation_list"),
    path("investigations/<uuid:public_id>/", api.InvestigationDetail.as_view(), name="api_investigation_detail"),
    *grants.api_urls("investigations/<uuid:public_id>/", Investigation, noun="investigation"),
    path("investigations/<uuid:public_id>/assign/", api.InvestigationAssign.as_view(), name="api_investigation_assign"),
]
