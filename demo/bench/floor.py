"""The bench's URLconf: the project's URLs and the floor page, which no production URL leads to.

`bench page_floor` serves it with `override_settings(ROOT_URLCONF="demo.bench.floor")`, so the floor
page runs behind the real middleware stack (sessions, authentication, sign-in required, CSP, ...).
"""

from django.http import HttpResponse
from django.urls import include, path

from accounts.models import User


def floor_page(request):
    """A signed-in page at its cheapest: one query on a unique index, and a few bytes of text."""
    username = User.objects.values_list("username", flat=True).get(username=request.user.username)
    return HttpResponse(f"Signed in as {username}.", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor_page, name="bench_page_floor"),
    path("", include("config.urls")),
]
