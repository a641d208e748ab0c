"""Pages of investigations (`urlpatterns`), one module per concern; the API's are in `investigations.api_urls`."""

from investigations.urls import assessments, closure, contacts, core, deadlines

urlpatterns = [
    *core.urlpatterns,
    *deadlines.urlpatterns,
    *contacts.urlpatterns,
    *assessments.urlpatterns,
    *closure.urlpatterns,
]
