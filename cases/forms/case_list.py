"""The case list's search and filters, for the page and the API alike."""

from django import forms

from accounts import access
from accounts.models import Unit
from accounts.roles import Clearance
from cases.choices import CaseStatus
from cases.selectors.case_list import CaseFilters
from common.input import SEARCH_MAX_CHARACTERS, validate_search


class CaseSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_CHARACTERS,
        validators=[validate_search],
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Family, member name or reference", "aria-label": "Search cases"}
        ),
    )
    status = forms.ChoiceField(choices=[("", "Any status, closed included"), *CaseStatus.choices], required=False)
    worker = forms.ModelChoiceField(
        queryset=access.caseworkers(Unit.objects.all()).order_by("last_name", "first_name"),
        required=False,
        empty_label="Any worker",
        to_field_name="public_id",
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.order_by("name"), required=False, empty_label="Any unit", to_field_name="public_id"
    )
    restriction = forms.ChoiceField(choices=[("", "Any restriction"), *Clearance.choices], required=False)
    overdue = forms.BooleanField(required=False, label="Someone overdue for a visit")
    mine = forms.BooleanField(required=False, label="Assigned to me")

    def filters(self) -> CaseFilters:
        return CaseFilters(**self.cleaned_data)
