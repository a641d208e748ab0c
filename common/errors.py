"""Kindred's error pages: the templates for people, JSON for the API, and our 404 even while DEBUG is on."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views import defaults

API_PREFIX = "/api/"


def _api_error(request, status: int, detail: str) -> JsonResponse | None:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail}, status=status)
    return None


def page_not_found(request, exception):
    return _api_error(request, 404, "Not found.") or defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    return _api_error(request, 403, "You do not have permission to perform this action.") or (
        defaults.permission_denied(request, exception)
    )


def bad_request(request, exception):
    return _api_error(request, 400, "Bad request.") or defaults.bad_request(request, exception)


def refuse_request(request, detail: str):
    """400 with a message saying what was wrong: JSON for the API, the error page for people."""
    return _api_error(request, 400, detail) or render(request, "400.html", {"detail": detail}, status=400)


def server_error(request):
    return _api_error(request, 500, "Server error.") or defaults.server_error(request)


def _replaces_technical_404() -> bool:
    return settings.DEBUG and not settings.DEBUG_TECHNICAL_404


class NotFoundPageMiddleware:
    """While DEBUG is on, answers "not found" with Kindred's page instead of Django's technical one.

    Django shows the technical page, which lists every URL pattern, whenever DEBUG is on; the demo
    runs with DEBUG on and is used by people who are not developers. DEBUG_TECHNICAL_404 brings the
    technical page back for a developer. Without DEBUG, Django itself calls `handler404`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _replaces_technical_404():
            try:
                resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
            except Resolver404 as exception:
                return page_not_found(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and _replaces_technical_404():
            return page_not_found(request, exception)
        return None
