"""Abstract shapes every record app builds on: status history, amendments, contacts.

Each record app makes its own concrete table from these (a foreign key to its record, its own
related names); the fields, their meaning and their rules are written once, here.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from records.choices import ContactLocation, ContactType


class Transition(models.Model):
    """One status change of a record: from, to, who, when and why. Written only by `records.workflow`.

    The concrete table names its record's status choices in `status_choices`, for the labels.
    """

    status_choices: type[models.TextChoices]

    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def _label(self, status: str) -> str:
        return self.status_choices(status).label if status in self.status_choices.values else status

    def get_from_status_display(self) -> str:
        return self._label(self.from_status)

    def get_to_status_display(self) -> str:
        return self._label(self.to_status)


class Amendment(models.Model):
    """A correction to a record whose content is final: the old value stays with who changed it and why."""

    field = models.CharField(max_length=60)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.field} amended"

    @staticmethod
    def as_text(value) -> str:
        """How an old or new value is kept: lists comma-separated, yes/no, local times to the minute."""
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, datetime):
            return timezone.localtime(value).isoformat(timespec="minutes")
        return "" if value is None else str(value)


class Contact(models.Model):
    """A contact or visit with people on a record. The concrete table adds the record and `people_seen`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField()
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    location = models.CharField(max_length=20, choices=ContactLocation.choices)
    location_detail = models.CharField(max_length=200, blank=True)
    seen_privately = models.BooleanField("child seen privately", default=False)
    narrative = models.TextField()
    safety_concerns = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} on {self.occurred_at:%Y-%m-%d}"

    def audit_label(self) -> str:
        return f"Contact {str(self.public_id)[:8].upper()}"

    @property
    def counts_as_visit(self) -> bool:
        return self.contact_type == ContactType.FACE_TO_FACE


class Holiday(models.Model):
    """A day the agency is closed: working-day deadlines (e.g. the safety assessment's) skip it.

    Kept by administrators (the holidays page); `records.calendar` counts working days over it.
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%Y-%m-%d})"

    def audit_label(self) -> str:
        return str(self)
