"""JSON API for ongoing cases: cases, members, assignments, closure, notes, contacts and visits, alerts.

Thin, like the pages: serializers check the shape, accounts.access fetches (404 to those who may
not see, 403 to those who may see but not change), the services in cases.services decide and write.
Lists cost a fixed number of queries whatever their length; members' visit status is one query.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.models import Unit, User
from cases import services, visit_rule
from cases.api.intake import PersonField
from cases.choices import (
    AlertKind,
    AssignmentRole,
    CaseOpenedFor,
    CaseStatus,
    ClosureReason,
    ContactLocation,
    ContactType,
    MemberRole,
    VisitStatus,
)
from cases.models import (
    Case,
    CaseAssignment,
    CaseMember,
    CaseNote,
    CaseTransition,
    Contact,
    ContactAmendment,
    IntakeReport,
    VisitAlert,
)
from cases.selectors.casework import FoundContact, contact_for, members_with_visit_status
from common.api import validated_data as _valid
from families.api import PersonRefSerializer


def _ref(**kwargs) -> serializers.SlugRelatedField:
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
def _code(help_text: str) -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=help_text)


class VisitStatusField(serializers.ChoiceField):
    """The rule's status for a member; null where the rule does not apply (a closed case, an ended member)."""

    def __init__(self, **kwargs):
        super().__init__(choices=VisitStatus.choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


# Reads ---------------------------------------------------------------------------------------------------------


def _members() -> QuerySet:
    return members_with_visit_status().order_by("ended_on", "role", "id")


def _active_assignments():
    return CaseAssignment.objects.filter(ended_at__isnull=True).select_related("worker").order_by("role")


def _case_page():
    """One case with everything its API body shows, in a fixed number of queries."""
    return Case.objects.select_related("unit", "opened_by", "source_report", "closure_requested_by").prefetch_related(
        Prefetch("members", queryset=_members(), to_attr="member_rows"),
        Prefetch("assignments", queryset=_active_assignments(), to_attr="active_assignments"),
        Prefetch("transitions", queryset=CaseTransition.objects.select_related("by")),
    )


def _case_list(user, *, status: str, mine: bool):
    today = timezone.localdate()
    found = access.visible(user, Case.objects.all())
    if status:
        found = found.filter(status=status)
    if mine:
        found = found.filter(pk__in=CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values("case"))
    return (
        found.select_related("unit")
        .annotate(
            members_overdue=Count("members", filter=visit_rule.overdue_q(today, prefix="members__")),
            members_due_soon=Count("members", filter=visit_rule.due_soon_q(today, prefix="members__")),
        )
        .prefetch_related(Prefetch("assignments", queryset=_active_assignments(), to_attr="active_assignments"))
        .order_by("family_name", "id")
    )


def record_contacts(model=Contact, record_field: str = "case") -> QuerySet:
    """Contacts (of a case, or of a higher record's table) with their record, who recorded them and who was seen."""
    return model.objects.select_related(record_field, "recorded_by").prefetch_related("people_seen")


# Serializers ---------------------------------------------------------------------------------------------------


class CaseWorkerSerializer(serializers.ModelSerializer):
    worker = _ref()
    worker_name = serializers.CharField(source="worker.display_name", read_only=True)
    role = _code("The worker's role on the case (a value of the assignment `role`).")

    class Meta:
        model = CaseAssignment
        fields = ["worker", "worker_name", "role", "started_at"]
        read_only_fields = fields


class CaseAssignmentSerializer(CaseWorkerSerializer):
    assigned_by = _ref()
    assigned_by_name = serializers.CharField(source="assigned_by.display_name", read_only=True)

    class Meta(CaseWorkerSerializer.Meta):
        fields = [*CaseWorkerSerializer.Meta.fields, "ended_at", "assigned_by", "assigned_by_name"]
        read_only_fields = fields


class CaseMemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = _ref()
    name = serializers.CharField(source="person.full_name", read_only=True)
    age = serializers.CharField(source="person.age_display", read_only=True)
    role = _code("The member's role on the case (a value of a new member's `role`).")
    visit_status = VisitStatusField()
    face_to_face_due = serializers.SerializerMethodField(
        help_text="The day by which the member must be seen face to face; null where the rule does not apply."
    )

    class Meta:
        model = CaseMember
        fields = [
            "id",
            "person",
            "name",
            "age",
            "role",
            "started_on",
            "ended_on",
            "end_reason",
            "must_be_seen",
            "excused_reason",
            "diligent_search_note",
            "in_care_since",
            "in_care_until",
            "in_care_note",
            "visit_status",
            "face_to_face_due",
            "last_face_to_face_at",
        ]
        read_only_fields = fields

    def get_face_to_face_due(self, member) -> date | None:
        return member.face_to_face_due if member.requires_visit else None


class CaseTransitionSerializer(serializers.ModelSerializer):
    by = _ref()
    from_status = serializers.CharField(read_only=True, help_text="The case's status before (a `status` value).")
    to_status = serializers.CharField(read_only=True, help_text="The case's status after (a `status` value).")

    class Meta:
        model = CaseTransition
        fields = ["from_status", "to_status", "by", "at", "comment"]
        read_only_fields = fields


class CaseListItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    unit = _ref()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    workers = CaseWorkerSerializer(source="active_assignments", many=True, read_only=True)
    members_overdue = serializers.IntegerField(read_only=True)
    members_due_soon = serializers.IntegerField(read_only=True)
    status = _code("The case's status (a value of the case's `status`).")

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "family_name",
            "status",
            "opened_for",
            "opened_at",
            "unit",
            "unit_name",
            "access_restriction",
            "workers",
            "members_overdue",
            "members_due_soon",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    unit = _ref()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    opened_by = _ref()
    source_report = _ref(allow_null=True)
    closure_requested_by = _ref(allow_null=True)
    members = CaseMemberSerializer(source="member_rows", many=True, read_only=True)
    workers = CaseWorkerSerializer(source="active_assignments", many=True, read_only=True)
    transitions = CaseTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "family_name",
            "status",
            "opened_for",
            "opened_at",
            "opened_by",
            "unit",
            "unit_name",
            "source_report",
            "access_restriction",
            "restriction_reason",
            "closure_reason",
            "closure_note",
            "closure_requested_by",
            "closed_at",
            "reopened_at",
            "return_comment",
            "members",
            "workers",
            "transitions",
        ]
        read_only_fields = fields


class NewCaseMemberSerializer(serializers.Serializer):
    person = PersonField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    started_on = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to the opening (at opening) or today (added later)."
    )


class CaseOpenSerializer(serializers.Serializer):
    family_name = serializers.CharField(max_length=200)
    opened_for = serializers.ChoiceField(choices=CaseOpenedFor.choices)
    unit = serializers.SlugRelatedField(slug_field="public_id", queryset=Unit.objects.all())
    members = NewCaseMemberSerializer(many=True, help_text="At least one child.")
    primary_worker = StaffField()
    secondary_worker = StaffField(required=False, allow_null=True)
    source_report = ReportField(required=False, allow_null=True)
    access_restriction = serializers.ChoiceField(
        choices=Case._meta.get_field("access_restriction").choices, default="none"
    )
    restriction_reason = serializers.CharField(required=False, allow_blank=True, default="")


class MemberEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField()


class MemberExcuseSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the member need not be seen, e.g. whereabouts unknown.")
    diligent_search_note = serializers.CharField(required=False, allow_blank=True, default="")


class MemberCareSerializer(serializers.Serializer):
    in_care_since = serializers.DateField(help_text="The day the child entered out-of-home care.")
    in_care_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The day the child left care; null while in care."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CaseAssignSerializer(serializers.Serializer):
    worker = StaffField(allow_null=True, help_text="Null removes the secondary worker.")
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    revoke_grants = serializers.BooleanField(default=False, help_text="Revoke the explicit grants made on the case.")


class CaseReassignAllSerializer(serializers.Serializer):
    from_worker = StaffField()
    to_worker = StaffField()
    revoke_grants = serializers.BooleanField(default=False)


class CasesMovedSerializer(serializers.Serializer):
    moved = serializers.IntegerField(help_text="How many open cases moved to the new worker.")


class ClosureRequestSerializer(serializers.Serializer):
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices)
    closure_note = serializers.CharField(required=False, allow_blank=True, default="")


class ClosureApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ClosureReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="What needs to happen before the case can close.")


class CaseNoteSerializer(serializers.ModelSerializer):
    author = _ref()
    author_name = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["author", "author_name", "written_at", "text"]
        read_only_fields = ["written_at"]


class ContactAmendmentSerializer(serializers.ModelSerializer):
    by = _ref()
    by_name = serializers.CharField(source="by.display_name", read_only=True)

    class Meta:
        model = ContactAmendment
        fields = ["field", "old_value", "new_value", "reason", "by", "by_name", "at"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    """A contact on a case; a higher record's contact body (an investigation's) extends it with its record."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    case = _ref()
    people_seen = PersonRefSerializer(many=True, read_only=True)
    recorded_by = _ref()
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
    narrative = serializers.CharField(allow_blank=True, help_text="What happened.")
    safety_concerns = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Any observed; the supervisor is alerted."
    )
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")


# How the new value of each amendable field is read: the same rules as recording a contact.
AMENDED_VALUE_FIELDS = {
    "occurred_at": serializers.DateTimeField,
    "contact_type": lambda: serializers.ChoiceField(choices=ContactType.choices),
    "location": lambda: serializers.ChoiceField(choices=ContactLocation.choices),
    "seen_privately": serializers.BooleanField,
    "location_detail": lambda: serializers.CharField(allow_blank=True, max_length=200),
    "safety_concerns": lambda: serializers.CharField(allow_blank=True),
    "next_steps": lambda: serializers.CharField(allow_blank=True),
    "narrative": lambda: serializers.CharField(allow_blank=True),
}


class ContactAmendSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[(name, name) for name in services.CONTACT_AMENDABLE_FIELDS])
    value = serializers.JSONField(
        help_text="The corrected value: a date and time, a code of the field's choices, yes/no, or text."
    )
    reason = serializers.CharField()

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


# Helpers -------------------------------------------------------------------------------------------------------


def _require_a_supervisor(request) -> None:
    """Unit-wide moves are a unit supervisor's: others are refused before their body is read.

    The service still decides for the unit named in the body.
    """
    if not access.supervises_a_unit(request.user):
        raise PermissionDenied


def _case_for_view(request, public_id, queryset=None) -> Case:
    return access.get_for_view(
        request.user, queryset if queryset is not None else Case.objects.all(), public_id=public_id
    )


def _case_for_change(request, public_id) -> Case:
    return access.get_for_change(request.user, Case.objects.select_related("unit"), public_id=public_id)


def _case_body(request, case: Case) -> dict:
    """The case as the API shows it after a change (the change itself is the audited event)."""
    return CaseSerializer(_case_page().get(pk=case.pk), context={"request": request}).data


def _member_for_change(request, public_id) -> CaseMember:
    case = access.get_for_change(request.user, Case.objects.select_related("unit"), members__public_id=public_id)
    member = CaseMember.objects.select_related("person").filter(case=case, public_id=public_id).first()
    if member is None:
        raise Http404
    member.case = case
    return member


def _member_body(request, member: CaseMember) -> dict:
    row = _members().get(pk=member.pk)
    return CaseMemberSerializer(row, context={"request": request}).data


def contact_body(request, contacts: QuerySet, contact, serializer=ContactDetailSerializer) -> dict:
    """A contact with its amendments, read again from `contacts`, as the API shows it after a change (or alone)."""
    contact = contacts.prefetch_related("amendments__by").get(pk=contact.pk)
    return serializer(contact, context={"request": request}).data


def _found_contact_body(request, found: FoundContact) -> dict:
    if found.kind is None:
        return contact_body(request, record_contacts(), found.contact)
    kind = found.kind
    return contact_body(request, record_contacts(kind.model, kind.record_field), found.contact, kind.serializer)


# Cases ---------------------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Cases the caller may see",
        parameters=[
            OpenApiParameter("status", enum=CaseStatus.values, required=False),
            OpenApiParameter("mine", OpenApiTypes.BOOL, required=False, description="Only cases assigned to me."),
        ],
    ),
    post=extend_schema(
        summary="Open a case (a supervisor, in their unit)", request=CaseOpenSerializer, responses={201: CaseSerializer}
    ),
)
class CaseListCreate(generics.ListCreateAPIView):
    required_capability = "work_cases"
    queryset = Case.objects.none()
    serializer_class = CaseListItemSerializer

    def get_queryset(self):
        params = self.request.query_params
        return _case_list(self.request.user, status=params.get("status", ""), mine=params.get("mine") in ("1", "true"))

    def list(self, request, *args, **kwargs):
        status = request.query_params.get("status", "")
        if status and status not in CaseStatus.values:
            raise serializers.ValidationError({"status": [f"Choose one of {', '.join(CaseStatus.values)}."]})
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        _require_a_supervisor(request)
        data = _valid(CaseOpenSerializer, request)
        members = [
            services.NewMember(person=spec["person"], role=spec["role"], started_on=spec.get("started_on"))
            for spec in data.pop("members")
        ]
        case = services.case_open(actor=request.user, members=members, **data)
        return Response(_case_body(request, case), status=201)


class CaseDetail(APIView):
    @extend_schema(
        summary="A case with its members (and their visit status), workers and history", responses=CaseSerializer
    )
    def get(self, request, public_id):
        case = _case_for_view(request, public_id, _case_page())
        return Response(CaseSerializer(case, context={"request": request}).data)


class CaseMembers(APIView):
    @extend_schema(summary="The case's members, past and present", responses=CaseMemberSerializer(many=True))
    def get(self, request, public_id):
        case = _case_for_view(request, public_id)
        rows = _members().filter(case=case)
        return Response(CaseMemberSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(summary="Add a member", request=NewCaseMemberSerializer, responses={201: CaseMemberSerializer})
    def post(self, request, public_id):
        case = _case_for_change(request, public_id)
        data = _valid(NewCaseMemberSerializer, request)
        member = services.case_add_member(
            actor=request.user, case=case, person=data["person"], role=data["role"], started_on=data.get("started_on")
        )
        return Response(_member_body(request, member), status=201)


class _MemberAction(APIView):
    payload = None

    def perform(self, request, member: CaseMember, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, public_id):
        member = _member_for_change(request, public_id)
        self.perform(request, member, _valid(self.payload, request))
        return Response(_member_body(request, member))


def _member_schema(payload, summary: str):
    return extend_schema_view(post=extend_schema(summary=summary, request=payload, responses=CaseMemberSerializer))


@_member_schema(MemberEndSerializer, "End a person's membership of the case")
class CaseMemberEnd(_MemberAction):
    payload = MemberEndSerializer

    def perform(self, request, member, data):
        services.case_end_member(actor=request.user, member=member, ended_on=data["ended_on"], reason=data["reason"])


@_member_schema(MemberExcuseSerializer, "Excuse a member from the visit rule (a supervisor)")
class CaseMemberExcuse(_MemberAction):
    payload = MemberExcuseSerializer

    def perform(self, request, member, data):
        services.member_excuse(
            actor=request.user,
            member=member,
            reason=data["reason"],
            diligent_search_note=data["diligent_search_note"],
        )


@_member_schema(MemberCareSerializer, "Record a child's out-of-home care (for the federal monthly visit measure)")
class CaseMemberCare(_MemberAction):
    payload = MemberCareSerializer

    def perform(self, request, member, data):
        services.member_record_care(actor=request.user, member=member, **data)


@_member_schema(CaseReasonSerializer, "Require visits of an excused member again (a supervisor)")
class CaseMemberRequireVisits(_MemberAction):
    payload = CaseReasonSerializer

    def perform(self, request, member, data):
        services.member_require_visits(actor=request.user, member=member, reason=data["reason"])


# Assignments ---------------------------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(summary="Who worked the case and when, newest first"))
class CaseAssignments(generics.ListAPIView):
    queryset = CaseAssignment.objects.none()
    serializer_class = CaseAssignmentSerializer

    def get_queryset(self):
        case = _case_for_view(self.request, self.kwargs["public_id"])
        return case.assignments.select_related("worker", "assigned_by").order_by("-started_at", "-id")


class CaseAssign(APIView):
    @extend_schema(
        summary="Assign or remove a worker (a supervisor)", request=CaseAssignSerializer, responses=CaseSerializer
    )
    def post(self, request, public_id):
        case = _case_for_change(request, public_id)
        data = _valid(CaseAssignSerializer, request)
        services.case_assign(actor=request.user, case=case, **data)
        return Response(_case_body(request, case))


class CasesReassignAll(APIView):
    required_capability = "work_cases"

    @extend_schema(
        summary="Move every open case of a worker in my units to another worker",
        request=CaseReassignAllSerializer,
        responses=CasesMovedSerializer,
    )
    def post(self, request):
        _require_a_supervisor(request)
        data = _valid(CaseReassignAllSerializer, request)
        return Response({"moved": services.cases_reassign_all(actor=request.user, **data)})


# Closure and notes ---------------------------------------------------------------------------------------------


class _CaseAction(APIView):
    payload = None

    def perform(self, request, case: Case, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, public_id):
        case = _case_for_change(request, public_id)
        self.perform(request, case, _valid(self.payload, request))
        return Response(_case_body(request, case))


def _case_schema(payload, summary: str):
    return extend_schema_view(post=extend_schema(summary=summary, request=payload, responses=CaseSerializer))


@_case_schema(ClosureRequestSerializer, "Ask the supervisor to close the case")
class CaseRequestClosure(_CaseAction):
    payload = ClosureRequestSerializer

    def perform(self, request, case, data):
        services.case_request_closure(
            actor=request.user, case=case, reason=data["closure_reason"], note=data["closure_note"]
        )


@_case_schema(ClosureApproveSerializer, "Approve the closure (a supervisor)")
class CaseApproveClosure(_CaseAction):
    payload = ClosureApproveSerializer

    def perform(self, request, case, data):
        services.case_approve_closure(actor=request.user, case=case, comment=data["comment"])


@_case_schema(ClosureReturnSerializer, "Return the closure request to the worker (a supervisor)")
class CaseReturnClosure(_CaseAction):
    payload = ClosureReturnSerializer

    def perform(self, request, case, data):
        services.case_return_closure(actor=request.user, case=case, comment=data["comment"])


@_case_schema(CaseReasonSerializer, "Reopen a closed case (a supervisor)")
class CaseReopen(_CaseAction):
    payload = CaseReasonSerializer

    def perform(self, request, case, data):
        services.case_reopen(actor=request.user, case=case, reason=data["reason"])


@extend_schema_view(
    get=extend_schema(summary="Case notes, newest first"),
    post=extend_schema(summary="Write a case note", responses={201: CaseNoteSerializer}),
)
class CaseNotes(generics.ListCreateAPIView):
    queryset = CaseNote.objects.none()
    serializer_class = CaseNoteSerializer

    def get_queryset(self):
        case = _case_for_view(self.request, self.kwargs["public_id"])
        return case.notes.select_related("author").order_by("-written_at", "-id")

    def create(self, request, *args, **kwargs):
        case = _case_for_change(request, kwargs["public_id"])
        data = _valid(CaseNoteSerializer, request)
        note = services.case_add_note(actor=request.user, case=case, text=data["text"])
        return Response(CaseNoteSerializer(note, context={"request": request}).data, status=201)


# Contacts and visits -------------------------------------------------------------------------------------------


class RecordContacts(generics.ListCreateAPIView):
    """A record's contacts, newest first; POST records one through the record's service.

    Here a case's; a higher record app (investigations) subclasses it for its own contact table.
    """

    queryset = Contact.objects.none()
    serializer_class = ContactSerializer
    detail_serializer = ContactDetailSerializer
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
        data = _valid(ContactRecordSerializer, request)
        contact = self.record_contact(actor=request.user, record=record, **data)
        return Response(contact_body(request, self.contacts(), contact, self.detail_serializer), status=201)


def contacts_schema(record: str, detail_serializer=ContactDetailSerializer):
    return extend_schema_view(
        get=extend_schema(summary=f"Contacts on the {record}, newest first"),
        post=extend_schema(
            summary=f"Record a contact on the {record} (a face-to-face visit clears the seen members' alerts)",
            request=ContactRecordSerializer,
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
        case = _case_for_view(request, public_id)
        rows = _members().filter(case=case, ended_on__isnull=True)
        return Response(MemberVisitStatusSerializer(rows, many=True, context={"request": request}).data)


@extend_schema_view(get=extend_schema(summary="The case's visit alerts: open ones first, then resolved"))
class CaseAlerts(generics.ListAPIView):
    queryset = VisitAlert.objects.none()
    serializer_class = VisitAlertSerializer

    def get_queryset(self):
        case = _case_for_view(self.request, self.kwargs["public_id"])
        return (
            VisitAlert.objects.filter(member__case=case)
            .select_related("member__person")
            .order_by(F("resolved_at").desc(nulls_first=True), "due_on", "id")
        )
