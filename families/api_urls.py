from django.urls import path

from . import api

urlpatterns = [
    path("people/", api.PersonListCreate.as_view(), name="api_person_list"),
    path("people/<uuid:public_id>/", api.PersonDetail.as_view(), name="api_person_detail"),
    path("people/<uuid:public_id>/relationships/", api.PersonRelationships.as_view(), name="api_person_relationships"),
    path("people/<uuid:public_id>/merge/", api.PersonMerge.as_view(), name="api_person_merge"),
]
