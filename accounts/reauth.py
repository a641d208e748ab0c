"""Re-authentication before role, unit, clearance and password actions.

A session left open on a desk must not be enough to hand out access: when the user's password
was last entered more than REAUTHENTICATE_MINUTES ago, pages ask for it again (and then return
to where the user was) and the API answers 403 until the user has confirmed it.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import sign_in


def recent_password_required(view):
    """For a page: a stale password sends the user to confirm it, then back to this page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.user.is_authenticated and not sign_in.password_entered_recently(request.session):
            return redirect(f"{reverse('reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return checked


class RecentPassword(BasePermission):
    """For the API: changes (not reads) need a password entered within the last minutes."""

    @property
    def message(self) -> str:
        return (
            f"Confirm your password first: this change needs a password entered within the last "
            f"{settings.KINDRED_REAUTHENTICATE_MINUTES} minutes ({reverse('reauthenticate')}, or sign in again)."
        )

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or sign_in.password_entered_recently(request.session)
