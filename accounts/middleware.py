import ipaddress
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts import second_factor, sign_in
from accounts.audit import RequestContext, reset_request_context, set_request_context

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request) -> str | None:
    """The client's address: the right-most X-Forwarded-For entry not added by a trusted proxy.

    The header is believed only when the request comes from one of TRUSTED_PROXIES; each proxy
    appends the address it saw, so entries left of the last untrusted one may be forged by the
    client. A malformed entry ends the chain: the address is then the nearest trusted proxy's.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not _is_ip(peer):
        return None
    nearest = peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(nearest) or not _is_ip(hop):
            return nearest
        nearest = hop
    return nearest


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _trusted(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


class SessionLifetimeMiddleware:
    """Ends a session SESSION_MAX_HOURS after sign-in, however active: the idle timeout alone never would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and sign_in.session_outlived(request.session):
            # Tells the sign-out receiver that the session ran out, rather than the user signing out.
            request.kindred_session_outlived = True
            logout(request)
        return self.get_response(request)


class RequestContextMiddleware:
    """Makes the client's address available to the audit log for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_context(RequestContext(ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            reset_request_context(token)


class PasswordChangeRequiredMiddleware:
    """A user holding an initial or reset password must choose their own before anything else."""

    ALLOWED_NAMES = ("password_change", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "You must change your password before continuing."}, status=403)
                return redirect("password_change")
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Where the agency requires a second factor, an administrator without one must enrol before anything else."""

    ALLOWED_NAMES = ("second_factor", "reauthenticate", "password_change", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and second_factor.missing_for(user):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Set up your second factor (an authenticator app) before continuing."}, status=403
                    )
                return redirect("second_factor")
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing shown to a signed-in user may be kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response
