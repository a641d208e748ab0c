"""Forms of the case and contact pages. They check the shape of what was typed; the services decide the rules."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import access
from accounts.roles import Clearance
from cases.choices import AssignmentRole, CaseOpenedFor, ClosureReason, ContactLocation, ContactType, MemberRole
from cases.forms.intake import CHOOSE, DateInput, LocalDateTimeInput
from cases.selectors.casework import Candidate, Seeable
from cases.services import NewMember
from common.versions import VersionField
from families.forms import PersonCreateForm

TEXT_LIMIT = 5000


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _user_choices(users) -> list[tuple[str, str]]:
    return [(str(user.public_id), user.display_name) for user in users]


def _pick(users, public_id: str):
    return next((user for user in users if str(user.public_id) == public_id), None)


# Opening a case


class CaseOpenForm(forms.Form):
    """The case, its workers and its members in one form, so that nothing is saved until all of it is valid.

    Members are the ticked `members` (person public ids) among the candidates the page offers; each
    one's role comes from the select named `role-<public id>` next to it (passed in as `roles`, so that
    a search, which re-renders the page unbound, keeps the roles chosen so far).
    """

    family_name = forms.CharField(label="Family name", max_length=200, help_text="How staff refer to the case.")
    opened_for = forms.ChoiceField(label="Why the case is opened", choices=CHOOSE + CaseOpenedFor.choices)
    source_report = forms.ChoiceField(label="Source report", required=False)
    unit = forms.ChoiceField(label="Unit")
    primary_worker = forms.ChoiceField(label="Primary worker")
    secondary_worker = forms.ChoiceField(label="Secondary worker", required=False)
    access_restriction = forms.ChoiceField(label="Access restriction")
    restriction_reason = forms.CharField(
        label="Why access is restricted",
        required=False,
        widget=_textarea(2),
        max_length=2000,
        help_text="Needed for a sensitive or sealed case.",
    )
    members = forms.MultipleChoiceField(
        label="Members", widget=forms.CheckboxSelectMultiple, error_messages={"required": "Pick the family members."}
    )

    def __init__(self, *args, user, units, workers, reports, candidates: list[Candidate], roles: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.units, self.workers, self.reports, self.candidates = units, workers, reports, candidates
        self.roles = roles
        self.fields["source_report"].choices = [("", "None")] + [
            (str(report.public_id), report_label(report)) for report in reports
        ]
        self.fields["unit"].choices = [(str(unit.public_id), unit.name) for unit in units]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = str(units[0].public_id)
        self.fields["primary_worker"].choices = CHOOSE + _user_choices(workers)
        self.fields["secondary_worker"].choices = [("", "None")] + _user_choices(workers)
        levels = access.clearances(user)
        self.fields["access_restriction"].choices = [(v, label) for v, label in Clearance.choices if v in levels]
        self.fields["access_restriction"].initial = Clearance.NONE
        self.fields["members"].choices = [(str(c.person.public_id), c.person.full_name) for c in candidates]

    def role_of(self, candidate: Candidate) -> str:
        """The role shown for a candidate: what was chosen, else what their part in the report suggests."""
        key = f"role-{candidate.person.public_id}"
        return self.roles.get(key, candidate.suggested_role)

    def picked(self) -> set[str]:
        value = self["members"].value() or []
        return {str(item) for item in value}

    def clean(self):
        cleaned = super().clean()
        picked = cleaned.get("members") or []
        by_id = {str(c.person.public_id): c for c in self.candidates}
        specs, missing = [], []
        for public_id in picked:
            candidate = by_id[public_id]
            role = self.role_of(candidate)
            if role not in MemberRole.values:
                missing.append(candidate.person.full_name)
            specs.append(NewMember(person=candidate.person, role=role))
        if missing:
            self.add_error("members", f"Choose a role for {', '.join(missing)}.")
        cleaned["member_specs"] = specs
        cleaned["unit"] = next((u for u in self.units if str(u.public_id) == cleaned.get("unit")), None)
        for name in ("primary_worker", "secondary_worker"):
            cleaned[name] = _pick(self.workers, cleaned.get(name) or "")
        cleaned["source_report"] = next(
            (r for r in self.reports if str(r.public_id) == cleaned.get("source_report")), None
        )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "family_name": data["family_name"],
            "opened_for": data["opened_for"],
            "unit": data["unit"],
            "members": data["member_specs"],
            "primary_worker": data["primary_worker"],
            "secondary_worker": data["secondary_worker"],
            "source_report": data["source_report"],
            "access_restriction": data["access_restriction"],
            "restriction_reason": data["restriction_reason"],
        }


def report_label(report) -> str:
    received = timezone.localtime(report.received_at or report.created_at)
    label = f"{report.reference}, received {received:%b %-d, %Y}"
    return label + (" (a case is open)" if getattr(report, "open_cases", 0) else "")


# Members


class MemberAddForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Role on the case", choices=CHOOSE + MemberRole.choices)
    started_on = forms.DateField(
        label="On the case since", required=False, widget=DateInput(), help_text="Leave empty for today."
    )


class MemberRecordForm(PersonCreateForm):
    """Someone not on record yet, recorded and put on the case together: the person, their role, since when."""

    role = forms.ChoiceField(label="Role on the case", choices=CHOOSE + MemberRole.choices)
    started_on = forms.DateField(
        label="On the case since", required=False, widget=DateInput(), help_text="Leave empty for today."
    )

    def member_arguments(self) -> dict:
        return {"role": self.cleaned_data["role"], "started_on": self.cleaned_data["started_on"]}


class MemberEndForm(forms.Form):
    ended_on = forms.DateField(label="Left the case on", widget=DateInput())
    reason = forms.CharField(label="Why they leave the case", widget=_textarea(3), max_length=2000)


class MemberExcuseForm(forms.Form):
    reason = forms.CharField(
        label="Why this person need not be visited",
        widget=_textarea(3),
        max_length=2000,
        help_text="e.g. whereabouts unknown.",
    )
    diligent_search_note = forms.CharField(
        label="Diligent search",
        required=False,
        widget=_textarea(3),
        max_length=TEXT_LIMIT,
        help_text="Where you looked for them, and when.",
    )


class MemberCareForm(forms.Form):
    in_care_since = forms.DateField(label="In out-of-home care since", widget=DateInput())
    in_care_until = forms.DateField(
        label="Left care on", required=False, widget=DateInput(), help_text="Leave empty while the child is in care."
    )
    reason = forms.CharField(
        label="Note",
        required=False,
        widget=_textarea(2),
        max_length=2000,
        help_text="e.g. the placement order, or a corrected date.",
    )
    version = VersionField()


class MemberRequireForm(forms.Form):
    reason = forms.CharField(label="Why visits are required again", widget=_textarea(3), max_length=2000)


# Assignments


class AssignForm(forms.Form):
    NO_ONE = "none"

    role = forms.ChoiceField(
        label="Role", choices=AssignmentRole.choices, widget=forms.RadioSelect, initial=AssignmentRole.PRIMARY
    )
    worker = forms.ChoiceField(label="Worker")
    revoke_grants = forms.BooleanField(
        label="Revoke explicit access grants on this case",
        required=False,
        help_text=(
            "Workers lose access with their assignment anyway. Grants are the extra access given by hand, "
            "e.g. to a worker covering a leave; leave this unticked to keep them."
        ),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = workers
        self.fields["worker"].choices = (
            CHOOSE + _user_choices(workers) + [(self.NO_ONE, "No secondary worker (remove the current one)")]
        )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("worker")
        if chosen == self.NO_ONE and cleaned.get("role") == AssignmentRole.PRIMARY:
            self.add_error("worker", "A case always has a primary worker.")
        cleaned["worker"] = None if chosen == self.NO_ONE else _pick(self.workers, chosen or "")
        return cleaned


class ReassignAllForm(forms.Form):
    from_worker = forms.ChoiceField(label="Move the open cases of")
    to_worker = forms.ChoiceField(label="To")
    revoke_grants = forms.BooleanField(
        label="Revoke explicit access grants on these cases",
        required=False,
        help_text="Grants are the extra access given by hand; leave this unticked to keep them.",
    )

    def __init__(self, *args, departing, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.departing, self.workers = departing, workers
        self.fields["from_worker"].choices = CHOOSE + [
            (
                str(user.public_id),
                f"{user.display_name}{'' if user.is_active else ' (deactivated)'}: "
                f"{user.open_cases} open case{'' if user.open_cases == 1 else 's'}",
            )
            for user in departing
        ]
        self.fields["to_worker"].choices = CHOOSE + _user_choices(workers)

    def clean(self):
        cleaned = super().clean()
        cleaned["from_worker"] = _pick(self.departing, cleaned.get("from_worker") or "")
        cleaned["to_worker"] = _pick(self.workers, cleaned.get("to_worker") or "")
        return cleaned


# Closure, reopening, notes


class ClosureRequestForm(forms.Form):
    closure_reason = forms.ChoiceField(label="Why the case closes", choices=CHOOSE + ClosureReason.choices)
    closure_note = forms.CharField(
        label="Note for the supervisor",
        required=False,
        widget=_textarea(4),
        max_length=TEXT_LIMIT,
        help_text="Needed when the reason is 'Other'.",
    )


class ClosureReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve: close the case"), (RETURN, "Return it to the worker")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False, widget=_textarea(4), max_length=TEXT_LIMIT, help_text="Needed when you return it."
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=_textarea(3), max_length=2000)


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=_textarea(4), max_length=TEXT_LIMIT)


# Contacts


class ContactForm(forms.Form):
    """The visit form a worker fills in on a phone, one-handed, right after the visit."""

    occurred_at = forms.DateTimeField(
        label="When", widget=LocalDateTimeInput(), help_text=f"Agency time ({settings.TIME_ZONE})."
    )
    contact_type = forms.ChoiceField(
        label="Type of contact", choices=ContactType.choices, widget=forms.RadioSelect, initial=ContactType.FACE_TO_FACE
    )
    people_seen = forms.MultipleChoiceField(label="Who was seen", required=False, widget=forms.CheckboxSelectMultiple)
    location = forms.ChoiceField(label="Where", choices=ContactLocation.choices, widget=forms.RadioSelect)
    location_detail = forms.CharField(label="Where exactly", required=False, max_length=200)
    seen_privately = forms.BooleanField(
        label="Child seen privately", required=False, help_text="Away from the parents or caregivers."
    )
    narrative = forms.CharField(label="What happened", widget=_textarea(6), max_length=20_000)
    safety_concerns = forms.CharField(
        label="Safety concerns observed",
        required=False,
        widget=_textarea(3),
        max_length=TEXT_LIMIT,
        help_text="Anything written here alerts your supervisor at once.",
    )
    next_steps = forms.CharField(label="Next steps", required=False, widget=_textarea(3), max_length=TEXT_LIMIT)

    def __init__(self, *args, seeable: list[Seeable], **kwargs):
        super().__init__(*args, **kwargs)
        self.seeable = seeable
        self.fields["people_seen"].choices = [(str(s.person.public_id), s.person.full_name) for s in seeable]

    def people_rows(self) -> list[tuple[Seeable, bool]]:
        chosen = {str(value) for value in (self["people_seen"].value() or [])}
        return [(s, str(s.person.public_id) in chosen) for s in self.seeable]

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("people_seen") or [])
        seen = [s for s in self.seeable if str(s.person.public_id) in chosen]
        if cleaned.get("seen_privately") and not any(s.is_child for s in seen):
            self.add_error("seen_privately", "Tick the child who was seen privately.")
        cleaned["people"] = [s.person for s in seen]
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "contact_type": data["contact_type"],
            "location": data["location"],
            "location_detail": data["location_detail"],
            "people_seen": data["people"],
            "seen_privately": data["seen_privately"],
            "narrative": data["narrative"],
            "safety_concerns": data["safety_concerns"],
            "next_steps": data["next_steps"],
        }


class ContactFormPart:
    """A higher record's own part of the shared contact form (an investigation's purpose and collateral
    contacts), bound to the same POST data: shown inside the form by `template` (with `part` in its context),
    and above it by `notice_template` (worker-safety alerts); what it adds to the service's arguments.

    Subclasses set `forms` (forms or formsets) and implement `service_arguments`; a service error naming one of
    `owns` is shown on the part (`error_messages`) rather than on the shared form.
    """

    template = ""
    notice_template = ""
    owns: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.forms: list = []
        self.service_errors: list[str] = []

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.forms]  # every form checked, so each shows its errors
        return all(valid)

    def service_arguments(self) -> dict:
        raise NotImplementedError

    def take_service_errors(self, error: ValidationError) -> ValidationError | None:
        """Keep the service's errors on the fields this part owns; give back the rest for the shared form."""
        if not hasattr(error, "error_dict"):
            return error
        rest = {}
        for name, messages in error.message_dict.items():
            if name in self.owns:
                self.service_errors.extend(messages)
            else:
                rest[name] = messages
        return ValidationError(rest) if rest else None


def _yes(value) -> bool:
    return value in (True, "yes")


def amend_value_field(name: str) -> forms.Field:
    """The input for a contact field's corrected value, of the field's own kind."""
    if name == "occurred_at":
        return forms.DateTimeField(label="Correct date and time", widget=LocalDateTimeInput())
    if name == "contact_type":
        return forms.ChoiceField(label="Correct type", choices=ContactType.choices, widget=forms.RadioSelect)
    if name == "location":
        return forms.ChoiceField(label="Correct place", choices=ContactLocation.choices, widget=forms.RadioSelect)
    if name == "seen_privately":
        return forms.TypedChoiceField(
            label="Child seen privately",
            choices=[("yes", "Yes"), ("no", "No")],
            coerce=_yes,
            widget=forms.RadioSelect,
        )
    if name == "location_detail":
        return forms.CharField(label="Correct value", required=False, max_length=200)
    required = name == "narrative"
    return forms.CharField(label="Correct text", required=required, widget=_textarea(6), max_length=20_000)


class ContactAmendForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why it is corrected", widget=_textarea(3), max_length=2000)

    def __init__(self, *args, field: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"] = amend_value_field(field)
        self.fields["field"].initial = field
        self.order_fields(["field", "value", "reason"])


def amend_initial(field: str, value) -> dict:
    if field == "seen_privately":
        return {"value": "yes" if value else "no"}
    return {"value": value}
