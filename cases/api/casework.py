"""JSON API for ongoing cases: cases, assignments, closure, notes (members: `members.py`; contacts and visits:
`contacts.py`).

Thin, like the pages: serializers check the shape, accounts.access fetches (404 to those who may
not see, 403 to those who may see but not change), the services in cases.services decide and write.
Lists cost a fixed number of queries whatever their length; members' visit status is one query.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.models import Unit
from accounts.roles import Clearance
from cases import extensions, services
from cases.api.fields import ReportField, StaffField, VisitStatusField, code_field, public_id_ref
from cases.api.intake import PersonField
from cases.choices import (
    AssignmentRole,
    CaseOpenedFor,
    CaseStatus,
    ClosureReason,
    MemberRole,
)
from cases.forms.case_list import CaseSearchForm
from cases.forms.casework import (
    CaseOpenForm,
    ClosureRequestForm,
    ClosureReviewForm,
    NoteForm,
    ReasonForm,
)
from cases.models import (
    Case,
    CaseAssignment,
    CaseMember,
    CaseNote,
    CaseTransition,
)
from cases.selectors.case_list import active_assignments, case_search
from cases.selectors.casework import members_with_visit_status
from common.api import ETAG, RecordAction, action, text_as_in, with_etag
from common.api import validated_data as _valid

# Reads ---------------------------------------------------------------------------------------------------------


def members_by_status() -> QuerySet:
    return members_with_visit_status().order_by("ended_on", "role", "id")


def _case_page():
    """One case with everything its API body shows, in a fixed number of queries."""
    return Case.objects.select_related("unit", "opened_by", "source_report", "closure_requested_by").prefetch_related(
        Prefetch("members", queryset=members_by_status(), to_attr="member_rows"),
        Prefetch("assignments", queryset=active_assignments(), to_attr="active_assignments"),
        Prefetch("transitions", queryset=CaseTransition.objects.select_related("by")),
    )


# Serializers ---------------------------------------------------------------------------------------------------


class CaseWorkerSerializer(serializers.ModelSerializer):
    worker = public_id_ref()
    worker_name = serializers.CharField(source="worker.display_name", read_only=True)
    role = code_field("The worker's role on the case (a value of the assignment `role`).")

    class Meta:
        model = CaseAssignment
        fields = ["worker", "worker_name", "role", "started_at"]
        read_only_fields = fields


class CaseAssignmentSerializer(CaseWorkerSerializer):
    assigned_by = public_id_ref()
    assigned_by_name = serializers.CharField(source="assigned_by.display_name", read_only=True)

    class Meta(CaseWorkerSerializer.Meta):
        fields = [*CaseWorkerSerializer.Meta.fields, "ended_at", "assigned_by", "assigned_by_name"]
        read_only_fields = fields


class CaseMemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = public_id_ref()
    name = serializers.CharField(source="person.full_name", read_only=True)
    age = serializers.CharField(source="person.age_display", read_only=True)
    role = code_field("The member's role on the case (a value of a new member's `role`).")
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
    by = public_id_ref()
    from_status = serializers.CharField(read_only=True, help_text="The case's status before (a `status` value).")
    to_status = serializers.CharField(read_only=True, help_text="The case's status after (a `status` value).")

    class Meta:
        model = CaseTransition
        fields = ["from_status", "to_status", "by", "at", "comment"]
        read_only_fields = fields


class CaseListItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    unit = public_id_ref()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    workers = CaseWorkerSerializer(source="active_assignments", many=True, read_only=True)
    members_overdue = serializers.IntegerField(read_only=True)
    members_due_soon = serializers.IntegerField(read_only=True)
    status = code_field("The case's status (a value of the case's `status`).")

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
    unit = public_id_ref()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    opened_by = public_id_ref()
    source_report = public_id_ref(allow_null=True)
    opened_by_investigation = serializers.SerializerMethodField(
        help_text="The investigation whose closure opened the case (its id, a reference); null for a case opened "
        "otherwise."
    )
    closure_requested_by = public_id_ref(allow_null=True)
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
            "opened_by_investigation",
            "access_restriction",
            "restriction_reason",
            "closure_reason",
            "closure_note",
            "closure_requested_by",
            "closed_at",
            "reopened_at",
            "return_comment",
            "version",
            "members",
            "workers",
            "transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_opened_by_investigation(self, case):
        record, _ = extensions.opener_of(case)
        return record.public_id if record is not None else None


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
    restriction_reason = text_as_in(CaseOpenForm, "restriction_reason", required=False, allow_blank=True, default="")


class CaseReasonSerializer(serializers.Serializer):
    reason = text_as_in(ReasonForm, "reason")


class CaseRestrictionSerializer(serializers.Serializer):
    access_restriction = serializers.ChoiceField(choices=Case._meta.get_field("access_restriction").choices)
    reason = text_as_in(ReasonForm, "reason")


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
    not_moved = serializers.ListField(
        child=serializers.CharField(),
        help_text="The references of the cases that stayed: the new worker is not cleared for them.",
    )
    not_moved_restricted = serializers.IntegerField(
        help_text="How many cases stayed because you are not cleared for them (a cleared supervisor is told)."
    )


class ClosureRequestSerializer(serializers.Serializer):
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices)
    closure_note = text_as_in(ClosureRequestForm, "closure_note", required=False, allow_blank=True, default="")


class ClosureApproveSerializer(serializers.Serializer):
    comment = text_as_in(ClosureReviewForm, "comment", required=False, allow_blank=True, default="")


class ClosureReturnSerializer(serializers.Serializer):
    comment = text_as_in(ClosureReviewForm, "comment", help_text="What needs to happen before the case can close.")


class CaseNoteSerializer(serializers.ModelSerializer):
    author = public_id_ref()
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    text = text_as_in(NoteForm, "text")

    class Meta:
        model = CaseNote
        fields = ["author", "author_name", "written_at", "text"]
        read_only_fields = ["written_at"]


# Helpers -------------------------------------------------------------------------------------------------------


def _require_a_supervisor(request) -> None:
    """Unit-wide moves are a unit supervisor's: others are refused before their body is read.

    The service still decides for the unit named in the body.
    """
    if not access.supervises_a_unit(request.user):
        raise PermissionDenied


def case_for_view(request, public_id, queryset=None) -> Case:
    return access.get_for_view(
        request.user, queryset if queryset is not None else Case.objects.all(), public_id=public_id
    )


def case_for_change(request, public_id) -> Case:
    return access.get_for_change(request.user, Case.objects.select_related("unit"), public_id=public_id)


def _case_body(request, case: Case) -> dict:
    """The case as the API shows it after a change (the change itself is the audited event)."""
    return CaseSerializer(_case_page().get(pk=case.pk), context={"request": request}).data


# Cases ---------------------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Cases the caller may see, closed ones included, searched and filtered",
        parameters=[
            OpenApiParameter(
                "q", str, required=False, description="Words of the family name, a member's name or the reference."
            ),
            OpenApiParameter("status", enum=CaseStatus.values, required=False),
            OpenApiParameter("worker", OpenApiTypes.UUID, required=False, description="A worker assigned now."),
            OpenApiParameter("unit", OpenApiTypes.UUID, required=False),
            OpenApiParameter("restriction", enum=Clearance.values, required=False),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, required=False, description="Someone overdue for a visit."),
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
        """The page's search and filters (`cases.forms.case_list`): an unknown value answers 400 with its field."""
        form = CaseSearchForm(self.request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return case_search(self.request.user, form.filters())

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
        summary="A case with its members (and their visit status), workers and history",
        responses=CaseSerializer,
        parameters=[ETAG],
    )
    def get(self, request, public_id):
        case = case_for_view(request, public_id, _case_page())
        return with_etag(Response(CaseSerializer(case, context={"request": request}).data), case.version)


# Assignments ---------------------------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(summary="Who worked the case and when, newest first"))
class CaseAssignments(generics.ListAPIView):
    queryset = CaseAssignment.objects.none()
    serializer_class = CaseAssignmentSerializer

    def get_queryset(self):
        case = case_for_view(self.request, self.kwargs["public_id"])
        return case.assignments.select_related("worker", "assigned_by").order_by("-started_at", "-id")


class CaseAssign(APIView):
    @extend_schema(
        summary="Assign or remove a worker (a supervisor)", request=CaseAssignSerializer, responses=CaseSerializer
    )
    def post(self, request, public_id):
        case = case_for_change(request, public_id)
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
        result = services.cases_reassign_all(actor=request.user, **data)
        body = {
            "moved": result.moved,
            "not_moved": [case.reference for case in result.not_cleared],
            "not_moved_restricted": result.hidden,
        }
        return Response(CasesMovedSerializer(body).data)


# Closure and notes ---------------------------------------------------------------------------------------------


class _CaseAction(RecordAction):
    fetch_record = staticmethod(case_for_change)
    show_record = staticmethod(_case_body)
    shown_as = CaseSerializer


@action(ClosureRequestSerializer, "Ask the supervisor to close the case")
class CaseRequestClosure(_CaseAction):
    def perform(self, request, case, data):
        services.case_request_closure(
            actor=request.user, case=case, reason=data["closure_reason"], note=data["closure_note"]
        )


@action(ClosureApproveSerializer, "Approve the closure (a supervisor)")
class CaseApproveClosure(_CaseAction):
    def perform(self, request, case, data):
        services.case_approve_closure(actor=request.user, case=case, comment=data["comment"])


@action(ClosureReturnSerializer, "Return the closure request to the worker (a supervisor)")
class CaseReturnClosure(_CaseAction):
    def perform(self, request, case, data):
        services.case_return_closure(actor=request.user, case=case, comment=data["comment"])


@action(CaseRestrictionSerializer, "Change the case's access restriction, with a reason (a cleared supervisor)")
class CaseRestriction(_CaseAction):
    def perform(self, request, case, data):
        services.case_change_restriction(
            actor=request.user, case=case, access_restriction=data["access_restriction"], reason=data["reason"]
        )


@action(CaseReasonSerializer, "Reopen a closed case (a supervisor)")
class CaseReopen(_CaseAction):
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
        case = case_for_view(self.request, self.kwargs["public_id"])
        return case.notes.select_related("author").order_by("-written_at", "-id")

    def create(self, request, *args, **kwargs):
        case = case_for_change(request, kwargs["public_id"])
        data = _valid(CaseNoteSerializer, request)
        note = services.case_add_note(actor=request.user, case=case, text=data["text"])
        return Response(CaseNoteSerializer(note, context={"request": request}).data, status=201)
