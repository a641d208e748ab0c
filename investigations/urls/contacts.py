"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's contacts."""

urlpatterns: list = []
api_urlpatterns: list = []
