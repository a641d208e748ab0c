"""Sign-in and sign-out are recorded in the audit log, and sessions are tracked for deactivation."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import sign_in
from accounts.audit import log_action, log_sign_in_failed
from accounts.models import User, UserSession
from accounts.services import track_session


@receiver(user_logged_in)
def on_signed_in(sender, request, user, **kwargs):
    sign_in.mark_signed_in(request.session)
    if request.session.session_key is None:
        request.session.save()
    track_session(user=user, session_key=request.session.session_key)
    log_action(actor=user, action="accounts.user.signed_in", target=user)


@receiver(user_logged_out)
def on_signed_out(sender, request, user, **kwargs):
    if user is not None:
        UserSession.objects.filter(user=user, session_key=request.session.session_key).delete()
        if getattr(request, "kindred_session_outlived", False):
            log_action(actor=None, action="accounts.user.session_outlived", target=user)
        else:
            log_action(actor=user, action="accounts.user.signed_out", target=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    """Django hands over the credentials with the password already masked; only the username is kept."""
    username = str(credentials.get("username") or "")
    log_sign_in_failed(
        username=username,
        user=User.objects.filter(username=username).first(),
        second_factor="second_factor" in credentials,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        log_action(actor=None, action="accounts.user.locked_out", target=user)
