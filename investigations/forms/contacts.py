"""Forms of an investigation's contacts (its part of the shared contact form) and cross-reports."""

from django import forms
from django.conf import settings

from cases.forms.casework import ContactFormPart
from cases.forms.intake import LocalDateTimeInput
from cases.models import IntakeReport
from investigations.choices import CollateralRole, ContactPurpose, CrossReportMethod
from investigations.models import CollateralContact, CrossReport


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label="Purpose", choices=ContactPurpose.choices, widget=forms.RadioSelect)


class CollateralForm(forms.ModelForm):
    """One collateral contact; a row left empty is skipped."""

    role = forms.ChoiceField(label="Role", choices=[("", "Choose…"), *CollateralRole.choices])

    class Meta:
        model = CollateralContact
        fields = ["name", "role", "organisation", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}


CollateralFormSet = forms.formset_factory(CollateralForm, extra=1, max_num=20, validate_max=True)


class InvestigationContactPart(ContactFormPart):
    """What an investigation's contact records beyond every contact's fields: its purpose and the collateral
    contacts who are not on the record; above the form, the report's worker-safety alerts."""

    template = "investigations/contact_part.html"
    notice_template = "investigations/contact_notice.html"
    owns = ("purpose", "collaterals")

    def __init__(self, data=None, *, report: IntakeReport) -> None:
        super().__init__()
        self.report = report
        self.purpose = PurposeForm(data)
        self.collaterals = CollateralFormSet(data, prefix="collaterals")
        self.forms = [self.purpose, self.collaterals]

    def service_arguments(self) -> dict:
        return {
            "purpose": self.purpose.cleaned_data["purpose"],
            "collaterals": [
                {name: form.cleaned_data[name] for name in CollateralForm.Meta.fields}
                for form in self.collaterals
                if form.has_changed() and form.cleaned_data
            ],
        }


class CrossReportForm(forms.ModelForm):
    reported_at = forms.DateTimeField(
        label="Reported on", widget=LocalDateTimeInput(), help_text=f"Agency time ({settings.TIME_ZONE})."
    )
    method = forms.ChoiceField(label="How", choices=CrossReportMethod.choices, widget=forms.RadioSelect)

    class Meta:
        model = CrossReport
        fields = ["agency", "reported_at", "method", "officer_name", "officer_report_number"]
        labels = {"agency": "Law enforcement agency"}

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
