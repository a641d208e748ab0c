"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's assessments."""

urlpatterns: list = []
api_urlpatterns: list = []
