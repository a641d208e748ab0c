from django.contrib import admin

from accounts.admin import CaseRecordAdmin, PolicyAdmin
from investigations.models import CrossReportRule, Investigation, RiskAnswer, RiskItem, SafetyThreat


@admin.register(Investigation)
class InvestigationAdmin(CaseRecordAdmin):
    list_display = ["reference", "status", "response_due_at", "unit", "assigned_worker"]


class AgencyListAdmin(PolicyAdmin):
    """A list the agency keeps (safety threats, risk items, cross-report rules): superusers add and change
    entries. None is deleted, since recorded assessments point at them: an entry no longer used is made inactive."""

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(SafetyThreat)
class SafetyThreatAdmin(AgencyListAdmin):
    list_display = ["label", "code", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]


class RiskAnswerInline(admin.TabularInline):
    model = RiskAnswer
    fields = ["label", "score", "order"]
    extra = 1

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskItem)
class RiskItemAdmin(AgencyListAdmin):
    list_display = ["question", "code", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    inlines = [RiskAnswerInline]


@admin.register(CrossReportRule)
class CrossReportRuleAdmin(AgencyListAdmin):
    list_display = ["maltreatment_type", "within_hours"]
