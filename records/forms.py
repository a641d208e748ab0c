from django import forms

from records.models import Holiday


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class HolidayForm(forms.Form):
    date = forms.DateField(widget=DateInput())
    name = forms.CharField(max_length=Holiday._meta.get_field("name").max_length, help_text="e.g. Thanksgiving Day.")
