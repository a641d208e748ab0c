"""Roles are Django groups; this is their one list. A migration creates the groups."""

from django.db import models


class Role(models.TextChoices):
    INTAKE_SCREENER = "intake_screener", "Intake screener"
    CASEWORKER = "caseworker", "Caseworker"
    SUPERVISOR = "supervisor", "Supervisor"
    PROGRAM_MANAGER = "program_manager", "Program manager"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"

    @property
    def group_name(self) -> str:
        return self.label

    @classmethod
    def from_group_name(cls, name: str) -> "Role | None":
        for role in cls:
            if role.label == name:
                return role
        return None


class Clearance(models.TextChoices):
    """Access restriction of a record, and the clearance a user needs to see it."""

    NONE = "none", "None"
    SENSITIVE = "sensitive", "Sensitive"
    SEALED = "sealed", "Sealed"
