from django import forms
from django.conf import settings

from accounts.models import User


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)
    keep_previous_access = forms.BooleanField(
        required=False,
        label=f"Let the previous worker keep reading it for {settings.KINDRED_KEPT_ACCESS_DAYS} days",
        help_text="Otherwise they lose access at once.",
    )

    def __init__(self, *args, workers, reassigning: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not reassigning:
            del self.fields["keep_previous_access"]
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda user: f"{user.display_name} ({user.unit.name})"
