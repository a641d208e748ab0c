from django.urls import path

from investigations import views

urlpatterns = [
    path("", views.investigation_list, name="investigation_list"),
    path("<uuid:public_id>/", views.investigation_detail, name="investigation_detail"),
    path("<uuid:public_id>/assign/", views.investigation_assign, name="investigation_assign"),
    path("<uuid:public_id>/contacts/new/", views.investigation_contact_create, name="investigation_contact_create"),
]
