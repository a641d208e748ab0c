"""Pages (`urlpatterns`) and API (`api_urlpatterns`) of an investigation's deadlines."""

urlpatterns: list = []
api_urlpatterns: list = []
