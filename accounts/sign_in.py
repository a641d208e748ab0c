"""What a session remembers about its sign-in: when it began, when the password was last entered,
and a sign-in waiting for its second factor.

Times are kept as Unix timestamps in the session (JSON), set when Django logs the user in
(`accounts.signals`) and when the user confirms their password again (the re-authentication page).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User

SIGNED_IN_AT = "kindred_signed_in_at"
PASSWORD_ENTERED_AT = "kindred_password_entered_at"
PENDING_SIGN_IN = "kindred_pending_sign_in"
# How long the password step of a sign-in waits for its one-time code.
PENDING_SIGN_IN_SECONDS = 300


def _now() -> float:
    return timezone.now().timestamp()


def _older_than(session, key: str, age: timedelta) -> bool:
    """True when the time stored under `key` is older than `age`, or missing (fail closed)."""
    at = session.get(key)
    return not isinstance(at, int | float) or _now() - at > age.total_seconds()


def mark_signed_in(session) -> None:
    now = _now()
    session[SIGNED_IN_AT] = now
    session[PASSWORD_ENTERED_AT] = now


def mark_password_entered(session) -> None:
    session[PASSWORD_ENTERED_AT] = _now()


def session_outlived(session) -> bool:
    """The absolute limit: SESSION_MAX_HOURS after sign-in, however active the session was."""
    return _older_than(session, SIGNED_IN_AT, timedelta(hours=settings.KINDRED_SESSION_MAX_HOURS))


def password_entered_recently(session) -> bool:
    return not _older_than(session, PASSWORD_ENTERED_AT, timedelta(minutes=settings.KINDRED_REAUTHENTICATE_MINUTES))


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    backend: str
    next_url: str


def hold_sign_in(session, *, user: User, backend: str, next_url: str) -> None:
    """The password was right and a one-time code is due: remember who, until the code comes."""
    session[PENDING_SIGN_IN] = {"user": user.pk, "backend": backend, "next": next_url, "at": _now()}


def pending_sign_in(session) -> PendingSignIn | None:
    held = session.get(PENDING_SIGN_IN)
    if not held or _older_than(held, "at", timedelta(seconds=PENDING_SIGN_IN_SECONDS)):
        return None
    user = User.objects.filter(pk=held["user"], is_active=True).first()
    if user is None:
        return None
    return PendingSignIn(user=user, backend=held["backend"], next_url=held["next"])


def drop_pending_sign_in(session) -> None:
    session.pop(PENDING_SIGN_IN, None)
