from django.urls import path

from accounts import grants
from investigations import views
from investigations.models import Investigation

urlpatterns = [
    path("", views.investigation_list, name="investigation_list"),
    path("<uuid:public_id>/", views.investigation_detail, name="investigation_detail"),
    *grants.page_urls("<uuid:public_id>/", Investigation, noun="investigation", detail="investigation_detail"),
    path("<uuid:public_id>/assign/", views.investigation_assign, name="investigation_assign"),
    path("<uuid:public_id>/contacts/new/", views.investigation_contact_create, name="investigation_contact_create"),
]
