"""Field types shared by the cases API's serializers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import access
from accounts.models import User
from cases.choices import VisitStatus
from cases.models import IntakeReport


def public_id_ref(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="public_id", read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.UUID)
class StaffField(serializers.SlugRelatedField):
    """A staff member by public id; whether they may take the work is the service's to say."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="public_id", queryset=User.objects.all(), **kwargs)


@extend_schema_field(OpenApiTypes.UUID)
class ReportField(serializers.SlugRelatedField):
    """An intake report by public id, among those the caller may see."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="public_id", **kwargs)

    def get_queryset(self):
        return access.visible(self.context["request"].user, IntakeReport.objects.all())


# Read-only copies of a choice set already named in the schema are plain strings: one enum per choice set.
def code_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=help_text)


class VisitStatusField(serializers.ChoiceField):
    """The rule's status for a member; null where the rule does not apply (a closed case, an ended member)."""

    def __init__(self, **kwargs):
        super().__init__(choices=VisitStatus.choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None
