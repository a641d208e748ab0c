"""JSON API of an investigation's findings and closure: the same services and policy calls as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from accounts import access
from common.api import RecordAction, action, text_as_in
from investigations.choices import ClosureOutcome, Finding
from investigations.forms.findings import ClosureRequestForm, ReopenForm, ReviewForm
from investigations.models import Investigation
from investigations.selectors.findings import allegation_rows, closure_missing, open_allegations
from investigations.services.closure import (
    investigation_approve_closure,
    investigation_request_closure,
    investigation_return_closure,
)
from investigations.services.findings import (
    FindingEntry,
    investigation_approve_findings,
    investigation_record_findings,
    investigation_reopen_findings,
    investigation_return_findings,
    investigation_submit_findings,
)


def _records():
    return Investigation.objects.select_related(
        "report", "unit", "assigned_worker", "findings_approved_by", "closure_requested_by", "opened_case"
    )


class AllegationFindingSerializer(serializers.Serializer):
    allegation = serializers.UUIDField(source="allegation.public_id")
    maltreatment_type = serializers.CharField(source="allegation.maltreatment_type")
    victim = serializers.UUIDField(source="allegation.victim.public_id")
    victim_name = serializers.CharField(source="allegation.victim.full_name")
    perpetrator = serializers.UUIDField(source="allegation.perpetrator.public_id", allow_null=True, default=None)
    finding = serializers.CharField(source="finding.finding", allow_null=True, default=None)
    found_on = serializers.DateField(source="finding.found_on", allow_null=True, default=None)
    rationale = serializers.CharField(source="finding.rationale", allow_null=True, default=None)


class InvestigationFindingsSerializer(serializers.ModelSerializer):
    """An investigation's findings and closure as they stand, with what closing still needs."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    findings_approved_by = serializers.UUIDField(source="findings_approved_by.public_id", allow_null=True, default=None)
    closure_requested_by = serializers.UUIDField(source="closure_requested_by.public_id", allow_null=True, default=None)
    opened_case = serializers.UUIDField(source="opened_case.public_id", allow_null=True, default=None)
    allegations = serializers.SerializerMethodField()
    closure_missing = serializers.SerializerMethodField(help_text="What closing still needs, each piece named.")

    class Meta:
        model = Investigation
        fields = [
            "id",
            "reference",
            "status",
            "disposition",
            "allegations",
            "findings_submitted_at",
            "findings_approved_by",
            "findings_approved_at",
            "return_comment",
            "closure_outcome",
            "closure_referrals",
            "closure_note",
            "closure_requested_by",
            "closure_requested_at",
            "closed_at",
            "opened_case",
            "closure_missing",
        ]
        read_only_fields = fields

    @extend_schema_field(AllegationFindingSerializer(many=True))
    def get_allegations(self, investigation) -> list:
        return AllegationFindingSerializer(allegation_rows(investigation), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_closure_missing(self, investigation) -> list[str]:
        return [] if investigation.closed_at else closure_missing(investigation)


def _body(request, investigation: Investigation) -> dict:
    return InvestigationFindingsSerializer(_records().get(pk=investigation.pk)).data


class AllegationFindingInputSerializer(serializers.Serializer):
    allegation = serializers.UUIDField()
    finding = serializers.ChoiceField(choices=Finding.choices)
    found_on = serializers.DateField()
    rationale = serializers.CharField(max_length=5000)


class InvestigationFindingsInputSerializer(serializers.Serializer):
    findings = AllegationFindingInputSerializer(many=True, allow_empty=False)


class InvestigationDecisionSerializer(serializers.Serializer):
    comment = text_as_in(ReviewForm, "comment", required=False, allow_blank=True, default="")


class InvestigationReturnSerializer(serializers.Serializer):
    comment = text_as_in(ReviewForm, "comment", help_text="What needs to change (shown to the worker).")


class InvestigationReopenSerializer(serializers.Serializer):
    reason = text_as_in(ReopenForm, "reason")


class InvestigationClosureRequestSerializer(serializers.Serializer):
    closure_outcome = serializers.ChoiceField(choices=ClosureOutcome.choices)
    closure_referrals = text_as_in(
        ClosureRequestForm, "closure_referrals", required=False, allow_blank=True, default=""
    )
    closure_note = text_as_in(ClosureRequestForm, "closure_note", required=False, allow_blank=True, default="")


class _InvestigationAction(RecordAction):
    shown_as = InvestigationFindingsSerializer
    show_record = staticmethod(_body)

    def fetch_record(self, request, public_id):
        return access.get_for_change(request.user, _records(), public_id=public_id)


def _entries(investigation: Investigation, findings: list[dict]) -> list[FindingEntry]:
    standing = {allegation.public_id: allegation for allegation in open_allegations(investigation)}
    unknown = [str(item["allegation"]) for item in findings if item["allegation"] not in standing]
    if unknown:
        raise serializers.ValidationError(
            {"findings": [f"Not a standing allegation of this investigation's report: {', '.join(unknown)}."]}
        )
    return [
        FindingEntry(
            allegation=standing[item["allegation"]],
            finding=item["finding"],
            found_on=item["found_on"],
            rationale=item["rationale"],
        )
        for item in findings
    ]


@action(InvestigationFindingsInputSerializer, "Record the findings of some or all allegations (while in progress)")
class InvestigationFindings(_InvestigationAction):
    @extend_schema(
        summary="The investigation's allegations with their findings, and its closure",
        responses=InvestigationFindingsSerializer,
    )
    def get(self, request, public_id):
        investigation = access.get_for_view(request.user, _records(), public_id=public_id)
        return Response(_body(request, investigation))

    def perform(self, request, investigation, data):
        investigation_record_findings(
            actor=request.user, investigation=investigation, entries=_entries(investigation, data["findings"])
        )


@action(None, "Submit the findings for the supervisor's approval")
class InvestigationSubmitFindings(_InvestigationAction):
    def perform(self, request, investigation, data):
        investigation_submit_findings(actor=request.user, investigation=investigation)


@action(InvestigationDecisionSerializer, "Approve the submitted findings (the unit's supervisor)")
class InvestigationApproveFindings(_InvestigationAction):
    def perform(self, request, investigation, data):
        investigation_approve_findings(actor=request.user, investigation=investigation, comment=data["comment"])


@action(
    InvestigationReturnSerializer, "Return the submitted findings to the worker with a comment (the unit's supervisor)"
)
class InvestigationReturnFindings(_InvestigationAction):
    def perform(self, request, investigation, data):
        investigation_return_findings(actor=request.user, investigation=investigation, comment=data["comment"])


@action(InvestigationReopenSerializer, "Reopen approved findings, with a reason")
class InvestigationReopenFindings(_InvestigationAction):
    def perform(self, request, investigation, data):
        investigation_reopen_findings(actor=request.user, investigation=investigation, reason=data["reason"])


@action(InvestigationClosureRequestSerializer, "Ask the supervisor to close the investigation with an outcome")
class InvestigationClosure(_InvestigationAction):
    @extend_schema(
        summary="The investigation's closure and what closing still needs", responses=InvestigationFindingsSerializer
    )
    def get(self, request, public_id):
        investigation = access.get_for_view(request.user, _records(), public_id=public_id)
        return Response(_body(request, investigation))

    def perform(self, request, investigation, data):
        investigation_request_closure(
            actor=request.user,
            investigation=investigation,
            outcome=data["closure_outcome"],
            referrals=data["closure_referrals"],
            note=data["closure_note"],
        )


@action(
    InvestigationDecisionSerializer,
    "Close the investigation (the unit's supervisor); opens the case the outcome calls for",
)
class InvestigationApproveClosure(_InvestigationAction):
    def perform(self, request, investigation, data):
        investigation_approve_closure(actor=request.user, investigation=investigation, comment=data["comment"])


@action(
    InvestigationReturnSerializer, "Return the closure request to the worker with a comment (the unit's supervisor)"
)
class InvestigationReturnClosure(_InvestigationAction):
    def perform(self, request, investigation, data):
        investigation_return_closure(actor=request.user, investigation=investigation, comment=data["comment"])
