from django import forms

__all__ = ["DeadlineExcuseForm"]


class DeadlineExcuseForm(forms.Form):
    reason = forms.CharField(
        label="Why the deadline is excused",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="e.g. the child could not be located after diligent efforts: say which.",
    )
