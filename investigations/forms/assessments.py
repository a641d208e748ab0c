"""Forms of the assessment pages. They check the shape of what was typed; the services decide the rules."""

from django import forms
from django.conf import settings
from django.utils import timezone

from cases.forms.intake import CHOOSE, DateInput, LocalDateTimeInput
from cases.selectors.casework import Seeable
from investigations.choices import ProtectiveAction, Responsible, RiskLevel, RiskOverride, SafetyDecision
from investigations.models import RiskItem, SafetyPlan, SafetyThreat
from investigations.services.assessments import (
    SAFETY_PLAN_REVIEW_AFTER,
    NewPlan,
    PlanAction,
    SafetyDecisionMade,
    ThreatAnswer,
)

TEXT_LIMIT = 5000
# A safety plan's actions on the page: this many rows, the empty ones left out.
ACTION_ROWS = 4
NEW_PLAN = "new"
YES_NO = [("yes", "Yes"), ("no", "No")]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _when(label: str = "When") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=LocalDateTimeInput(), help_text=f"Agency time ({settings.TIME_ZONE})."
    )


class PlanFields:
    """The fields of a safety plan, named with `plan_prefix`: on their own page, or inside the safety assessment's
    form (where the service names its errors the same way)."""

    plan_prefix = ""

    def add_plan_fields(self, seeable: list[Seeable], *, required: bool) -> None:
        p = self.plan_prefix
        today = timezone.localdate()
        self.seeable = {str(s.person.public_id): s for s in seeable}
        people = CHOOSE + [(key, f"{s.person.full_name} ({s.role_label})") for key, s in self.seeable.items()]
        self.fields[f"{p}starts_on"] = forms.DateField(
            label="Starts on", widget=DateInput(), initial=today, required=required
        )
        self.fields[f"{p}review_on"] = forms.DateField(
            label="Review on",
            widget=DateInput(),
            required=False,
            initial=today + SAFETY_PLAN_REVIEW_AFTER,
            help_text=f"Leave empty for {SAFETY_PLAN_REVIEW_AFTER.days} days after the start.",
        )
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"{p}action_{n}"] = forms.CharField(
                label=f"Action {n}", required=False, widget=_textarea(2), max_length=TEXT_LIMIT
            )
            self.fields[f"{p}responsible_{n}"] = forms.ChoiceField(
                label="Who is responsible", required=False, choices=Responsible.choices, widget=forms.RadioSelect
            )
            self.fields[f"{p}person_{n}"] = forms.ChoiceField(label="Household member", required=False, choices=people)
            self.fields[f"{p}name_{n}"] = forms.CharField(
                label="Name (kin or agency worker)", required=False, max_length=200
            )
        self.fields[f"{p}backup_plan"] = forms.CharField(
            label="Backup plan", required=False, widget=_textarea(3), max_length=TEXT_LIMIT
        )
        self.fields[f"{p}monitoring"] = forms.CharField(
            label="How you monitor the plan", required=False, widget=_textarea(3), max_length=TEXT_LIMIT
        )

    def plan_dates(self) -> list:
        return [self[f"{self.plan_prefix}{name}"] for name in ("starts_on", "review_on")]

    def plan_texts(self) -> list:
        return [self[f"{self.plan_prefix}{name}"] for name in ("backup_plan", "monitoring")]

    def action_rows(self) -> list[dict]:
        p = self.plan_prefix
        return [
            {name: self[f"{p}{name}_{n}"] for name in ("action", "responsible", "person", "name")}
            for n in range(1, ACTION_ROWS + 1)
        ]

    def new_plan(self) -> NewPlan:
        p, data = self.plan_prefix, self.cleaned_data
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            text, responsible = data.get(f"{p}action_{n}", ""), data.get(f"{p}responsible_{n}", "")
            person, name = data.get(f"{p}person_{n}", ""), data.get(f"{p}name_{n}", "")
            if not (text or responsible or person or name):
                continue
            seeable = self.seeable.get(person)
            actions.append(
                PlanAction(action=text, responsible=responsible, person=seeable.person if seeable else None, name=name)
            )
        return NewPlan(
            starts_on=data[f"{p}starts_on"],
            review_on=data.get(f"{p}review_on"),
            backup_plan=data.get(f"{p}backup_plan", ""),
            monitoring=data.get(f"{p}monitoring", ""),
            actions=actions,
        )


class SafetyPlanForm(PlanFields, forms.Form):
    def __init__(self, *args, seeable: list[Seeable], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_plan_fields(seeable, required=True)


class SafetyPlanReviewForm(forms.Form):
    reviewed_at = _when("Reviewed on")
    note = forms.CharField(label="What you found", widget=_textarea(5), max_length=TEXT_LIMIT)


class SafetyPlanEndForm(forms.Form):
    reason = forms.CharField(label="Why the plan ends", widget=_textarea(4), max_length=TEXT_LIMIT)


class SafetyAssessmentForm(PlanFields, forms.Form):
    """Every active threat (present yes/no, a note), the protective capacities, the decision and what goes with it:
    the protective action (unsafe) or the safety plan (conditionally safe), new or one already active."""

    plan_prefix = "plan_"

    assessed_at = _when("Assessed on")

    def __init__(self, *args, threats: list[SafetyThreat], plans: list[SafetyPlan], seeable: list[Seeable], **kwargs):
        super().__init__(*args, **kwargs)
        self.threats = threats
        for threat in threats:
            self.fields[f"threat_{threat.pk}"] = forms.ChoiceField(
                label=threat.label, choices=YES_NO, widget=forms.RadioSelect
            )
            self.fields[f"threat_{threat.pk}_note"] = forms.CharField(
                label="Note", required=False, widget=_textarea(2), max_length=TEXT_LIMIT
            )
        self.fields["protective_capacities"] = forms.CharField(
            label="Household protective capacities", widget=_textarea(4), max_length=TEXT_LIMIT
        )
        self.fields["decision"] = forms.ChoiceField(
            label="Safety decision", choices=SafetyDecision.choices, widget=forms.RadioSelect
        )
        self.fields["protective_action"] = forms.ChoiceField(
            label="Protective action (unsafe)",
            required=False,
            choices=ProtectiveAction.choices,
            widget=forms.RadioSelect,
        )
        self.fields["protective_action_note"] = forms.CharField(
            label="About the protective action", required=False, widget=_textarea(3), max_length=TEXT_LIMIT
        )
        self.plans = {str(plan.public_id): plan for plan in plans}
        self.fields["safety_plan"] = forms.ChoiceField(
            label="Safety plan (conditionally safe)",
            required=False,
            widget=forms.RadioSelect,
            choices=[("", "No safety plan"), (NEW_PLAN, "Write the safety plan below")]
            + [(key, str(plan)) for key, plan in self.plans.items()],
        )
        self.add_plan_fields(seeable, required=False)

    def threat_rows(self) -> list[tuple]:
        return [(self[f"threat_{threat.pk}"], self[f"threat_{threat.pk}_note"]) for threat in self.threats]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("safety_plan") == NEW_PLAN and not cleaned.get("plan_starts_on"):
            self.add_error("plan_starts_on", "Give the date the safety plan starts.")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        chosen = data["safety_plan"]
        return {
            "assessed_at": data["assessed_at"],
            "protective_capacities": data["protective_capacities"],
            "threats": [
                ThreatAnswer(
                    threat=threat, present=data[f"threat_{threat.pk}"] == "yes", note=data[f"threat_{threat.pk}_note"]
                )
                for threat in self.threats
            ],
            "made": SafetyDecisionMade(
                decision=data["decision"],
                protective_action=data["protective_action"],
                protective_action_note=data["protective_action_note"],
                plan=self.plans.get(chosen),
                new_plan=self.new_plan() if chosen == NEW_PLAN else None,
            ),
        }


class RiskAssessmentForm(forms.Form):
    """Every active risk item with its answers (radio buttons), and an optional override with its reason."""

    assessed_at = _when("Assessed on")

    def __init__(self, *args, items: list[RiskItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.question,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(answer.pk, f"{answer.label} ({answer.score})") for answer in item.answers.all()],
            )
        self.fields["override"] = forms.ChoiceField(
            label="Override", required=False, choices=RiskOverride.choices, widget=forms.RadioSelect
        )
        self.fields["override_level"] = forms.ChoiceField(
            label="Level after the override", required=False, choices=CHOOSE + RiskLevel.choices
        )
        self.fields["override_reason"] = forms.CharField(
            label="Reason for the override", required=False, widget=_textarea(3), max_length=TEXT_LIMIT
        )

    def item_rows(self) -> list:
        return [self[f"item_{item.pk}"] for item in self.items]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        answers = {}
        for item in self.items:
            chosen = {answer.pk: answer for answer in item.answers.all()}.get(data[f"item_{item.pk}"])
            if chosen is not None:
                answers[item.pk] = chosen
        return {
            "assessed_at": data["assessed_at"],
            "answers": answers,
            "override": data["override"],
            "override_level": data["override_level"],
            "override_reason": data["override_reason"],
        }


def now_initial(field: str) -> dict:
    """A form's date-and-time field filled in with now, to the minute."""
    return {field: timezone.localtime().replace(second=0, microsecond=0)}
