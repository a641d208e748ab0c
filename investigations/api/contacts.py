"""JSON API of an investigation's contacts (with their purpose and collateral contacts) and cross-reports.

A contact's own endpoints (`contacts/<id>/`, its correction) are cases' shared ones (see investigations.hooks).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response

from accounts import access
from cases.api.contacts import (
    ContactAmendmentSerializer,
    ContactRecordSerializer,
    ContactSerializer,
    RecordContacts,
    contacts_schema,
)
from cases.api.fields import public_id_ref
from common.api import validated_data
from investigations.choices import CollateralRole, ContactPurpose, CrossReportMethod
from investigations.models import CollateralContact, CrossReport, Investigation, InvestigationContact
from investigations.selectors.contacts import cross_reports
from investigations.services import contacts as services


class CollateralSerializer(serializers.ModelSerializer):
    """Someone seen or spoken to who is not on the record: a teacher, a doctor, a police officer."""

    role = serializers.ChoiceField(choices=CollateralRole.choices)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")

    class Meta:
        model = CollateralContact
        fields = ["name", "role", "organisation", "phone"]


class InvestigationContactSerializer(ContactSerializer):
    """A contact on an investigation: a case contact's body, with its investigation (and `case` always null),
    its purpose and its collateral contacts."""

    case = serializers.SerializerMethodField(
        help_text="Always null: an investigation's contact is on no case (kept for clients of both bodies)."
    )
    investigation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    collaterals = CollateralSerializer(many=True, read_only=True)

    class Meta(ContactSerializer.Meta):
        model = InvestigationContact
        fields = [
            "id",
            "case",
            "investigation",
            "purpose",
            *(name for name in ContactSerializer.Meta.fields if name not in ("id", "case")),
            "collaterals",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_case(self, contact) -> None:
        return None


class InvestigationContactDetailSerializer(InvestigationContactSerializer):
    amendments = ContactAmendmentSerializer(many=True, read_only=True)

    class Meta(InvestigationContactSerializer.Meta):
        fields = [*InvestigationContactSerializer.Meta.fields, "amendments"]
        read_only_fields = fields


class InvestigationContactRecordSerializer(ContactRecordSerializer):
    purpose = serializers.ChoiceField(
        choices=ContactPurpose.choices,
        default=ContactPurpose.INTERVIEW,
        help_text="Why the contact was made; a collateral contact names at least one collateral.",
    )
    collaterals = CollateralSerializer(
        many=True, required=False, default=list, help_text="People seen or spoken to who are not on the record."
    )


@contacts_schema("investigation", InvestigationContactDetailSerializer, InvestigationContactRecordSerializer)
class InvestigationContacts(RecordContacts):
    queryset = InvestigationContact.objects.none()
    serializer_class = InvestigationContactSerializer
    detail_serializer = InvestigationContactDetailSerializer
    record_serializer = InvestigationContactRecordSerializer
    record_model = Investigation
    record_field = "investigation"

    def contacts(self):
        return super().contacts().prefetch_related("collaterals")

    def record_contact(self, *, actor, record, **data):
        return services.investigation_contact_record(actor=actor, investigation=record, **data)


class CrossReportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    investigation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    recorded_by = public_id_ref()
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = CrossReport
        fields = [
            "id",
            "investigation",
            "agency",
            "reported_at",
            "method",
            "officer_name",
            "officer_report_number",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields


class CrossReportRecordSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=200, help_text="The law enforcement agency reported to.")
    reported_at = serializers.DateTimeField(help_text="Not in the future, not before the report was received.")
    method = serializers.ChoiceField(choices=CrossReportMethod.choices)
    officer_name = serializers.CharField(max_length=200, help_text="The receiving officer.")
    officer_report_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Their report number."
    )


@extend_schema_view(
    get=extend_schema(summary="The investigation's cross-reports to law enforcement"),
    post=extend_schema(
        summary="Record a cross-report to law enforcement",
        request=CrossReportRecordSerializer,
        responses={201: CrossReportSerializer},
    ),
)
class InvestigationCrossReports(generics.ListCreateAPIView):
    queryset = CrossReport.objects.none()
    serializer_class = CrossReportSerializer

    def get_queryset(self):
        investigation = access.get_for_view(
            self.request.user, Investigation.objects.all(), public_id=self.kwargs["public_id"]
        )
        return cross_reports(investigation=investigation)

    def create(self, request, *args, **kwargs):
        investigation = access.get_for_change(request.user, Investigation.objects.all(), public_id=kwargs["public_id"])
        data = validated_data(CrossReportRecordSerializer, request)
        cross_report = services.cross_report_record(actor=request.user, investigation=investigation, **data)
        return Response(CrossReportSerializer(cross_report).data, status=201)
