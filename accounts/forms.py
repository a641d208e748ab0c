from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from accounts import audit
from accounts.models import AuditEvent, Unit, User
from accounts.roles import Role
from common.input import SEARCH_MAX_CHARACTERS, validate_filter_date, validate_search


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django checks the password rules on the confirmation; a broken rule is shown under the new password,
    where it was typed, and only a mismatch under the confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    """Changing one's own password: the current one, then the new one checked as in SetPasswordForm."""


def approval_reason_field(what: str) -> forms.CharField:
    """Why a change is asked for, read by the second administrator who approves it."""
    return forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why",
        help_text=f"Needed when {what}: another administrator approves it, reading this.",
    )


class StaffForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False, label="E-mail", help_text="The link to set a password goes there.")
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, empty_label="No unit")
    clearance_sensitive = forms.BooleanField(required=False, label="Sensitive clearance")
    clearance_sealed = forms.BooleanField(required=False, label="Sealed clearance")
    reason = approval_reason_field(
        "you give a role or a clearance, or change the e-mail address of an account with one"
    )

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "roles": [role.value for role in user.roles],
            "unit": user.unit,
            "clearance_sensitive": user.clearance_sensitive,
            "clearance_sealed": user.clearance_sealed,
        }


class StaffCreateForm(StaffForm):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @/./+/-/_ only.")
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        label="Initial password",
        help_text="Only for an account without a role; leave empty to generate one, which they change at first "
        "sign-in. An account with a role gets no password: its owner sets one through a link e-mailed to them.",
    )
    field_order = ["username", "first_name", "last_name", "email", "roles", "unit", "password"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("This username is taken.")
        return username


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class UnitForm(forms.Form):
    name = forms.CharField(max_length=120)
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR.group_name).distinct(),
        required=False,
        empty_label="No supervisor yet",
    )
    reason = approval_reason_field("you name a new supervisor")


class PasswordResetForm(forms.Form):
    reason = approval_reason_field("the account has a role or a clearance")


class DecisionForm(forms.Form):
    # Sent by the button pressed (Approve or Refuse), not shown as a field.
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")])
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (needed to refuse)",
    )


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_CHARACTERS,
        validators=[validate_search],
        label="Search",
        widget=forms.TextInput(attrs={"placeholder": "Name, username or e-mail", "aria-label": "Search staff"}),
    )
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, empty_label="Any unit")
    status = forms.ChoiceField(
        choices=[("", "Active and inactive"), ("active", "Active"), ("inactive", "Deactivated")], required=False
    )


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        queryset=User.objects.all(), required=False, empty_label="Anyone", to_field_name="public_id"
    )
    action = forms.ChoiceField(required=False, label="What they did")
    target_type = forms.ChoiceField(required=False, label="Kind of record")
    target_id = forms.CharField(required=False, max_length=AuditEvent._meta.get_field("target_id").max_length)
    since = forms.DateField(
        required=False, validators=[validate_filter_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, validators=[validate_filter_date], widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Anything"), *audit.action_choices()]
        self.fields["target_type"].choices = [("", "Any"), *audit.target_type_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            raise ValidationError("The start date is after the end date.")
        return cleaned


class ReauthenticateForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class OneTimeCodeForm(forms.Form):
    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Type the six digits your app shows."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}),
    )
