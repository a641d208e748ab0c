import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.managers import GroupObjectPermissionManager, UserObjectPermissionManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.choices import ChangeKind, ChangeStatus
from accounts.roles import Role


class Unit(models.Model):
    """A team of caseworkers under one supervisor. Its group carries grants shared by the unit."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    supervisor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_units",
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="unit", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member. Never deleted: deactivation keeps their history attributed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    clearance_sensitive = models.BooleanField(
        "sensitive clearance", default=False, help_text="May see records restricted as sensitive."
    )
    clearance_sealed = models.BooleanField("sealed clearance", default=False, help_text="May see sealed records.")
    must_change_password = models.BooleanField(default=False)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def _group_rows(self) -> list[tuple[int, str]]:
        """The user's groups as (id, name), read once per request."""
        cached = getattr(self, "_groups_cache", None)
        if cached is None:
            cached = [(group.pk, group.name) for group in self.groups.all()]
            self._groups_cache = cached
        return cached

    def forget_groups(self) -> None:
        """After the user's groups changed: read them again."""
        self._groups_cache = None

    @property
    def roles(self) -> frozenset[Role]:
        """The user's roles, from its groups."""
        return frozenset(role for role in (Role.from_group_name(name) for _, name in self._group_rows) if role)

    @property
    def group_ids(self) -> list[int]:
        """The user's groups (roles and unit), for filters on grants made to a group."""
        return [pk for pk, _ in self._group_rows]

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> str:
        return ", ".join(sorted(role.label for role in self.roles)) or "No role"


class UserSession(models.Model):
    """Which sessions belong to whom, so deactivation can end all of a user's sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of {self.user_id}"


class AuditEvent(models.Model):
    """One row per change or read of interest. Written in the transaction it records; never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events")
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "occurred_at"]),
            # "Who was shown this record": the list reads naming it, by `changes @> {"ids": {type: [id]}}`.
            GinIndex(fields=["changes"], opclasses=["jsonb_path_ops"], name="accounts_audit_changes_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events cannot be deleted.")


class Notification(models.Model):
    """An in-app message to one staff member. Says which record, never its content."""

    # The kind of the notifications about no record (staff changes, approvals of accounts).
    GENERAL_KIND = "Staff and accounts"
    # The heading of those whose kind is not known: stored before kinds were, and not derivable (migration 0010).
    UNKNOWN_KIND_HEADING = "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once its e-mail copy was handed to the mail server (staff without an address get none).
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Makes a notification idempotent: the same key is never sent twice to the same person.
    key = models.CharField(max_length=200, blank=True)
    # What the notification is about, named as its recipient may see it when it was made (accounts.naming):
    # the kind of record (the list groups by it), its name, and when the work it asks for is due.
    kind = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def group_label(self) -> str:
        """The heading the notification is listed under: read or not, and its kind."""
        return f"{'Unread' if self.read_at is None else 'Read'}: {self.kind or self.UNKNOWN_KIND_HEADING}"


def _unexpired() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


# The same rule in the SQL the access policy writes for grants (a grant table aliased g; the moment a parameter).
UNEXPIRED_SQL = "(g.expires_at IS NULL OR g.expires_at > %s)"


class UnexpiredUserGrantManager(UserObjectPermissionManager):
    """Guardian reads grants through `objects`; an expired grant is invisible from the moment it expires."""

    def get_queryset(self):
        return super().get_queryset().filter(_unexpired())


class UnexpiredGroupGrantManager(GroupObjectPermissionManager):
    def get_queryset(self):
        return super().get_queryset().filter(_unexpired())


class GrantFields(models.Model):
    granted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()

    class Meta:
        abstract = True


class UserGrantBase(GrantFields, UserObjectPermissionBase):
    """An explicit, expiring grant of one permission on one record to one user.

    Each case-record model declares a concrete subclass with `content_object`
    pointing at it (guardian's direct-foreign-key model).
    """

    objects = UnexpiredUserGrantManager()
    all_grants = models.Manager()

    class Meta(UserObjectPermissionBase.Meta):
        abstract = True


class GroupGrantBase(GrantFields, GroupObjectPermissionBase):
    """A grant to a group, typically a unit's group, shared by all its members."""

    objects = UnexpiredGroupGrantManager()
    all_grants = models.Manager()

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


class StaffChangeRequest(models.Model):
    """A change that widens someone's access, asked by one administrator, waiting for another's decision.

    It holds what is added, not the account's whole new state, so changes made meanwhile are not undone.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="change_requests")
    # For a unit supervisor: the unit `account` would supervise.
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="change_requests")
    roles = models.JSONField(default=list, blank=True, help_text="Roles to give (their values).")
    clearance_sensitive = models.BooleanField(default=False, help_text="Give the sensitive clearance.")
    clearance_sealed = models.BooleanField(default=False, help_text="Give the sealed clearance.")
    # The account's e-mail address when asked, or the new one asked for: one-time links and notices go there,
    # so a request is not approved for an address other than the one its approver was shown.
    email = models.CharField(max_length=254, blank=True)
    changes_email = models.BooleanField(default=False)
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "account"],
                condition=Q(status=ChangeStatus.PENDING) & ~Q(kind=ChangeKind.UNIT_SUPERVISOR),
                name="one_pending_change_per_account",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status=ChangeStatus.PENDING, kind=ChangeKind.UNIT_SUPERVISOR),
                name="one_pending_supervisor_per_unit",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.account_id}"
