"""Sign-in throttling: django-axes' database handler, with one limit per kind of attack.

Axes counts failures per parameter set (settings.AXES_LOCKOUT_PARAMETERS, in this order: the
username and address pair, the username alone, the address alone) but compares them all with
one limit. Here the pair keeps AXES_FAILURE_LIMIT, and the username and the address each have
their own, higher limit, so that a mistyped password locks one person at one desk while a
guessing or spraying attack from many machines or over many usernames is still stopped.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The pair's failures; a username or an address over its own limit counts as the pair at its limit."""
        pair, by_username, by_address = (_failures(found) for found in self.get_user_attempts(request, credentials))
        if (
            by_username >= settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_USERNAME
            or by_address >= settings.KINDRED_LOGIN_FAILURE_LIMIT_PER_ADDRESS
        ):
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in forgets the failures of its own username at its own address only.

        Axes would also forget every failure of the address and of the username, so one good
        account would wipe out the count of a spraying attack from the same address.
        """
        username = get_client_username(request, credentials)
        removed, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return removed
