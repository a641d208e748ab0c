"""Forms of the intake pages. They check the shape of what was typed; the services decide the rules."""

from django import forms
from django.conf import settings

from accounts.roles import Clearance
from cases.choices import (
    MaltreatmentType,
    ParticipantRole,
    ReceivedMethod,
    ReportSource,
    ResponsePriority,
    SafetyAlert,
    ScreenOutReason,
)
from cases.models import IntakeReport
from cases.services import REPORT_TEXT_LIMITS
from common.input import SEARCH_MAX_CHARACTERS, validate_search
from common.versions import VersionField
from families.choices import Sex

CHOOSE = [("", "Choose…")]
UNKNOWN_PERPETRATOR = ""


class LocalDateTimeInput(forms.DateTimeInput):
    """A datetime-local input; Django shows and reads it in the agency's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def received_at_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label="Received",
        required=False,
        widget=LocalDateTimeInput(),
        help_text=f"Date and time the report came in, agency time ({settings.TIME_ZONE}).",
    )


class ReportCreateForm(forms.Form):
    """The first few facts of a new report; the rest is filled in section by section."""

    received_at = received_at_field()
    method = forms.ChoiceField(label="How it came in", choices=CHOOSE + ReceivedMethod.choices, required=False)
    report_source = forms.ChoiceField(label="Report source", choices=CHOOSE + ReportSource.choices, required=False)


class ReportSectionForm(forms.Form):
    received_at = received_at_field()
    method = forms.ChoiceField(label="How it came in", choices=CHOOSE + ReceivedMethod.choices, required=False)
    incident_date = forms.DateField(label="Incident date", required=False, widget=DateInput())
    incident_address = forms.CharField(
        label="Incident address", required=False, widget=_textarea(2), max_length=REPORT_TEXT_LIMITS["incident_address"]
    )
    children_location = forms.CharField(
        label="Where the children are now",
        required=False,
        widget=_textarea(2),
        max_length=REPORT_TEXT_LIMITS["children_location"],
    )
    narrative = forms.CharField(required=False, widget=_textarea(8), max_length=REPORT_TEXT_LIMITS["narrative"])
    safety_alerts = forms.MultipleChoiceField(
        label="Worker safety alerts", choices=SafetyAlert.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    safety_notes = forms.CharField(
        label="Safety notes", required=False, widget=_textarea(2), max_length=REPORT_TEXT_LIMITS["safety_notes"]
    )
    access_restriction = forms.ChoiceField(label="Access restriction", choices=Clearance.choices)
    restriction_reason = forms.CharField(
        label="Why access is restricted",
        required=False,
        widget=_textarea(2),
        max_length=REPORT_TEXT_LIMITS["restriction_reason"],
        help_text="Needed for a restriction.",
    )
    version = VersionField()

    def clean_received_at(self):
        value, kept = self.cleaned_data["received_at"], self.initial.get("received_at")
        # The input shows minutes only: an untouched time keeps its seconds, so nothing reads as changed.
        if value and kept and value == kept.replace(second=0, microsecond=0):
            return kept
        return value


class ReporterSectionForm(forms.Form):
    report_source = forms.ChoiceField(label="Report source", choices=CHOOSE + ReportSource.choices, required=False)
    reporter_name = forms.CharField(label="Name", required=False, max_length=200)
    reporter_relationship = forms.CharField(
        label="Relationship to the family", required=False, max_length=100, help_text="e.g. teacher, neighbor"
    )
    reporter_phone = forms.CharField(label="Phone", required=False, max_length=30)
    reporter_email = forms.EmailField(label="E-mail", required=False)
    reporter_mandated = forms.BooleanField(label="Mandated reporter", required=False)
    reporter_wants_feedback = forms.BooleanField(label="Wants to hear back", required=False)
    reporter_anonymous = forms.BooleanField(label="Wishes to stay anonymous", required=False)
    version = VersionField()


def initial_for(form_class: type[forms.Form], report: IntakeReport) -> dict:
    return {name: getattr(report, name) for name in form_class.base_fields}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Search people by name", required=False, max_length=SEARCH_MAX_CHARACTERS, validators=[validate_search]
    )


class ReportSearchForm(forms.Form):
    q = forms.CharField(
        label="Search reports",
        required=False,
        max_length=SEARCH_MAX_CHARACTERS,
        validators=[validate_search],
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "A name on the report, or its reference"}),
    )


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label="Role on the report", choices=CHOOSE + ParticipantRole.choices, **kwargs)


class AddPersonForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    role = RoleField()


class RemovePersonForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=ParticipantRole.choices, widget=forms.HiddenInput)


class NewPersonForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    birth_date = forms.DateField(label="Date of birth", required=False, widget=DateInput())
    approximate_age = forms.IntegerField(
        label="Approximate age", required=False, min_value=0, help_text="When the date of birth is not known."
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    role = RoleField()
    # Set by the "none of these" button shown next to the possible matches, never typed.
    confirmed_not_duplicate = forms.BooleanField(required=False)

    person_fields = ["first_name", "last_name", "birth_date", "approximate_age", "sex"]


class AllegationForm(forms.Form):
    victim = forms.ChoiceField(label="Alleged victim")
    perpetrator = forms.ChoiceField(label="Alleged perpetrator", required=False)
    maltreatment_type = forms.ChoiceField(label="Type", choices=CHOOSE + MaltreatmentType.choices)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(person.public_id), f"{person.full_name} ({person.age_display})") for person in people]
        self.fields["victim"].choices = CHOOSE + choices
        self.fields["perpetrator"].choices = [(UNKNOWN_PERPETRATOR, "Unknown"), *choices]


class WithdrawAllegationForm(forms.Form):
    allegation = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why it is withdrawn", widget=_textarea(2), max_length=2000)


class DecisionForm(forms.Form):
    SCREEN_IN, SCREEN_OUT = "screen_in", "screen_out"

    decision = forms.ChoiceField(
        choices=[(SCREEN_IN, "Screen in"), (SCREEN_OUT, "Screen out")], widget=forms.RadioSelect
    )
    # With the script, only the field of the decision chosen shows (static/kindred/kindred.js).
    response_priority = forms.ChoiceField(
        label="Response priority (screen in)",
        choices=CHOOSE + ResponsePriority.choices,
        required=False,
        widget=forms.Select(attrs={"data-shown-when": f"decision={SCREEN_IN}"}),
    )
    screen_out_reason = forms.ChoiceField(
        label="Reason (screen out)",
        choices=CHOOSE + ScreenOutReason.choices,
        required=False,
        widget=forms.Select(attrs={"data-shown-when": f"decision={SCREEN_OUT}"}),
    )
    decision_notes = forms.CharField(label="Notes", required=False, widget=_textarea(4), max_length=5000)


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve the screen-out"), (RETURN, "Return to intake")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False, widget=_textarea(4), max_length=5000, help_text="Needed when you return the report."
    )


class PriorityForm(forms.Form):
    response_priority = forms.ChoiceField(label="New response priority", choices=CHOOSE + ResponsePriority.choices)
    reason = forms.CharField(widget=_textarea(3), max_length=2000)


class DowngradeDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"

    outcome = forms.ChoiceField(
        label="Requested downgrade",
        choices=[(APPROVE, "Approve the lower priority"), (REFUSE, "Refuse it")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(required=False, widget=_textarea(2), max_length=2000)


def field_label(name: str) -> str:
    label = str(IntakeReport._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


class AmendForm(forms.Form):
    field = forms.ChoiceField(label="What to correct")
    value = forms.CharField(
        label="Correct value",
        required=False,
        widget=_textarea(4),
        help_text="Dates as YYYY-MM-DD; yes or no; safety alerts as codes separated by commas.",
    )
    reason = forms.CharField(label="Why it is corrected", widget=_textarea(3), max_length=2000)

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = CHOOSE + [(name, field_label(name)) for name in fields]
