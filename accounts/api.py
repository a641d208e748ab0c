"""JSON API for staff, units and the audit log. Thin: serializers validate shape, services decide."""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access, duties, selectors, services
from accounts.api_support import PolicyPermission
from accounts.audit import describe
from accounts.choices import ChangeStatus
from accounts.forms import AuditFilterForm, StaffForm
from accounts.models import AuditEvent, Notification, StaffChangeRequest, Unit, User
from accounts.notifications import notifications_for, notifications_mark_read
from accounts.reauth import RecentPassword
from accounts.roles import Role
from common.input import search_terms

# Role, unit, clearance and password changes: the access policy, then a recently entered password.
CHANGES_ACCESS = [PolicyPermission, RecentPassword]


class UnitRefField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="public_id", queryset=Unit.objects.all(), **kwargs)


def reason_field() -> serializers.CharField:
    """Why a change is asked for: needed when it waits for a second administrator, who reads it."""
    return serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=2000)


class ChangeRequestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    account = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = StaffChangeRequest
        fields = [
            "id",
            "kind",
            "status",
            "summary",
            "account",
            "unit",
            "roles",
            "clearance_sensitive",
            "clearance_sealed",
            "email",
            "changes_email",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields

    def get_summary(self, change) -> str:
        return selectors.change_summary(change)


class StaffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False)
    unit = UnitRefField(required=False, allow_null=True)
    reason = reason_field()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "unit",
            "clearance_sensitive",
            "clearance_sealed",
            "is_active",
            "must_change_password",
            "deactivated_at",
            "reason",
        ]
        read_only_fields = ["username", "is_active", "must_change_password", "deactivated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["roles"] = sorted(role.value for role in instance.roles)
        return data


class StaffCreateSerializer(StaffSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta(StaffSerializer.Meta):
        fields = [*StaffSerializer.Meta.fields, "password"]
        read_only_fields = ["is_active", "must_change_password", "deactivated_at"]

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("This username is taken.")
        return value


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class UnitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    supervisor = serializers.SlugRelatedField(
        slug_field="public_id", queryset=User.objects.all(), required=False, allow_null=True
    )
    members = serializers.SlugRelatedField(slug_field="public_id", many=True, read_only=True)
    reason = reason_field()

    class Meta:
        model = Unit
        fields = ["id", "name", "supervisor", "members", "reason"]


def _with_request(body: dict, change: StaffChangeRequest | None) -> dict:
    """A response body, with the request a change left waiting for a second administrator."""
    if change is not None:
        body["pending_request"] = ChangeRequestSerializer(change).data
    return body


PENDING_REQUEST_NOTE = (
    "When part of the change waits for a second administrator, the answer is 202 and names the request "
    "in `pending_request`; what needs no approval is applied already."
)


def pending_request_schema(serializer):
    """An update answered 200 when applied in full, 202 when part of it waits for a second administrator."""
    pending = OpenApiResponse(serializer, description="Applied in part; `pending_request` names what waits.")
    update = extend_schema(description=PENDING_REQUEST_NOTE, responses={200: serializer, 202: pending})
    return extend_schema_view(put=update, patch=update)


class AuditEventSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    sentence = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "ip_address",
            "changes",
            "reason",
            "sentence",
        ]

    def get_sentence(self, event) -> str:
        return describe(event)


class MeView(APIView):
    @extend_schema(responses=StaffSerializer)
    def get(self, request):
        return Response(StaffSerializer(request.user).data)


class StaffListCreate(generics.ListCreateAPIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS
    serializer_class = StaffSerializer

    def get_queryset(self):
        q = search_terms(self.request.query_params.get("q"))
        return selectors.staff_search(user=self.request.user, q=q)

    def get_serializer_class(self):
        return StaffCreateSerializer if self.request.method == "POST" else StaffSerializer

    @extend_schema(description=PENDING_REQUEST_NOTE)
    def create(self, request, *args, **kwargs):
        serializer = StaffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member, generated, change = duties.staff_create(
            actor=request.user,
            username=data["username"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            roles=data.get("roles", []),
            unit=data.get("unit"),
            clearance_sensitive=data.get("clearance_sensitive", False),
            clearance_sealed=data.get("clearance_sealed", False),
            password=data.get("password") or None,
            reason=data.get("reason", ""),
        )
        body = _with_request(StaffSerializer(member).data, change)
        if generated:
            body["temporary_password"] = generated
        return Response(body, status=201)


@pending_request_schema(StaffSerializer)
class StaffDetail(generics.RetrieveUpdateAPIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS
    serializer_class = StaffSerializer

    def get_object(self):
        return access.get_staff_member(self.request.user, self.kwargs["public_id"])

    def update(self, request, *args, **kwargs):
        member = self.get_object()
        serializer = StaffSerializer(member, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        values = {**StaffForm.initial_for(member), **serializer.validated_data}
        change = duties.staff_update(actor=request.user, user=member, **values)
        body = StaffSerializer(access.get_staff_member(request.user, member.public_id)).data
        return Response(_with_request(body, change), status=202 if change else 200)


class _StaffReasonAction(APIView):
    required_capability = "manage_staff"
    service = None

    @extend_schema(request=ReasonSerializer, responses=StaffSerializer)
    def post(self, request, public_id):
        member = access.get_staff_member(request.user, public_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        type(self).service(actor=request.user, user=member, reason=serializer.validated_data["reason"])
        return Response(StaffSerializer(access.get_staff_member(request.user, public_id)).data)


class StaffDeactivate(_StaffReasonAction):
    service = staticmethod(services.user_deactivate)


class StaffReactivate(_StaffReasonAction):
    service = staticmethod(services.user_reactivate)


class StaffResetPassword(APIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS

    @extend_schema(
        request=inline_serializer("PasswordResetReason", {"reason": reason_field()}),
        responses={
            200: inline_serializer("TemporaryPassword", {"temporary_password": serializers.CharField()}),
            202: inline_serializer("PasswordResetRequested", {"pending_request": ChangeRequestSerializer()}),
        },
        description="An account with a role or a clearance gets no temporary password: the reset waits for a "
        "second administrator (202), then its owner sets a new password through a link e-mailed to them.",
    )
    def post(self, request, public_id):
        member = access.get_staff_member(request.user, public_id)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000).run_validation(
            request.data.get("reason", "")
        )
        password, change = duties.staff_password_reset(actor=request.user, user=member, reason=reason)
        if change:
            return Response(_with_request({}, change), status=202)
        return Response({"temporary_password": password})


class UnitListCreate(generics.ListCreateAPIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS
    serializer_class = UnitSerializer

    def get_queryset(self):
        if not access.has_capability(self.request.user, "manage_staff"):
            return Unit.objects.none()
        return Unit.objects.select_related("supervisor").prefetch_related("members")

    @extend_schema(description=PENDING_REQUEST_NOTE)
    def create(self, request, *args, **kwargs):
        serializer = UnitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit, change = duties.unit_open(
            actor=request.user, name=data["name"], supervisor=data.get("supervisor"), reason=data.get("reason", "")
        )
        return Response(_with_request(UnitSerializer(unit).data, change), status=201)


@pending_request_schema(UnitSerializer)
class UnitDetail(generics.RetrieveUpdateAPIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS
    serializer_class = UnitSerializer

    def get_object(self):
        return access.get_unit(self.request.user, self.kwargs["public_id"])

    def update(self, request, *args, **kwargs):
        unit = self.get_object()
        serializer = UnitSerializer(unit, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit, change = duties.unit_change(
            actor=request.user,
            unit=unit,
            name=data.get("name", unit.name),
            supervisor=data.get("supervisor", unit.supervisor),
            reason=data.get("reason", ""),
        )
        unit = access.get_unit(request.user, unit.public_id)
        return Response(_with_request(UnitSerializer(unit).data, change), status=202 if change else 200)


class ChangeRequestList(generics.ListAPIView):
    """Changes waiting for a second administrator (`?status=pending`), and decided ones."""

    required_capability = "manage_staff"
    serializer_class = ChangeRequestSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ChangeStatus.values, description="Only requests in this status.")
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        if status and status not in ChangeStatus.values:
            raise serializers.ValidationError({"status": f"One of: {', '.join(ChangeStatus.values)}."})
        return selectors.staff_change_requests(user=self.request.user, status=status)


class ChangeRequestDetail(generics.RetrieveAPIView):
    required_capability = "manage_staff"
    serializer_class = ChangeRequestSerializer

    def get_object(self):
        return selectors.get_change_request(self.request.user, self.kwargs["public_id"])


class ChangeRequestApprove(APIView):
    """Approve a change another administrator asked for: it applies at once. Never your own, nor one to your account."""

    required_capability = "manage_staff"

    @extend_schema(request=None, responses=ChangeRequestSerializer)
    def post(self, request, public_id):
        change = selectors.get_change_request(request.user, public_id)
        change = duties.change_request_approve(actor=request.user, request=change)
        return Response(ChangeRequestSerializer(selectors.get_change_request(request.user, change.public_id)).data)


class ChangeRequestRefuse(APIView):
    required_capability = "manage_staff"

    @extend_schema(request=ReasonSerializer, responses=ChangeRequestSerializer)
    def post(self, request, public_id):
        change = selectors.get_change_request(request.user, public_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duties.change_request_refuse(actor=request.user, request=change, reason=serializer.validated_data["reason"])
        return Response(ChangeRequestSerializer(selectors.get_change_request(request.user, public_id)).data)


class AuditEventList(generics.ListAPIView):
    required_capability = "read_audit"
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        # The page's filter form validates the query parameters here too: one set of rules.
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return selectors.audit_search(user=self.request.user, **form.cleaned_data)


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Notification
        # kind: the kind of record it is about (empty when unknown: stored before kinds were); title: that record
        # named as its recipient may see it; due_at: when the work it asks for is due.
        fields = ["id", "kind", "title", "message", "link", "due_at", "created_at", "read_at"]


class NotificationList(generics.ListAPIView):
    """The signed-in user's own notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        found = notifications_for(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            found = found.filter(read_at__isnull=True)
        return found


class NotificationRead(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, public_id):
        note = notifications_for(request.user).filter(public_id=public_id).first()
        if note is None:
            raise Http404
        notifications_mark_read(user=request.user, public_id=public_id)
        note.refresh_from_db()
        return Response(NotificationSerializer(note).data)
