"""JSON API for the dashboards: the unit's figures per worker, and caseload visit status.

The same selectors as the pages (reporting.selectors), so the API and the pages agree.
Public ids only; every list is a fixed number of queries whatever the caseload.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import log_list_read
from cases.choices import MemberRole, VisitStatus
from cases.models import CaseMember
from records.approvals import approvals_for
from reporting import selectors as dashboards

VISIT_STATUS_FILTERS = [VisitStatus.OVERDUE.value, VisitStatus.DUE_SOON.value]


class FederalSerializer(serializers.Serializer):
    child_months = serializers.IntegerField(help_text="Child-months: children in out-of-home care during the month.")
    visited = serializers.IntegerField(help_text="Child-months with at least one face-to-face visit in the month.")
    not_visited = serializers.IntegerField()
    visited_rate = serializers.FloatField(allow_null=True, help_text="Percent of child-months visited.")
    visits = serializers.IntegerField(help_text="Face-to-face visits with those children in the month.")
    in_residence = serializers.IntegerField(help_text="Of those visits, the ones in the child's residence.")
    in_residence_rate = serializers.FloatField(allow_null=True, help_text="Percent of visits in the residence.")
    meets_visited_target = serializers.BooleanField()
    meets_residence_target = serializers.BooleanField()


class FiguresSerializer(serializers.Serializer):
    worker = serializers.UUIDField(source="worker.public_id", allow_null=True, help_text="Null on the totals.")
    worker_name = serializers.CharField(source="worker.display_name", allow_null=True)
    cases = serializers.IntegerField(help_text="Open cases with an active assignment (primary or secondary).")
    children = serializers.IntegerField()
    overdue = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    requiring = serializers.IntegerField(help_text="Members who must be seen face to face (the visit rule).")
    seen = serializers.IntegerField(
        help_text="Of those, the members seen face to face within the visit interval (as on the page)."
    )
    not_yet_due = serializers.IntegerField(
        help_text="Of those, the members not seen within the interval (never, or longer ago), not yet due."
    )
    seen_rate = serializers.FloatField(allow_null=True, help_text="Percent of the members required who were seen.")
    compliant = serializers.IntegerField(help_text="Of those, the members not overdue: seen, or not yet due.")
    compliance_rate = serializers.FloatField(allow_null=True, help_text="Percent of the members required not overdue.")
    visits = serializers.IntegerField(help_text="Face-to-face visits recorded in the month.")
    federal = FederalSerializer()
    investigations_past_due = serializers.IntegerField()
    approvals = serializers.IntegerField(help_text="Closure requests and intake decisions awaiting the supervisor.")


class MonthFigureSerializer(serializers.Serializer):
    month = serializers.CharField(source="month.key", help_text="YYYY-MM")
    federal = FederalSerializer()


class UnitRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    month = serializers.CharField(source="month.key", help_text="YYYY-MM")
    page = serializers.IntegerField(help_text="The page of workers shown (50 a page); ?page= to choose.")
    pages = serializers.IntegerField()
    worker_count = serializers.IntegerField(help_text="Active caseworkers of the units, on all pages.")
    units = UnitRefSerializer(many=True, help_text="The units the figures cover.")
    workers = FiguresSerializer(source="rows", many=True)
    totals = FiguresSerializer()
    monthly = MonthFigureSerializer(
        source="chart", many=True, help_text=f"The federal measure, last {dashboards.CHART_MONTHS} months."
    )


class VisitStatusRowSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = serializers.UUIDField(source="case.public_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    family_name = serializers.CharField(source="case.family_name", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)
    role = serializers.ChoiceField(choices=MemberRole.choices, read_only=True)
    visit_status = serializers.SerializerMethodField(
        help_text="overdue, due_soon, visited, excused; null if not required"
    )

    class Meta:
        model = CaseMember
        fields = [
            "id",
            "case",
            "case_reference",
            "family_name",
            "person",
            "name",
            "role",
            "visit_status",
            "face_to_face_due",
            "last_face_to_face_at",
        ]
        read_only_fields = fields

    def get_visit_status(self, member) -> str | None:
        return member.visit_status or None


def _status_parameter() -> OpenApiParameter:
    return OpenApiParameter("status", enum=VISIT_STATUS_FILTERS, required=False)


class DashboardView(APIView):
    """The unit dashboard's figures: per active caseworker, the totals, and the federal measure by month."""

    required_capability = "work_cases"

    @extend_schema(
        summary="Unit dashboard figures per worker and for the units",
        parameters=[
            OpenApiParameter("unit", str, required=False, description="A unit's id; all units in view when absent."),
            OpenApiParameter("month", str, required=False, description="YYYY-MM; the current month when absent."),
            OpenApiParameter("page", int, required=False, description="The page of workers; the totals cover all."),
        ],
        responses=DashboardSerializer,
    )
    def get(self, request):
        choices, picked, units = dashboards.units_in_view(request.user, request.query_params.get("unit"))
        month = dashboards.Month.parse(request.query_params.get("month"))
        scope = dashboards.Scope.build(user=request.user, units=units, month=month)
        listed = dashboards.listed_units(choices, picked)
        page = dashboards.caseworker_page(listed, request.query_params.get("page"))
        dashboard = dashboards.unit_dashboard(scope, workers=list(page))
        body = {
            "month": dashboard.month,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "worker_count": page.paginator.count,
            "units": listed,
            "rows": dashboard.rows,
            "totals": dashboard.totals,
            "chart": dashboard.chart,
        }
        return Response(DashboardSerializer(body).data)


class _VisitStatusList(generics.ListAPIView):
    required_capability = "work_cases"
    serializer_class = VisitStatusRowSerializer
    queryset = CaseMember.objects.none()
    mine_only = False

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        if status and status not in VISIT_STATUS_FILTERS:
            raise serializers.ValidationError({"status": [f"Choose one of {', '.join(VISIT_STATUS_FILTERS)}."]})
        members = dashboards.caseload_members(self.request.user, mine_only=self.mine_only)
        if status:
            members = members.filter(dashboards.visit_status_q(status, timezone.localdate()))
        return dashboards.caseload_visit_rows(self.request.user, members)


@extend_schema_view(
    get=extend_schema(
        summary="My caseload's visit status: members of my open cases, the most urgent first",
        parameters=[_status_parameter()],
    )
)
class MyWorkVisitStatus(_VisitStatusList):
    mine_only = True


@extend_schema_view(
    get=extend_schema(
        summary="Visit status of every member of the open cases I may see, the most urgent first",
        parameters=[_status_parameter()],
    )
)
class CaseloadVisitStatus(_VisitStatusList):
    mine_only = False


class ApprovalItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The record type and what is decided, e.g. 'Investigation findings'.")
    reference = serializers.CharField()
    name = serializers.CharField(help_text="The record's name: the family, or the children on the report.")
    asked = serializers.CharField(help_text="What the supervisor is asked to decide.")
    asked_by = serializers.UUIDField(source="asked_by.public_id", allow_null=True, default=None)
    asked_by_name = serializers.CharField(source="asked_by.display_name", allow_null=True, default=None)
    asked_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="When the decision is due, if anything is.")
    url = serializers.CharField(help_text="The page where it is decided.")


@extend_schema_view(
    get=extend_schema(
        summary="What awaits my decision as supervisor, across record types, the most urgent first",
        responses=ApprovalItemSerializer(many=True),
    )
)
class ApprovalQueue(APIView):
    required_capability = "supervise_units"

    def get(self, request):
        items = approvals_for(request.user)
        log_list_read(request.user, items, context="API: Approvals")
        return Response(ApprovalItemSerializer(items, many=True).data)
