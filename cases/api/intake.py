"""JSON API for intake. Thin: serializers check the shape, accounts.access fetches, services decide.

The reporter's identity appears only on the report's own endpoint (detail, create, update),
only for users who may see it, and every time it does the audit log records that it was shown.
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from cases import extensions, services
from cases.choices import MaltreatmentType, ParticipantRole, ResponsePriority, SafetyAlert, ScreenOutReason
from cases.forms.intake import (
    AmendForm,
    DecisionForm,
    DowngradeDecisionForm,
    PriorityForm,
    ReviewForm,
    WithdrawAllegationForm,
)
from cases.models import Allegation, IntakeReport, ReportAmendment, ReportParticipant, ReportTransition
from cases.selectors import intake as selectors
from common.api import (
    ETAG,
    RecordAction,
    action,
    text_as_in,
    version_field,
    versioned_update,
    versioned_update_schema,
    with_etag,
)
from common.api import validated_data as _valid
from common.input import search_terms
from families import selectors as people_selectors


@extend_schema_field(OpenApiTypes.UUID)
class PersonField(serializers.SlugRelatedField):
    """A person by public id, among the people the caller may see (anyone else reads as unknown)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="public_id", **kwargs)

    def get_queryset(self):
        return people_selectors.people(self.context["request"].user)


def _ref(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="public_id", read_only=True, **kwargs)


# Read-only copies of a choice set already named in the schema are plain strings: one enum per choice set.
def _status_text(help_text: str) -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=help_text)


class TransitionSerializer(serializers.ModelSerializer):
    by = _ref()
    from_status = _status_text("The report's status before (a value of the report's `status`).")
    to_status = _status_text("The report's status after (a value of the report's `status`).")

    class Meta:
        model = ReportTransition
        fields = ["from_status", "to_status", "by", "at", "comment"]


class AmendmentSerializer(serializers.ModelSerializer):
    by = _ref()

    class Meta:
        model = ReportAmendment
        fields = ["field", "old_value", "new_value", "reason", "by", "at"]


class IntakeReportSerializer(serializers.ModelSerializer):
    """A report. Reporter fields are left out unless the context says they may be shown."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    unit = _ref(allow_null=True)
    created_by = _ref()
    decided_by = _ref(allow_null=True)
    approved_by = _ref(allow_null=True)
    priority_requested_by = _ref(allow_null=True)
    investigation = serializers.SerializerMethodField(
        allow_null=True, help_text="The investigation the screen-in started, if any."
    )
    safety_alerts = serializers.ListField(child=serializers.ChoiceField(choices=SafetyAlert.choices), required=False)
    requested_priority = _status_text("A lower response priority awaiting approval (empty when none).")
    transitions = TransitionSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)
    version = version_field()

    class Meta:
        model = IntakeReport
        fields = [
            "id",
            "reference",
            "status",
            "unit",
            "created_by",
            "created_at",
            "updated_at",
            "version",
            *services.DRAFT_FIELDS,
            "decision",
            "response_priority",
            "screen_out_reason",
            "decision_notes",
            "decided_by",
            "decided_at",
            "approved_by",
            "approved_at",
            "first_contact_due_at",
            "return_comment",
            "requested_priority",
            "priority_change_reason",
            "priority_requested_by",
            "investigation",
            "transitions",
            "amendments",
        ]
        read_only_fields = [
            name
            for name in fields
            if name not in services.DRAFT_FIELDS
            and name not in ("transitions", "amendments", "safety_alerts", "version")
        ]
        extra_kwargs = {
            **{name: {"required": False} for name in services.DRAFT_FIELDS},
            **{name: {"required": False, "max_length": limit} for name, limit in services.REPORT_TEXT_LIMITS.items()},
        }

    @extend_schema_field(OpenApiTypes.UUID)
    def get_investigation(self, report) -> str | None:
        follow_up, _url = extensions.follow_up_of(report)
        return str(follow_up.public_id) if follow_up else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_reporter"):
            for name in services.REPORTER_FIELDS:
                data.pop(name, None)
            data["amendments"] = [a for a in data["amendments"] if a["field"] not in services.REPORTER_FIELDS]
        return data


class QueueItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    unit = _ref(allow_null=True)
    created_by = _ref()
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    status = _status_text("The report's status (a value of IntakeReport `status`).")
    requested_priority = _status_text("A lower response priority awaiting approval (empty when none).")
    awaits_approval = serializers.BooleanField(read_only=True)

    class Meta:
        model = IntakeReport
        fields = [
            "id",
            "reference",
            "status",
            "received_at",
            "first_contact_due_at",
            "response_priority",
            "requested_priority",
            "awaits_approval",
            "unit",
            "created_by",
            "created_by_name",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    person = PersonField()
    name = serializers.CharField(source="person.full_name", read_only=True)
    age = serializers.CharField(source="person.age_display", read_only=True)
    role = serializers.ChoiceField(choices=ParticipantRole.choices)

    class Meta:
        model = ReportParticipant
        fields = ["person", "name", "age", "role"]


class AllegationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    victim = PersonField()
    victim_name = serializers.CharField(source="victim.full_name", read_only=True)
    perpetrator = PersonField(allow_null=True, required=False, help_text="Null when the perpetrator is unknown.")
    perpetrator_name = serializers.CharField(source="perpetrator.full_name", read_only=True, allow_null=True)
    maltreatment_type = serializers.ChoiceField(choices=MaltreatmentType.choices)

    class Meta:
        model = Allegation
        fields = [
            "id",
            "victim",
            "victim_name",
            "perpetrator",
            "perpetrator_name",
            "maltreatment_type",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = ["withdrawn_at", "withdrawal_reason"]


class ScreenInSerializer(serializers.Serializer):
    response_priority = serializers.ChoiceField(choices=ResponsePriority.choices)
    decision_notes = text_as_in(DecisionForm, "decision_notes", required=False, allow_blank=True, default="")


class ScreenOutSerializer(serializers.Serializer):
    screen_out_reason = serializers.ChoiceField(choices=ScreenOutReason.choices)
    decision_notes = text_as_in(DecisionForm, "decision_notes", required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = text_as_in(ReviewForm, "comment", required=False, allow_blank=True, default="")


class PrioritySerializer(serializers.Serializer):
    response_priority = serializers.ChoiceField(choices=ResponsePriority.choices)
    reason = text_as_in(PriorityForm, "reason")


class DowngradeDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = text_as_in(DowngradeDecisionForm, "comment", required=False, allow_blank=True, default="")


class AmendSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=services.AMENDABLE_FIELDS)
    value = serializers.JSONField(
        help_text="The corrected value: text, yes/no, a date (YYYY-MM-DD) or a list of codes."
    )
    reason = text_as_in(AmendForm, "reason")


class WithdrawSerializer(serializers.Serializer):
    reason = text_as_in(WithdrawAllegationForm, "reason")


def _for_view(request, public_id) -> IntakeReport:
    return access.get_for_view(request.user, selectors.report_for_page(), public_id=public_id)


def _for_change(request, public_id) -> IntakeReport:
    return access.get_for_change(request.user, selectors.report_for_page(), public_id=public_id)


def _body(request, report: IntakeReport, *, with_reporter: bool) -> dict:
    """The report as the API shows it; with the reporter (audited) only where asked and allowed."""
    report = selectors.report_for_page().prefetch_related("transitions__by", "amendments__by").get(pk=report.pk)
    show = with_reporter and selectors.reporter_shown(user=request.user, report=report)
    return IntakeReportSerializer(report, context={"request": request, "show_reporter": show}).data


@extend_schema_view(
    get=extend_schema(
        summary="The intake queue: the waiting reports, one status, the decided ones or all of them, searched",
        parameters=[
            OpenApiParameter("status", enum=[str(view) for view in selectors.QUEUE_VIEWS], required=False),
            OpenApiParameter("q", str, required=False, description="A person's name on the report, or its reference."),
        ],
    ),
    post=extend_schema(summary="Start a draft report", responses={201: IntakeReportSerializer}),
)
class IntakeReportListCreate(generics.ListCreateAPIView):
    def get_serializer_class(self):
        return QueueItemSerializer if self.request.method == "GET" else IntakeReportSerializer

    def get_queryset(self):
        params = self.request.query_params
        try:
            words = search_terms(params.get("q", ""))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"q": error.messages}) from None
        return selectors.intake_queue(user=self.request.user, status=params.get("status", ""), q=words)

    def list(self, request, *args, **kwargs):
        if not selectors.uses_intake_queue(request.user):
            raise PermissionDenied
        status = request.query_params.get("status", "")
        if status and status not in selectors.QUEUE_VIEWS:
            raise serializers.ValidationError({"status": [f"Choose one of {', '.join(selectors.QUEUE_VIEWS)}."]})
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        access.require_capability(request.user, "take_reports")
        data = _valid(IntakeReportSerializer, request)
        # A new report has no earlier version to check.
        data.pop("version", None)
        report = services.report_create(actor=request.user, **data)
        return Response(_body(request, report, with_reporter=True), status=201)


def _with_etag(body: dict) -> Response:
    return with_etag(Response(body), body["version"])


class IntakeReportDetail(APIView):
    @extend_schema(responses=IntakeReportSerializer, parameters=[ETAG])
    def get(self, request, public_id):
        return _with_etag(_body(request, _for_view(request, public_id), with_reporter=True))

    @versioned_update_schema(IntakeReportSerializer, "Change the report while it is open")
    def patch(self, request, public_id):
        report = _for_change(request, public_id)
        serializer = IntakeReportSerializer(report, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        update = partial(services.report_update, actor=request.user, report=report)
        report = versioned_update(request, update, **serializer.validated_data)
        return _with_etag(_body(request, report, with_reporter=True))


class _ReportAction(RecordAction):
    """POST a move on a report: 404 if the caller may not see it, 403 if they may see but not change it."""

    shown_as = IntakeReportSerializer
    # Checked after the lookup, so that a report the caller may not see stays a 404.
    capability = None

    def fetch_record(self, request, public_id):
        report = _for_change(request, public_id)
        if self.capability:
            access.require_capability(request.user, self.capability)
        return report

    def show_record(self, request, report):
        return _body(request, report, with_reporter=False)


@action(None, "Submit the report for a screening decision")
class ReportSubmit(_ReportAction):
    def perform(self, request, report, data):
        services.report_submit(actor=request.user, report=report)


@action(ScreenInSerializer, "Screen in, with a response priority")
class ReportScreenIn(_ReportAction):
    capability = "take_reports"

    def perform(self, request, report, data):
        services.report_screen_in(
            actor=request.user, report=report, response_priority=data["response_priority"], notes=data["decision_notes"]
        )


@action(ScreenOutSerializer, "Propose a screen-out (the supervisor approves it)")
class ReportScreenOut(_ReportAction):
    capability = "take_reports"

    def perform(self, request, report, data):
        services.report_screen_out(
            actor=request.user, report=report, reason=data["screen_out_reason"], notes=data["decision_notes"]
        )


@action(CommentSerializer, "Approve a proposed screen-out")
class ReportApproveScreenOut(_ReportAction):
    capability = "approve_screening"

    def perform(self, request, report, data):
        services.report_approve_screen_out(actor=request.user, report=report, comment=data["comment"])


@action(CommentSerializer, "Return the report to intake with a comment")
class ReportReturn(_ReportAction):
    capability = "approve_screening"

    def perform(self, request, report, data):
        services.report_return(actor=request.user, report=report, comment=data["comment"])


@action(PrioritySerializer, "Change the response priority (a downgrade waits for approval)")
class ReportPriority(_ReportAction):
    def perform(self, request, report, data):
        services.report_change_priority(
            actor=request.user, report=report, response_priority=data["response_priority"], reason=data["reason"]
        )


@action(DowngradeDecisionSerializer, "Approve or refuse a requested downgrade")
class ReportDecideDowngrade(_ReportAction):
    capability = "approve_screening"

    def perform(self, request, report, data):
        services.report_decide_downgrade(
            actor=request.user, report=report, approve=data["approve"], comment=data["comment"]
        )


@action(AmendSerializer, "Amend a final report")
class ReportAmend(_ReportAction):
    def perform(self, request, report, data):
        services.report_amend(
            actor=request.user, report=report, field=data["field"], value=data["value"], reason=data["reason"]
        )


class ReportPeople(APIView):
    @extend_schema(summary="People on the report", responses=ParticipantSerializer(many=True))
    def get(self, request, public_id):
        report = _for_view(request, public_id)
        show_reporter = access.can_see_reporter(request.user, report)
        found = selectors.participants(report=report, show_reporter=show_reporter)
        if any(participant.role == ParticipantRole.REPORTER for participant in found):
            selectors.reporter_shown(user=request.user, report=report)
        return Response(ParticipantSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Put a person on the report", request=ParticipantSerializer, responses={201: ParticipantSerializer}
    )
    def post(self, request, public_id):
        report = _for_change(request, public_id)
        data = _valid(ParticipantSerializer, request)
        participant = services.report_add_person(
            actor=request.user, report=report, person=data["person"], role=data["role"]
        )
        return Response(ParticipantSerializer(participant, context={"request": request}).data, status=201)


class ReportAllegations(APIView):
    @extend_schema(summary="Allegations on the report", responses=AllegationSerializer(many=True))
    def get(self, request, public_id):
        report = _for_view(request, public_id)
        found = selectors.allegations(report=report)
        return Response(AllegationSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(summary="Add an allegation", request=AllegationSerializer, responses={201: AllegationSerializer})
    def post(self, request, public_id):
        report = _for_change(request, public_id)
        data = _valid(AllegationSerializer, request)
        allegation = services.allegation_add(
            actor=request.user,
            report=report,
            victim=data["victim"],
            perpetrator=data.get("perpetrator"),
            maltreatment_type=data["maltreatment_type"],
        )
        return Response(AllegationSerializer(allegation, context={"request": request}).data, status=201)


class AllegationWithdraw(APIView):
    @extend_schema(summary="Withdraw an allegation", request=WithdrawSerializer, responses=AllegationSerializer)
    def post(self, request, public_id):
        report = access.get_for_change(request.user, IntakeReport.objects.all(), allegations__public_id=public_id)
        allegation = report.allegations.filter(public_id=public_id).first()
        if allegation is None:
            raise Http404
        data = _valid(WithdrawSerializer, request)
        allegation = services.allegation_withdraw(actor=request.user, allegation=allegation, reason=data["reason"])
        return Response(AllegationSerializer(allegation, context={"request": request}).data)
