"""The Django admin, for superusers only. Its lists go through the access policy like every page, and its
reads are audited like every page's: a detail page as a read of its record, a list as one list read."""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.audit import log_list_read, record_view
from accounts.models import AuditEvent, Unit, User


class PolicyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            record_view(user=request.user, obj=obj)
        return obj

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        log_list_read(request.user, changelist.result_list, context=f"Django admin: {self.opts.verbose_name_plural}")
        return changelist


class CaseRecordAdmin(PolicyAdmin):
    """Read-only lists of case records, filtered by the access policy: a superuser with no role sees none."""

    def get_queryset(self, request):
        return access.visible(request.user, super().get_queryset(request))


@admin.register(User)
class StaffAdmin(PolicyAdmin):
    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    exclude = ["password"]

    def get_queryset(self, request):
        return access.staff_queryset(request.user).select_related("unit")


@admin.register(Unit)
class UnitAdmin(PolicyAdmin):
    list_display = ["name", "supervisor"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            if access.has_capability(request.user, "manage_staff")
            else Unit.objects.none()
        )


@admin.register(AuditEvent)
class AuditEventAdmin(PolicyAdmin):
    list_display = ["occurred_at", "actor", "action", "target_type", "target_label"]
    list_filter = ["action"]

    def get_queryset(self, request):
        return access.audit_events(request.user)


# django-otp's own admin shows each device's secret (and a QR code of it): replaced by a list that never does.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorAdmin(PolicyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = list_display
