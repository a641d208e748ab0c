from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from common.forms import add_service_errors
from common.input import SEARCH_MAX_CHARACTERS, validate_search
from common.versions import VersionField
from families import selectors
from families.choices import (
    INVERSE_LABELS,
    AliasKind,
    EnrollmentStatus,
    HispanicEthnicity,
    KinResource,
    Race,
    ReasonToKnow,
    RelationshipKind,
    Sex,
)
from families.models import Person
from families.services import PERSON_FIELDS, is_possible_duplicate

# The service dates an approximate age itself.
EDITABLE_PERSON_FIELDS = [name for name in PERSON_FIELDS if name != "approximate_age_on"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALIAS_ROWS = 2
TRIBE_ROWS = 3
# A relationship chosen "the other way round" (this person is the child of the one chosen).
INVERSE_PREFIX = "inverse:"


class PersonSearchForm(forms.Form):
    """The search criteria, for the page and the API alike."""

    name = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_CHARACTERS,
        validators=[validate_search],
        help_text="First and last name, or an alias.",
    )
    birth_date = forms.DateField(required=False, label="Date of birth", widget=DATE_INPUT)
    phone = forms.CharField(required=False, max_length=30)

    def criteria(self) -> dict:
        data = self.cleaned_data
        return {"name": data.get("name", ""), "birth_date": data.get("birth_date"), "phone": data.get("phone", "")}

    def has_criteria(self) -> bool:
        return any(self.criteria().values())


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    middle_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100)
    suffix = forms.CharField(max_length=20, required=False, help_text="Jr., III, ...")
    birth_date = forms.DateField(
        required=False,
        label="Date of birth",
        widget=DATE_INPUT,
        help_text="When it is known. Otherwise leave it empty and give an approximate age.",
    )
    approximate_age = forms.IntegerField(
        required=False,
        min_value=0,
        label="Approximate age",
        help_text="Years, only when the date of birth is not known. Give one or the other, not both.",
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    races = forms.MultipleChoiceField(
        choices=Race.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Race",
        help_text="All that apply, as the person describes themselves.",
    )
    hispanic_ethnicity = forms.ChoiceField(
        choices=HispanicEthnicity.choices, initial=HispanicEthnicity.UNKNOWN, label="Hispanic or Latino"
    )
    primary_language = forms.CharField(max_length=60, required=False, initial="English")
    interpreter_needed = forms.BooleanField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(required=False, label="E-mail")
    deceased_on = forms.DateField(required=False, label="Date of death", widget=DATE_INPUT)

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {name: getattr(person, name) for name in EDITABLE_PERSON_FIELDS}

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_PERSON_FIELDS}


class PersonEditForm(PersonForm):
    version = VersionField()

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {**super().initial_for(person), "version": person.version}


class PersonCreateForm(PersonForm):
    confirmed_not_duplicate = forms.BooleanField(required=False, label="None of these is the same person")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, ALIAS_ROWS + 1):
            self.fields[f"alias_{row}_first_name"] = forms.CharField(
                max_length=100, required=False, label="Other first name"
            )
            self.fields[f"alias_{row}_last_name"] = forms.CharField(
                max_length=100, required=False, label="Other last name"
            )

    def alias_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"alias_{row}_first_name"], self[f"alias_{row}_last_name"]) for row in range(1, ALIAS_ROWS + 1)]

    def aliases(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        pairs = [(data[f"alias_{row}_first_name"], data[f"alias_{row}_last_name"]) for row in range(1, ALIAS_ROWS + 1)]
        return [(first, last) for first, last in pairs if first or last]

    def recording_arguments(self) -> dict:
        """The person as families.services.person_create takes them."""
        return {
            "confirmed_not_duplicate": self.cleaned_data["confirmed_not_duplicate"],
            "aliases": self.aliases(),
            **self.person_fields(),
        }

    def refused(self, error: ValidationError, *, user) -> list[Person]:
        """Show why recording was refused. A likely duplicate: the matches to list (the user may open one
        instead, or tick the box); any other refusal goes on its fields, and there are no matches."""
        if not is_possible_duplicate(error):
            add_service_errors(self, error)
            return []
        self.add_error(
            "confirmed_not_duplicate",
            "This may be someone already on record. Open a match to use that record, "
            "or tick the box if none of them is this person.",
        )
        data = self.cleaned_data
        return selectors.likely_matches(
            user=user, first_name=data["first_name"], last_name=data["last_name"], birth_date=data["birth_date"]
        )


class AliasForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    kind = forms.ChoiceField(
        # Names from merged records are added by the merge itself.
        choices=[choice for choice in AliasKind.choices if choice[0] != AliasKind.MERGED],
        initial=AliasKind.ALIAS,
    )


class AddressForm(forms.Form):
    line1 = forms.CharField(max_length=200, label="Street address")
    line2 = forms.CharField(max_length=200, required=False, label="Apartment, unit")
    city = forms.CharField(max_length=100)
    state = forms.CharField(min_length=2, max_length=2, help_text="Two letters, e.g. CA.")
    postal_code = forms.CharField(max_length=10, required=False, label="ZIP code")
    started_on = forms.DateField(
        label="Living there since",
        widget=DATE_INPUT,
        initial=timezone.localdate,
        help_text="The current address ends on this day.",
    )


class IcwaInquiryForm(forms.Form):
    reason_to_know = forms.ChoiceField(
        choices=[choice for choice in ReasonToKnow.choices if choice[0] != ReasonToKnow.NOT_ASKED],
        widget=forms.RadioSelect,
        label="Is there reason to know the child is an Indian child?",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, TRIBE_ROWS + 1):
            self.fields[f"tribe_{row}"] = forms.CharField(max_length=200, required=False, label="Tribe")
            self.fields[f"enrollment_{row}"] = forms.ChoiceField(
                choices=EnrollmentStatus.choices, initial=EnrollmentStatus.UNKNOWN, label="Enrollment", required=False
            )

    def tribe_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"tribe_{row}"], self[f"enrollment_{row}"]) for row in range(1, TRIBE_ROWS + 1)]

    def tribes(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        rows = [
            (data[f"tribe_{row}"].strip(), data[f"enrollment_{row}"] or EnrollmentStatus.UNKNOWN)
            for row in range(1, TRIBE_ROWS + 1)
        ]
        return [(tribe, status) for tribe, status in rows if tribe]


def relationship_choices() -> list[tuple[str, str]]:
    """Each kind read both ways: 'Birth parent of' and 'Child (by birth) of'; symmetric kinds once."""
    choices = []
    for kind, label in RelationshipKind.choices:
        choices.append((kind, label))
        if INVERSE_LABELS[kind] != label:
            choices.append((f"{INVERSE_PREFIX}{kind}", INVERSE_LABELS[kind]))
    return choices


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        born = f"born {formats.date_format(person.birth_date, 'M j, Y')}" if person.birth_date else person.age_display
        return f"{person.full_name} · {born}"


class RelationshipForm(forms.Form):
    """On a person's page: '<this person> is <kind> <the one chosen>', in either direction."""

    relative = PersonChoiceField(
        queryset=Person.objects.none(), to_field_name="public_id", widget=forms.RadioSelect, empty_label=None
    )
    kind = forms.ChoiceField(choices=relationship_choices)
    kin_resource = forms.ChoiceField(
        choices=KinResource.choices,
        required=False,
        label="Kin resource",
        help_text="Can the relative care for or support the child?",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args, person: Person, candidates, found: list[Person], **kwargs):
        """`candidates`: who may be chosen (the people the user may see); `found`: the search results shown."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = f"{person.full_name} is … the relative chosen above"
        field = self.fields["relative"]
        field.queryset = candidates
        field.choices = [(person.public_id, field.label_from_instance(person)) for person in found]

    def service_arguments(self, person: Person) -> dict:
        """The relationship as the service records it: '<person> is <kind> of <relative>'."""
        data = self.cleaned_data
        kind, chosen = data["kind"], data["relative"]
        if kind.startswith(INVERSE_PREFIX):
            kind, person, chosen = kind.removeprefix(INVERSE_PREFIX), chosen, person
        return {
            "person": person,
            "relative": chosen,
            "kind": kind,
            "kin_resource": data["kin_resource"],
            "notes": data["notes"],
        }


class RelativeRecordForm(PersonCreateForm):
    """On a person's page: someone not on record yet, recorded as '<this person> is <kind> <the new relative>'."""

    kind = forms.ChoiceField(choices=relationship_choices)
    kin_resource = forms.ChoiceField(
        choices=KinResource.choices,
        required=False,
        label="Kin resource",
        help_text="Can the relative care for or support the child?",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = f"{person.full_name} is … the new relative"

    def relationship_arguments(self) -> dict:
        """The relationship as families.services.relationship_create_with_new_relative takes it."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kind": kind.removeprefix(INVERSE_PREFIX),
            "relative_first": kind.startswith(INVERSE_PREFIX),
            "kin_resource": data["kin_resource"],
            "notes": data["notes"],
        }


class MergeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why these records are the same person: what you compared.",
    )


class HouseholdCreateForm(forms.Form):
    """On a person's page: a new household, the person its first member."""

    name = forms.CharField(max_length=200, help_text="How staff refer to it, e.g. 'Lopez household'.")
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
    started_on = forms.DateField(label="Living together since", widget=DATE_INPUT, initial=timezone.localdate)


class HouseholdAddMemberForm(forms.Form):
    """Someone found by the search joins one of the person's households."""

    household = forms.UUIDField(widget=forms.HiddenInput)
    person = PersonChoiceField(
        queryset=Person.objects.none(), to_field_name="public_id", widget=forms.RadioSelect, empty_label=None
    )
    started_on = forms.DateField(label="Living there since", widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, candidates, found: list[Person], **kwargs):
        """`candidates`: who may be chosen (the people the user may see); `found`: the search results shown."""
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = candidates
        field.choices = [(person.public_id, field.label_from_instance(person)) for person in found]


class HouseholdLeaveForm(forms.Form):
    membership = forms.UUIDField(widget=forms.HiddenInput)
    ended_on = forms.DateField(label="Left on", widget=DATE_INPUT, initial=timezone.localdate)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
