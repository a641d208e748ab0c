"""JSON API for investigations: the list a user may see, one investigation, assignment (contacts: `api.contacts`)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.models import User
from investigations import selectors, services
from investigations.api.deadlines import DeadlineSerializer, NearestDeadlineSerializer, deadlines_body
from investigations.models import Investigation
from investigations.selectors.deadlines import with_deadline_states


class InvestigationSerializer(serializers.ModelSerializer):
    """One investigation, with every deadline and how it stands."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    report = serializers.UUIDField(source="report.public_id", read_only=True)
    unit = serializers.UUIDField(source="unit.public_id", read_only=True, allow_null=True)
    assigned_worker = serializers.UUIDField(source="assigned_worker.public_id", read_only=True, allow_null=True)
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Investigation
        fields = [
            "id",
            "reference",
            "status",
            "report",
            "unit",
            "assigned_worker",
            "response_due_at",
            "created_at",
            "deadlines",
        ]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, investigation) -> list:
        request = self.context.get("request")
        return deadlines_body(investigation, request.user if request else None)


class InvestigationListSerializer(InvestigationSerializer):
    """An investigation in a list: its nearest open deadline and how it stands (none: all met, or closed)."""

    nearest_deadline = serializers.SerializerMethodField()

    class Meta(InvestigationSerializer.Meta):
        fields = [*(name for name in InvestigationSerializer.Meta.fields if name != "deadlines"), "nearest_deadline"]

    @extend_schema_field(NearestDeadlineSerializer(allow_null=True))
    def get_nearest_deadline(self, investigation) -> dict | None:
        if investigation.nearest_deadline_at is None:
            return None
        return NearestDeadlineSerializer(investigation).data


class AssignSerializer(serializers.Serializer):
    worker = serializers.SlugRelatedField(slug_field="public_id", queryset=User.objects.filter(is_active=True))
    keep_previous_access = serializers.BooleanField(
        required=False, default=False, help_text="Let the previous worker keep reading it (KINDRED_KEPT_ACCESS_DAYS)."
    )


@extend_schema_view(
    get=extend_schema(
        summary="Investigations the user may see, the nearest open deadline first",
        parameters=[
            OpenApiParameter("status", description="Only investigations in this status."),
            OpenApiParameter("show", enum=[selectors.MINE, selectors.MY_UNITS], description="Only mine, or my units'."),
        ],
    )
)
class InvestigationList(generics.ListAPIView):
    required_capability = "work_cases"
    serializer_class = InvestigationListSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.investigations(
            user=self.request.user, status=params.get("status", ""), show=params.get("show", "")
        )

    def paginate_queryset(self, queryset):
        return with_deadline_states(super().paginate_queryset(queryset))


class InvestigationDetail(generics.RetrieveAPIView):
    serializer_class = InvestigationSerializer

    def get_object(self):
        return access.get_for_view(
            self.request.user,
            Investigation.objects.select_related("report", "unit", "assigned_worker"),
            public_id=self.kwargs["public_id"],
        )


class InvestigationAssign(APIView):
    @extend_schema(request=AssignSerializer, responses=InvestigationSerializer)
    def post(self, request, public_id):
        investigation = access.get_for_change(request.user, Investigation.objects.all(), public_id=public_id)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        investigation = services.investigation_assign(
            actor=request.user,
            investigation=investigation,
            worker=serializer.validated_data["worker"],
            keep_previous_access=serializer.validated_data["keep_previous_access"],
        )
        return Response(InvestigationSerializer(investigation).data)
