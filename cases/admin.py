from django.contrib import admin

from accounts.admin import CaseRecordAdmin
from cases.models import Case, IntakeReport


@admin.register(IntakeReport)
class IntakeReportAdmin(CaseRecordAdmin):
    list_display = ["reference", "status", "received_at", "unit"]
    exclude = ["reporter_name", "reporter_relationship", "reporter_phone", "reporter_email"]


@admin.register(Case)
class CaseAdmin(CaseRecordAdmin):
    list_display = ["reference", "family_name", "status", "unit"]
