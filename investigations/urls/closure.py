"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's closure."""

urlpatterns: list = []
api_urlpatterns: list = []
