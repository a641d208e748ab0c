from django.urls import path

from families import views

urlpatterns = [
    path("", views.person_search, name="person_search"),
    path("new/", views.person_create, name="person_create"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/names/new/", views.person_add_alias, name="person_add_alias"),
    path("<uuid:public_id>/addresses/new/", views.person_move, name="person_move"),
    path("<uuid:public_id>/icwa/", views.person_icwa, name="person_icwa"),
    path("<uuid:public_id>/relationships/new/", views.relationship_create, name="relationship_create"),
    path("<uuid:public_id>/relationships/record/", views.relationship_record, name="relationship_record"),
    path("<uuid:public_id>/households/new/", views.household_create, name="household_create"),
    path("<uuid:public_id>/households/members/new/", views.household_member_add, name="household_member_add"),
    path("<uuid:public_id>/households/members/end/", views.household_member_end, name="household_member_end"),
    path("<uuid:public_id>/merge/", views.person_merge, name="person_merge"),
]
