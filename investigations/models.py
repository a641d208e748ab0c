import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.access import RecordRules
from accounts.models import GroupGrantBase, UserGrantBase
from investigations.choices import InvestigationStatus
from records.models import Amendment, Transition
from records.models import Contact as ContactBase
from records.workflow import Move, Workflow


def _assigned(user) -> Q:
    return Q(assigned_worker=user)


def _in_units(units) -> Q:
    return Q(unit__in=units)


class Investigation(models.Model):
    """The response to a screened-in report. The investigations work fills in contacts, findings, assessments."""

    access_rules = RecordRules(assigned=_assigned, in_units=_in_units, restriction_field="report__access_restriction")
    workflow = Workflow(
        noun="investigation",
        history="transitions",
        moves={
            "assign": Move(
                (InvestigationStatus.AWAITING_ASSIGNMENT,),
                InvestigationStatus.OPEN,
                "assigned",
                "investigations.investigation.assigned",
            ),
            "reassign": Move(
                (InvestigationStatus.OPEN,),
                InvestigationStatus.OPEN,
                "reassigned",
                "investigations.investigation.assigned",
            ),
        },
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.OneToOneField("cases.IntakeReport", on_delete=models.PROTECT, related_name="investigation")
    status = models.CharField(
        max_length=30, choices=InvestigationStatus.choices, default=InvestigationStatus.AWAITING_ASSIGNMENT
    )
    unit = models.ForeignKey("accounts.Unit", null=True, on_delete=models.PROTECT, related_name="investigations")
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="investigations"
    )
    response_due_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["response_due_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"Investigation {str(self.public_id)[:8].upper()}"

    def audit_label(self) -> str:
        return self.reference


class InvestigationTransition(Transition):
    """Every status change of an investigation (and every assignment), with who made it and why."""

    status_choices = InvestigationStatus
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="transitions")


class InvestigationContact(ContactBase):
    """A contact or visit with people on an investigation's report: the first face-to-face one answers the deadline."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="contacts")
    people_seen = models.ManyToManyField("families.Person", related_name="investigation_contacts_seen_in", blank=True)

    class Meta(ContactBase.Meta):
        indexes = [models.Index(fields=["investigation", "occurred_at"])]


class InvestigationContactAmendment(Amendment):
    """A correction to a recorded investigation contact."""

    contact = models.ForeignKey(InvestigationContact, on_delete=models.PROTECT, related_name="amendments")

    class Meta(Amendment.Meta):
        pass


class InvestigationUserGrant(UserGrantBase):
    content_object = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="user_grants")


class InvestigationGroupGrant(GroupGrantBase):
    content_object = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="group_grants")
