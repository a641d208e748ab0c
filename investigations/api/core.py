"""JSON API for investigations: the list a user may see, one investigation, assignment (contacts: `api.contacts`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.models import User
from investigations import selectors, services
from investigations.models import Investigation


class InvestigationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    report = serializers.UUIDField(source="report.public_id", read_only=True)
    unit = serializers.UUIDField(source="unit.public_id", read_only=True, allow_null=True)
    assigned_worker = serializers.UUIDField(source="assigned_worker.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Investigation
        fields = ["id", "reference", "status", "report", "unit", "assigned_worker", "response_due_at", "created_at"]


class AssignSerializer(serializers.Serializer):
    worker = serializers.SlugRelatedField(slug_field="public_id", queryset=User.objects.filter(is_active=True))


class InvestigationList(generics.ListAPIView):
    required_capability = "work_cases"
    serializer_class = InvestigationSerializer

    def get_queryset(self):
        return selectors.investigations(user=self.request.user, status=self.request.query_params.get("status", ""))


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
            actor=request.user, investigation=investigation, worker=serializer.validated_data["worker"]
        )
        return Response(InvestigationSerializer(investigation).data)
