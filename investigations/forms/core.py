from django import forms

from accounts.models import User


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda user: f"{user.display_name} ({user.unit.name})"
