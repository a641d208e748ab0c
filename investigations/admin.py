from django.contrib import admin

from accounts.admin import CaseRecordAdmin
from investigations.models import Investigation


@admin.register(Investigation)
class InvestigationAdmin(CaseRecordAdmin):
    list_display = ["reference", "status", "response_due_at", "unit", "assigned_worker"]
