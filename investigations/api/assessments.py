"""JSON API of an investigation's assessments: safety assessments, safety plans (reviews, end), risk assessments,
and the lists a client builds their forms from (safety threats, risk items). Same policy calls as the pages."""

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api import RecordAction, action
from investigations.choices import ProtectiveAction, Responsible, RiskLevel, RiskOverride, SafetyDecision
from investigations.forms.assessments import TEXT_LIMIT
from investigations.models import (
    Investigation,
    RiskAnswer,
    RiskAssessment,
    RiskAssessmentAnswer,
    RiskItem,
    SafetyAssessment,
    SafetyAssessmentThreat,
    SafetyPlan,
    SafetyPlanAction,
    SafetyPlanReview,
    SafetyThreat,
)
from investigations.selectors import assessments as selectors
from investigations.selectors.core import investigation_seeable
from investigations.services import assessments as services


def _text(**options) -> serializers.CharField:
    return serializers.CharField(max_length=TEXT_LIMIT, **options)


def _optional_text() -> serializers.CharField:
    return _text(required=False, allow_blank=True, default="")


# An investigation's records of one kind. GET: those of the investigation, as `shown_as` shows them, from
# `detail()`. POST: fetch the investigation for assessing through the policy (404 to whoever may not see it, 403 to
# whoever may see but not change it), check the body with `payload` (given the `context` the serializer needs),
# `record` it through the service (whose ValidationError the API answers as a 400) and answer 201 with the new
# record as `shown_as` shows it. Declare each with `@_records(...)`. (A comment, not a docstring: the schema would
# publish a docstring as every subclass's description.)
class _InvestigationRecords(APIView):
    payload: type[serializers.Serializer]
    shown_as: type[serializers.Serializer]

    def detail(self) -> QuerySet:
        raise NotImplementedError

    def context(self, investigation: Investigation) -> dict:
        return {}

    def record(self, actor: User, investigation: Investigation, given: serializers.Serializer) -> Model:
        raise NotImplementedError

    def get(self, request, public_id):
        investigation = selectors.investigation_for_reading(request.user, public_id)
        return Response(self.shown_as(self.detail().filter(investigation=investigation), many=True).data)

    def post(self, request, public_id):
        investigation = selectors.investigation_for_assessing(request.user, public_id)
        given = self.payload(data=request.data, context={"request": request, **self.context(investigation)})
        given.is_valid(raise_exception=True)
        made = self.record(request.user, investigation, given)
        return Response(self.shown_as(self.detail().get(pk=made.pk)).data, status=201)


def _records(payload: type[serializers.Serializer], shown_as: type[serializers.Serializer], *, listed: str, made: str):
    """Declare an _InvestigationRecords view: the serializer its POST body is checked with, the one its records are
    shown with, and the summaries of its list and of its POST in the schema."""

    def declare(view: type[_InvestigationRecords]) -> type[_InvestigationRecords]:
        view.payload, view.shown_as = payload, shown_as
        return extend_schema_view(
            get=extend_schema(summary=listed, responses=shown_as(many=True)),
            post=extend_schema(summary=made, request=payload, responses={201: shown_as}),
        )(view)

    return declare


# The lists clients build their forms from


class SafetyThreatSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyThreat
        fields = ["code", "label", "order"]


class RiskAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskAnswer
        fields = ["id", "label", "score"]


class RiskItemSerializer(serializers.ModelSerializer):
    answers = RiskAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = RiskItem
        fields = ["code", "question", "order", "answers"]


@extend_schema_view(get=extend_schema(summary="The active safety threats, for a safety assessment form"))
class SafetyThreatList(generics.ListAPIView):
    required_capability = "work_cases"
    serializer_class = SafetyThreatSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.safety_threats()


@extend_schema_view(get=extend_schema(summary="The active risk items and their scored answers, for a risk form"))
class RiskItemList(generics.ListAPIView):
    required_capability = "work_cases"
    serializer_class = RiskItemSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.risk_items()


# Safety plans


class SafetyPlanActionSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="responsible_person.public_id", read_only=True, allow_null=True)
    name = serializers.CharField(source="responsible_name", read_only=True)

    class Meta:
        model = SafetyPlanAction
        fields = ["action", "responsible", "person", "name"]


class SafetyPlanReviewSerializer(serializers.ModelSerializer):
    by = serializers.UUIDField(source="by.public_id", read_only=True)

    class Meta:
        model = SafetyPlanReview
        fields = ["reviewed_at", "by", "note"]


class SafetyPlanSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    investigation = serializers.UUIDField(source="investigation.public_id", read_only=True)
    assessment = serializers.UUIDField(source="assessment.public_id", read_only=True, allow_null=True)
    created_by = serializers.UUIDField(source="created_by.public_id", read_only=True)
    actions = SafetyPlanActionSerializer(many=True, read_only=True)
    reviews = SafetyPlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyPlan
        fields = [
            "id",
            "investigation",
            "assessment",
            "status",
            "starts_on",
            "review_on",
            "actions",
            "backup_plan",
            "monitoring",
            "created_by",
            "created_at",
            "reviews",
            "ended_at",
            "end_reason",
        ]
        read_only_fields = fields


class PlanActionInput(serializers.Serializer):
    action = _text()
    responsible = serializers.ChoiceField(choices=Responsible.choices)
    person = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="A household member: a person on the report."
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class NewPlanInput(serializers.Serializer):
    starts_on = serializers.DateField()
    review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Seven days after the start when not given."
    )
    actions = PlanActionInput(many=True)
    backup_plan = _optional_text()
    monitoring = _optional_text()

    def validate_actions(self, actions: list[dict]) -> list[dict]:
        people = {seeable.person.public_id: seeable.person for seeable in self.context["seeable"]}
        for given in actions:
            if given["person"] is not None and given["person"] not in people:
                raise serializers.ValidationError("Choose the household member among the investigation's people.")
        return actions

    def new_plan(self, data: dict) -> services.NewPlan:
        people = {seeable.person.public_id: seeable.person for seeable in self.context["seeable"]}
        return services.NewPlan(
            starts_on=data["starts_on"],
            review_on=data["review_on"],
            backup_plan=data["backup_plan"],
            monitoring=data["monitoring"],
            actions=[
                services.PlanAction(
                    action=given["action"],
                    responsible=given["responsible"],
                    person=people.get(given["person"]),
                    name=given["name"],
                )
                for given in data["actions"]
            ],
        )


def _plan_context(investigation) -> dict:
    return {"seeable": investigation_seeable(investigation=investigation)}


@_records(
    NewPlanInput,
    SafetyPlanSerializer,
    listed="The investigation's safety plans, the latest first",
    made="Write a safety plan",
)
class InvestigationSafetyPlans(_InvestigationRecords):
    def detail(self):
        return selectors.safety_plan_detail()

    def context(self, investigation):
        return _plan_context(investigation)

    def record(self, actor, investigation, given):
        plan = given.new_plan(given.validated_data)
        return services.safety_plan_create(actor=actor, investigation=investigation, plan=plan)


@extend_schema_view(get=extend_schema(summary="A safety plan with its actions and monitoring reviews"))
class SafetyPlanDetail(generics.RetrieveAPIView):
    serializer_class = SafetyPlanSerializer

    def get_object(self):
        return selectors.safety_plan_for_view(self.request.user, self.kwargs["public_id"])


class _PlanAction(RecordAction):
    shown_as = SafetyPlanSerializer

    def fetch_record(self, request, public_id):
        return selectors.safety_plan_for_change(request.user, public_id)

    def show_record(self, request, record) -> dict:
        return SafetyPlanSerializer(selectors.safety_plan_detail().get(pk=record.pk)).data


class ReviewInput(serializers.Serializer):
    reviewed_at = serializers.DateTimeField()
    note = _text()


class EndInput(serializers.Serializer):
    reason = _text()


@action(ReviewInput, "Record a monitoring review of an active safety plan")
class SafetyPlanReviewCreate(_PlanAction):
    def perform(self, request, record, data):
        services.safety_plan_review(actor=request.user, plan=record, reviewed_at=data["reviewed_at"], note=data["note"])


@action(EndInput, "End an active safety plan, with the reason")
class SafetyPlanEnd(_PlanAction):
    def perform(self, request, record, data):
        services.safety_plan_end(actor=request.user, plan=record, reason=data["reason"])


# Safety assessments


class SafetyAssessmentThreatSerializer(serializers.ModelSerializer):
    threat = serializers.SlugRelatedField(slug_field="code", read_only=True)
    label = serializers.CharField(source="threat.label", read_only=True)

    class Meta:
        model = SafetyAssessmentThreat
        fields = ["threat", "label", "present", "note"]


class SafetyAssessmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    investigation = serializers.UUIDField(source="investigation.public_id", read_only=True)
    assessed_by = serializers.UUIDField(source="assessed_by.public_id", read_only=True)
    threats = SafetyAssessmentThreatSerializer(many=True, read_only=True)
    safety_plans = serializers.SlugRelatedField(slug_field="public_id", many=True, read_only=True)

    class Meta:
        model = SafetyAssessment
        fields = [
            "id",
            "investigation",
            "assessed_at",
            "assessed_by",
            "threats",
            "protective_capacities",
            "decision",
            "protective_action",
            "protective_action_note",
            "safety_plans",
            "superseded_at",
            "recorded_at",
        ]
        read_only_fields = fields


class ThreatInput(serializers.Serializer):
    threat = serializers.SlugField(max_length=60, help_text="The threat's code.")
    present = serializers.BooleanField()
    note = _optional_text()


class SafetyAssessmentInput(serializers.Serializer):
    assessed_at = serializers.DateTimeField()
    threats = ThreatInput(many=True, help_text="Every active safety threat (GET /api/safety-threats/), once.")
    protective_capacities = _text()
    decision = serializers.ChoiceField(choices=SafetyDecision.choices)
    protective_action = serializers.ChoiceField(
        choices=ProtectiveAction.choices, required=False, allow_blank=True, default=""
    )
    protective_action_note = _optional_text()
    safety_plan = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="An active safety plan of the investigation."
    )
    new_plan = NewPlanInput(
        required=False,
        allow_null=True,
        default=None,
        help_text="A safety plan written with the assessment (its refusals are named plan_<field>).",
    )

    def validate_threats(self, answers: list[dict]) -> list[dict]:
        active = {threat.code: threat for threat in selectors.safety_threats()}
        unknown = sorted({given["threat"] for given in answers} - set(active))
        if unknown:
            raise serializers.ValidationError(f"No active safety threat has the code {', '.join(unknown)}.")
        return [{**given, "threat": active[given["threat"]]} for given in answers]

    def validate_safety_plan(self, value):
        if value is None:
            return None
        plan = selectors.active_safety_plans(self.context["investigation"]).filter(public_id=value).first()
        if plan is None:
            raise serializers.ValidationError("Choose an active safety plan of this investigation.")
        return plan

    def service_arguments(self, data: dict) -> dict:
        new_plan = data["new_plan"]
        return {
            "assessed_at": data["assessed_at"],
            "protective_capacities": data["protective_capacities"],
            "threats": [services.ThreatAnswer(**answer) for answer in data["threats"]],
            "made": services.SafetyDecisionMade(
                decision=data["decision"],
                protective_action=data["protective_action"],
                protective_action_note=data["protective_action_note"],
                plan=data["safety_plan"],
                new_plan=self.fields["new_plan"].new_plan(new_plan) if new_plan else None,
            ),
        }


@_records(
    SafetyAssessmentInput,
    SafetyAssessmentSerializer,
    listed="The investigation's safety assessments, the latest first (superseded ones too)",
    made="Record a safety assessment (it supersedes the current one)",
)
class InvestigationSafetyAssessments(_InvestigationRecords):
    def detail(self):
        return selectors.safety_assessment_detail()

    def context(self, investigation):
        return {"investigation": investigation, **_plan_context(investigation)}

    def record(self, actor, investigation, given):
        arguments = given.service_arguments(given.validated_data)
        return services.safety_assessment_record(actor=actor, investigation=investigation, **arguments)


@extend_schema_view(get=extend_schema(summary="A safety assessment with its threats"))
class SafetyAssessmentDetail(generics.RetrieveAPIView):
    serializer_class = SafetyAssessmentSerializer

    def get_object(self):
        return selectors.safety_assessment_for_view(self.request.user, self.kwargs["public_id"])


# Risk assessments


class RiskAssessmentAnswerSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    answer = serializers.PrimaryKeyRelatedField(read_only=True)
    label = serializers.CharField(source="answer.label", read_only=True)

    class Meta:
        model = RiskAssessmentAnswer
        fields = ["item", "answer", "label", "score"]


class RiskAssessmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    investigation = serializers.UUIDField(source="investigation.public_id", read_only=True)
    assessed_by = serializers.UUIDField(source="assessed_by.public_id", read_only=True)
    final_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    answers = RiskAssessmentAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "investigation",
            "assessed_at",
            "assessed_by",
            "answers",
            "total_score",
            "scored_level",
            "override",
            "override_level",
            "override_reason",
            "final_level",
            "superseded_at",
            "recorded_at",
        ]
        read_only_fields = fields


class RiskAnswerInput(serializers.Serializer):
    item = serializers.SlugField(max_length=60, help_text="The item's code.")
    answer = serializers.PrimaryKeyRelatedField(queryset=RiskAnswer.objects.all())


class RiskAssessmentInput(serializers.Serializer):
    assessed_at = serializers.DateTimeField()
    answers = RiskAnswerInput(many=True, help_text="One answer to every active risk item (GET /api/risk-items/).")
    override = serializers.ChoiceField(choices=RiskOverride.choices, required=False, allow_blank=True, default="")
    override_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True, default="")
    override_reason = _optional_text()

    def validate_answers(self, answers: list[dict]) -> dict:
        active = {item.code: item for item in selectors.risk_items()}
        chosen = {}
        for given in answers:
            item = active.get(given["item"])
            if item is None:
                raise serializers.ValidationError(f"No active risk item has the code {given['item']}.")
            if item.pk in chosen:
                raise serializers.ValidationError(f"Answer this item once: {item.question}")
            chosen[item.pk] = given["answer"]
        return chosen


@_records(
    RiskAssessmentInput,
    RiskAssessmentSerializer,
    listed="The investigation's risk assessments, the latest first (superseded ones too)",
    made="Record a scored risk assessment (it supersedes the current one)",
)
class InvestigationRiskAssessments(_InvestigationRecords):
    def detail(self):
        return selectors.risk_assessment_detail()

    def record(self, actor, investigation, given):
        return services.risk_assessment_record(actor=actor, investigation=investigation, **given.validated_data)


@extend_schema_view(get=extend_schema(summary="A risk assessment with its answers, scored and final levels"))
class RiskAssessmentDetail(generics.RetrieveAPIView):
    serializer_class = RiskAssessmentSerializer

    def get_object(self):
        return selectors.risk_assessment_for_view(self.request.user, self.kwargs["public_id"])
