from django.urls import path

from families import api

urlpatterns = [
    path("people/", api.PersonListCreate.as_view(), name="api_person_list"),
    path("people/<uuid:public_id>/", api.PersonDetail.as_view(), name="api_person_detail"),
    path("people/<uuid:public_id>/relationships/", api.PersonRelationships.as_view(), name="api_person_relationships"),
    path("people/<uuid:public_id>/merge/", api.PersonMerge.as_view(), name="api_person_merge"),
    path("people/<uuid:public_id>/households/", api.PersonHouseholds.as_view(), name="api_person_households"),
    path("households/<uuid:public_id>/members/", api.HouseholdMembers.as_view(), name="api_household_members"),
    path(
        "household-members/<uuid:public_id>/end/",
        api.HouseholdMemberEnd.as_view(),
        name="api_household_member_end",
    ),
]
