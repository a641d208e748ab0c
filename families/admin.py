from django.contrib import admin

from accounts.admin import CaseRecordAdmin
from families.models import Person


@admin.register(Person)
class PersonAdmin(CaseRecordAdmin):
    list_display = ["public_id", "created_at"]
