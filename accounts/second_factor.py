"""The optional second factor: a time-based one-time code (TOTP, django-otp) from an authenticator app.

A user enrols one device: Kindred makes a secret, the user adds it to their app, and the device
counts once the user has typed a first code from it. From then on every sign-in asks for a code.
With REQUIRE_ADMIN_SECOND_FACTOR on, an administrator must enrol before doing anything else.
"""

from base64 import b32encode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import log_action
from accounts.models import User
from accounts.roles import Role

DEVICE_NAME = "Authenticator app"


def device_for_sign_in(user: User) -> TOTPDevice | None:
    """The user's confirmed device, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_required(user: User) -> bool:
    return settings.KINDRED_REQUIRE_ADMIN_SECOND_FACTOR and user.has_role(Role.ADMINISTRATOR)


def missing_for(user: User) -> bool:
    """The agency requires a second factor of this user, and they have none yet."""
    return is_required(user) and device_for_sign_in(user) is None


def secret_of(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it when typed in (base32, in groups of four)."""
    plain = b32encode(device.bin_key).decode()
    return " ".join(plain[start : start + 4] for start in range(0, len(plain), 4))


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The device being enrolled: the same secret until it is confirmed, so a reload changes nothing."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_enrolment_confirm(*, user: User, token: str) -> TOTPDevice:
    """A first code from the app proves it holds the secret; the device then guards every sign-in.

    The code is checked outside the transaction: django-otp records a wrong code (to slow down
    guessing), and that record must stay when the confirmation is refused.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or device_for_sign_in(user) is not None:
        raise ValidationError("There is no second factor waiting to be confirmed.")
    if not device.verify_token(token.strip()):
        raise ValidationError({"code": "This code is not right, or came too soon after a wrong one. Try the next."})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_action(actor=user, action="accounts.user.second_factor_enrolled", target=user)
    return device


def verify_sign_in_code(*, device: TOTPDevice, token: str) -> bool:
    """django-otp checks the code, refuses a code used before, and slows down repeated wrong codes."""
    return device.verify_token(token.strip())


@transaction.atomic
def totp_devices_remove(*, actor: User | None, user: User) -> int:
    """For a lost phone: the user signs in with their password alone again, and may enrol a new app."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        log_action(actor=actor, action="accounts.user.second_factor_removed", target=user)
    return removed
