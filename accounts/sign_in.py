"""What a session remembers about its sign-in: when it began and when the password was last entered.

Times are kept as Unix timestamps in the session (JSON), set when Django logs the user in
(`accounts.signals`) and when the user confirms their password again (the re-authentication page).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "kindred_signed_in_at"
PASSWORD_ENTERED_AT = "kindred_password_entered_at"


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
