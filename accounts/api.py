"""JSON API for staff, units and the audit log. Thin: serializers validate shape, services decide."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access, selectors, services
from accounts.api_support import PolicyPermission
from accounts.audit import describe
from accounts.forms import AuditFilterForm, StaffForm
from accounts.models import AuditEvent, Notification, Unit, User
from accounts.notifications import notifications_for, notifications_mark_read
from accounts.reauth import RecentPassword
from accounts.roles import Role

# Role, unit, clearance and password changes: the access policy, then a recently entered password.
CHANGES_ACCESS = [PolicyPermission, RecentPassword]


class UnitRefField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="public_id", queryset=Unit.objects.all(), **kwargs)


class StaffSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False)
    unit = UnitRefField(required=False, allow_null=True)

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

    class Meta:
        model = Unit
        fields = ["id", "name", "supervisor", "members"]


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
        return selectors.staff_search(user=self.request.user, q=self.request.query_params.get("q", ""))

    def get_serializer_class(self):
        return StaffCreateSerializer if self.request.method == "POST" else StaffSerializer

    def create(self, request, *args, **kwargs):
        serializer = StaffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member, generated = services.user_create(
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
        )
        body = StaffSerializer(member).data
        if generated:
            body["temporary_password"] = generated
        return Response(body, status=201)


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
        services.user_update(actor=request.user, user=member, **values)
        return Response(StaffSerializer(access.get_staff_member(request.user, member.public_id)).data)


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
        request=None,
        responses=inline_serializer("TemporaryPassword", {"temporary_password": serializers.CharField()}),
    )
    def post(self, request, public_id):
        member = access.get_staff_member(request.user, public_id)
        return Response({"temporary_password": services.user_reset_password(actor=request.user, user=member)})


class UnitListCreate(generics.ListCreateAPIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS
    serializer_class = UnitSerializer

    def get_queryset(self):
        if not access.has_capability(self.request.user, "manage_staff"):
            return Unit.objects.none()
        return Unit.objects.select_related("supervisor").prefetch_related("members")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.unit_create(
            actor=self.request.user, name=data["name"], supervisor=data.get("supervisor")
        )


class UnitDetail(generics.RetrieveUpdateAPIView):
    required_capability = "manage_staff"
    permission_classes = CHANGES_ACCESS
    serializer_class = UnitSerializer

    def get_object(self):
        return access.get_unit(self.request.user, self.kwargs["public_id"])

    def perform_update(self, serializer):
        unit = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.unit_update(
            actor=self.request.user,
            unit=unit,
            name=data.get("name", unit.name),
            supervisor=data.get("supervisor", unit.supervisor),
        )


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
        fields = ["id", "message", "link", "created_at", "read_at"]


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
