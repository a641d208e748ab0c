"""The investigations' part of /api/: each concern's module under `investigations.urls` lists its own."""

from investigations.urls import assessments, closure, contacts, core, deadlines

urlpatterns = [
    *core.api_urlpatterns,
    *deadlines.api_urlpatterns,
    *contacts.api_urlpatterns,
    *assessments.api_urlpatterns,
    *closure.api_urlpatterns,
]
