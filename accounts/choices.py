"""Vocabularies of staff administration (roles and clearances are in `accounts.roles`)."""

from django.db import models


class ChangeKind(models.TextChoices):
    """What a change request waiting for a second administrator would do."""

    ACCESS = "access", "Roles, clearances or e-mail"
    UNIT_SUPERVISOR = "unit_supervisor", "Unit supervisor"
    PASSWORD_RESET = "password_reset", "Password reset"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
