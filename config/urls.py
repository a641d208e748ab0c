from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

handler400 = "common.errors.bad_request"
handler403 = "common.errors.permission_denied"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"

urlpatterns = [
    path("", include("accounts.urls")),
    path("people/", include("families.urls")),
    path("intake/", include("cases.urls.intake")),
    path("", include("cases.urls.casework")),
    path("", include("reporting.urls")),
    path("investigations/", include("investigations.urls")),
    path("", include("records.urls")),
    path("api/", include("accounts.api_urls")),
    path("api/", include("families.api_urls")),
    path("api/", include("cases.api_urls")),
    path("api/", include("investigations.api_urls")),
    path("api/", include("records.api_urls")),
    path("api/", include("reporting.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("django-admin/", admin.site.urls),
]
