from django.contrib import admin

from accounts.admin import CaseRecordAdmin
from cases.models import Case, IntakeReport
from cases.services import REPORTER_FIELDS


@admin.register(IntakeReport)
class IntakeReportAdmin(CaseRecordAdmin):
    list_display = ["reference", "status", "received_at", "unit"]
    # The reporter is confidential, in the admin as everywhere: every field that could name them is left out.
    exclude = REPORTER_FIELDS


@admin.register(Case)
class CaseAdmin(CaseRecordAdmin):
    list_display = ["reference", "family_name", "status", "unit"]
