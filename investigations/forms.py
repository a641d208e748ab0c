from django import forms

from accounts.models import User
from accounts.roles import Role


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args, supervisor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            User.objects.filter(
                is_active=True,
                unit__supervisor=supervisor,
                groups__name=Role.CASEWORKER.group_name,
            )
            .select_related("unit")
            .order_by("last_name", "first_name")
        )
        self.fields["worker"].label_from_instance = lambda user: f"{user.display_name} ({user.unit.name})"
