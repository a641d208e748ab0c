"""JSON API for contacts and visits (of cases, and of the higher records sharing the contact pages), visit
status and alerts.

Thin, like the pages: serializers check the shape, accounts.access fetches (404 to those who may
not see, 403 to those who may see but not change), the services in cases.services decide and write.
Lists cost a fixed number of queries whatever their length; members' visit status is one query.
"""

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from cases import services
from cases.api.casework import CaseMemberSerializer, case_for_view, members_by_status
from cases.api.fields import public_id_ref
from cases.api.intake import PersonField
from cases.choices import (
    AlertKind,
    ContactLocation,
    ContactType,
)
from cases.forms.casework import ContactAmendForm, ContactForm
from cases.models import (
    Case,
    Contact,
    ContactAmendment,
    VisitAlert,
)
from cases.selectors.casework import FoundContact, contact_for
from common.api import text_as_in
from common.api import validated_data as _valid
from families.api import PersonRefSerializer


def record_contacts(model=Contact, record_field: str = "case") -> QuerySet:
    """Contacts (of a case, or of a higher record's table) with their record, who recorded them and who was seen."""
    return model.objects.select_related(record_field, "recorded_by").prefetch_related("people_seen")


class ContactAmendmentSerializer(serializers.ModelSerializer):
    by = public_id_ref()
    by_name = serializers.CharField(source="by.display_name", read_only=True)

    class Meta:
        model = ContactAmendment
        fields = ["field", "old_value", "new_value", "reason", "by", "by_name", "at"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    """A contact on a case; a higher record's contact body (an investigation's) extends it with its record."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    case = public_id_ref()
    people_seen = PersonRefSerializer(many=True, read_only=True)
    recorded_by = public_id_ref()
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)
    counts_as_visit = serializers.BooleanField(read_only=True, help_text="A face-to-face contact: counts for the rule.")

    class Meta:
        model = Contact
        fields = [
            "id",
            "case",
            "occurred_at",
            "contact_type",
            "location",
            "location_detail",
            "seen_privately",
            "people_seen",
            "narrative",
            "safety_concerns",
            "next_steps",
            "counts_as_visit",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields


class ContactDetailSerializer(ContactSerializer):
    amendments = ContactAmendmentSerializer(many=True, read_only=True)

    class Meta(ContactSerializer.Meta):
        fields = [*ContactSerializer.Meta.fields, "amendments"]
        read_only_fields = fields


class ContactRecordSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField(help_text="Not in the future, not before the case (or report) opened.")
    contact_type = serializers.ChoiceField(choices=ContactType.choices)
    location = serializers.ChoiceField(choices=ContactLocation.choices)
    location_detail = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    people_seen = PersonField(many=True, help_text="People on the case (or the investigation's report) who were seen.")
    seen_privately = serializers.BooleanField(default=False, help_text="The child was seen privately.")
    narrative = text_as_in(ContactForm, "narrative", allow_blank=True, help_text="What happened.")
    safety_concerns = text_as_in(
        ContactForm,
        "safety_concerns",
        required=False,
        allow_blank=True,
        default="",
        help_text="Any observed; the supervisor is alerted.",
    )
    next_steps = text_as_in(ContactForm, "next_steps", required=False, allow_blank=True, default="")


# How the new value of each amendable field is read: the same rules as recording a contact.
AMENDED_VALUE_FIELDS = {
    "occurred_at": serializers.DateTimeField,
    "contact_type": lambda: serializers.ChoiceField(choices=ContactType.choices),
    "location": lambda: serializers.ChoiceField(choices=ContactLocation.choices),
    "seen_privately": serializers.BooleanField,
    "location_detail": lambda: text_as_in(ContactForm, "location_detail", allow_blank=True),
    "safety_concerns": lambda: text_as_in(ContactForm, "safety_concerns", allow_blank=True),
    "next_steps": lambda: text_as_in(ContactForm, "next_steps", allow_blank=True),
    "narrative": lambda: text_as_in(ContactForm, "narrative", allow_blank=True),
}


class ContactAmendSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[(name, name) for name in services.CONTACT_AMENDABLE_FIELDS])
    value = serializers.JSONField(
        help_text="The corrected value: a date and time, a code of the field's choices, yes/no, or text."
    )
    reason = text_as_in(ContactAmendForm, "reason")

    def validate(self, data):
        reader = AMENDED_VALUE_FIELDS[data["field"]]()
        try:
            data["value"] = reader.run_validation(data["value"])
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"value": error.detail}) from error
        return data


class MemberVisitStatusSerializer(CaseMemberSerializer):
    class Meta(CaseMemberSerializer.Meta):
        fields = [
            "id",
            "person",
            "name",
            "role",
            "must_be_seen",
            "excused_reason",
            "visit_status",
            "face_to_face_due",
            "last_face_to_face_at",
        ]
        read_only_fields = fields


class VisitAlertSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="member.public_id", read_only=True)
    person = serializers.UUIDField(source="member.person.public_id", read_only=True)
    name = serializers.CharField(source="member.person.full_name", read_only=True)
    kind = serializers.ChoiceField(choices=AlertKind.choices, read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = VisitAlert
        fields = ["member", "person", "name", "kind", "due_on", "created_at", "notified_at", "resolved_at", "is_open"]
        read_only_fields = fields

    def get_is_open(self, alert) -> bool:
        return alert.resolved_at is None


def contact_body(request, contacts: QuerySet, contact, serializer=ContactDetailSerializer) -> dict:
    """A contact with its amendments, read again from `contacts`, as the API shows it after a change (or alone)."""
    contact = contacts.prefetch_related("amendments__by").get(pk=contact.pk)
    return serializer(contact, context={"request": request}).data


def _found_contact_body(request, found: FoundContact) -> dict:
    if found.kind is None:
        return contact_body(request, record_contacts(), found.contact)
    kind = found.kind
    return contact_body(request, record_contacts(kind.model, kind.record_field), found.contact, kind.serializer)


# Contacts and visits -------------------------------------------------------------------------------------------


class RecordContacts(generics.ListCreateAPIView):
    """A record's contacts, newest first; POST records one through the record's service.

    Here a case's; a higher record app (investigations) subclasses it for its own contact table.
    """

    queryset = Contact.objects.none()
    serializer_class = ContactSerializer
    detail_serializer = ContactDetailSerializer
    record_serializer = ContactRecordSerializer
    record_model = Case
    record_field = "case"

    def record_contact(self, *, actor, record, **data):
        return services.contact_record(actor=actor, case=record, **data)

    def contacts(self) -> QuerySet:
        return record_contacts(self.queryset.model, self.record_field)

    def get_queryset(self):
        record = access.get_for_view(
            self.request.user, self.record_model.objects.all(), public_id=self.kwargs["public_id"]
        )
        return self.contacts().filter(**{self.record_field: record}).order_by("-occurred_at", "-id")

    def create(self, request, *args, **kwargs):
        record = access.get_for_change(request.user, self.record_model.objects.all(), public_id=kwargs["public_id"])
        data = _valid(self.record_serializer, request)
        contact = self.record_contact(actor=request.user, record=record, **data)
        return Response(contact_body(request, self.contacts(), contact, self.detail_serializer), status=201)


def contacts_schema(record: str, detail_serializer=ContactDetailSerializer, record_serializer=ContactRecordSerializer):
    return extend_schema_view(
        get=extend_schema(summary=f"Contacts on the {record}, newest first"),
        post=extend_schema(
            summary=f"Record a contact on the {record} (a face-to-face visit clears the seen members' alerts)",
            request=record_serializer,
            responses={201: detail_serializer},
        ),
    )


@contacts_schema("case")
class CaseContacts(RecordContacts):
    pass


class ContactDetail(APIView):
    @extend_schema(summary="A contact with its amendments", responses=ContactDetailSerializer)
    def get(self, request, public_id):
        return Response(_found_contact_body(request, contact_for(user=request.user, public_id=public_id)))


class ContactAmend(APIView):
    @extend_schema(
        summary="Correct a contact; the old value stays on record",
        request=ContactAmendSerializer,
        responses=ContactDetailSerializer,
    )
    def post(self, request, public_id):
        found = contact_for(user=request.user, public_id=public_id, change=True)
        data = _valid(ContactAmendSerializer, request)
        amend = services.contact_amend if found.kind is None else found.kind.amend
        amend(actor=request.user, contact=found.contact, **data)
        return Response(_found_contact_body(request, found))


class CaseVisitStatus(APIView):
    @extend_schema(
        summary="Each current member's face-to-face visit status, due date and last visit",
        responses=MemberVisitStatusSerializer(many=True),
    )
    def get(self, request, public_id):
        case = case_for_view(request, public_id)
        rows = members_by_status().filter(case=case, ended_on__isnull=True)
        return Response(MemberVisitStatusSerializer(rows, many=True, context={"request": request}).data)


@extend_schema_view(get=extend_schema(summary="The case's visit alerts: open ones first, then resolved"))
class CaseAlerts(generics.ListAPIView):
    queryset = VisitAlert.objects.none()
    serializer_class = VisitAlertSerializer

    def get_queryset(self):
        case = case_for_view(self.request, self.kwargs["public_id"])
        return (
            VisitAlert.objects.filter(member__case=case)
            .select_related("member__person")
            .order_by(F("resolved_at").desc(nulls_first=True), "due_on", "id")
        )
