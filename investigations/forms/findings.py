"""Forms of the findings and closure pages: the shape of what was typed; the services decide the rules."""

from django import forms

from cases.forms.intake import CHOOSE, DateInput
from investigations.choices import ClosureOutcome, Finding
from investigations.selectors.findings import AllegationRow
from investigations.services.findings import FindingEntry

TEXT_LIMIT = 5000


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class FindingsForm(forms.Form):
    """One row (finding, date, rationale) per standing allegation, all on one form. A row left wholly empty
    is left as it was; a row begun needs all three (the service says which is missing)."""

    def __init__(self, *args, rows: list[AllegationRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            key, found = row.allegation.public_id, row.finding
            self.fields[f"finding-{key}"] = forms.ChoiceField(
                label="Finding", choices=CHOOSE + Finding.choices, required=False, initial=found and found.finding
            )
            self.fields[f"found_on-{key}"] = forms.DateField(
                label="Date found", widget=DateInput(), required=False, initial=found and found.found_on
            )
            self.fields[f"rationale-{key}"] = forms.CharField(
                label="Rationale",
                widget=_textarea(3),
                max_length=TEXT_LIMIT,
                required=False,
                initial=found and found.rationale,
            )

    def allegation_fields(self) -> list[tuple[AllegationRow, list]]:
        """Each allegation's row with its three bound fields, for the template."""
        return [
            (row, [self[f"{name}-{row.allegation.public_id}"] for name in ("finding", "found_on", "rationale")])
            for row in self.rows
        ]

    def entries(self) -> list[FindingEntry]:
        data = self.cleaned_data
        entries = []
        for row in self.rows:
            key = row.allegation.public_id
            finding, found_on, rationale = data[f"finding-{key}"], data[f"found_on-{key}"], data[f"rationale-{key}"]
            if finding or found_on or rationale.strip():
                entries.append(
                    FindingEntry(allegation=row.allegation, finding=finding, found_on=found_on, rationale=rationale)
                )
        return entries


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    outcome = forms.ChoiceField(label="Your decision", choices=(), widget=forms.RadioSelect)
    comment = forms.CharField(
        required=False, widget=_textarea(4), max_length=TEXT_LIMIT, help_text="Needed when you return it."
    )

    def __init__(self, *args, approve: str, give_back: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(self.APPROVE, approve), (self.RETURN, give_back)]


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Why the findings reopen", widget=_textarea(3), max_length=TEXT_LIMIT)


class ClosureRequestForm(forms.Form):
    closure_outcome = forms.ChoiceField(label="Outcome", choices=ClosureOutcome.choices, widget=forms.RadioSelect)
    closure_referrals = forms.CharField(
        label="Community services referred to",
        required=False,
        widget=_textarea(2),
        max_length=TEXT_LIMIT,
        help_text="Needed for a referral to community services.",
    )
    closure_note = forms.CharField(
        label="Note for the supervisor", required=False, widget=_textarea(3), max_length=TEXT_LIMIT
    )
