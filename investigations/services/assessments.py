"""Writes of an investigation's assessments: safety assessments, safety plans and their reviews, risk assessments.

Each one is recorded by whoever may change the investigation (its assigned worker, the unit's supervisor), while
the investigation is worked: not before it is assigned, not once it is closed. A later assessment supersedes the
current one; both stay on record. The audit entries name the fields, never what was written in them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.audit import log_action
from accounts.models import User
from accounts.notifications import notify_about
from families.models import Person
from investigations.choices import (
    RISK_LEVEL_ORDER,
    ProtectiveAction,
    Responsible,
    RiskLevel,
    RiskOverride,
    SafetyDecision,
    SafetyPlanStatus,
)
from investigations.models import (
    Investigation,
    RiskAnswer,
    RiskAssessment,
    RiskAssessmentAnswer,
    RiskItem,
    SafetyAssessment,
    SafetyAssessmentThreat,
    SafetyPlan,
    SafetyPlanAction,
    SafetyPlanReview,
    SafetyThreat,
)
from investigations.selectors.assessments import assessments_refusal, risk_items, safety_threats
from investigations.selectors.core import investigation_seeable

# How long a safety plan runs before its first review, unless the worker says otherwise.
SAFETY_PLAN_REVIEW_AFTER = timedelta(days=7)


def _locked_for_change(actor: User, investigation: Investigation) -> Investigation:
    """The investigation, locked for the rest of the transaction, if the actor may change it now."""
    locked = Investigation.objects.select_for_update(of=("self",)).select_related("report").get(pk=investigation.pk)
    if not access.can_change(actor, locked):
        raise PermissionDenied
    refusal = assessments_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    return locked


def _check_assessed_at(investigation: Investigation, assessed_at: datetime, field_name: str = "assessed_at") -> None:
    if assessed_at > timezone.now():
        raise ValidationError({field_name: "The date may not be in the future."})
    received = investigation.report.received_at or investigation.created_at
    if assessed_at < received:
        when = f"{timezone.localtime(received):%b %d, %Y %H:%M}"
        raise ValidationError({field_name: f"The date may not be before the report was received ({when})."})


def _supervisor_unless(actor: User, investigation: Investigation) -> list[User]:
    """The unit's supervisor, to be told of what a worker recorded (not of what they recorded themselves)."""
    supervisor = investigation.unit.supervisor if investigation.unit_id else None
    return [supervisor] if supervisor is not None and supervisor != actor else []


# Safety plans


@dataclass(frozen=True)
class PlanAction:
    """One action of a safety plan and who carries it out: a household member (a person on the investigation's
    report), kin by name, or the agency."""

    action: str
    responsible: str
    person: Person | None = None
    name: str = ""


@dataclass(frozen=True)
class NewPlan:
    """A safety plan to write, on its own or in the same form as the safety assessment that needs it."""

    starts_on: date
    actions: Sequence[PlanAction]
    review_on: date | None = None
    backup_plan: str = ""
    monitoring: str = ""


def _plan_actions(investigation: Investigation, actions: Sequence[PlanAction]) -> list[SafetyPlanAction]:
    """The plan's action rows, each checked: who is responsible must be named as its kind requires."""
    if not actions:
        raise ValidationError({"actions": "Write at least one action and who carries it out."})
    eligible = {seeable.person.pk for seeable in investigation_seeable(investigation=investigation)}
    rows, problems = [], []
    for number, given in enumerate(actions, start=1):
        text, name = given.action.strip(), given.name.strip()
        if not text:
            problems.append(f"Action {number}: say what is to be done.")
        if given.responsible not in Responsible.values:
            problems.append(f"Action {number}: choose who is responsible.")
        elif given.responsible == Responsible.HOUSEHOLD and (given.person is None or given.person.pk not in eligible):
            problems.append(f"Action {number}: choose the household member from the investigation's people.")
        elif given.responsible == Responsible.KIN and not name:
            problems.append(f"Action {number}: name the relative or family friend.")
        person = given.person if given.responsible == Responsible.HOUSEHOLD else None
        rows.append(
            SafetyPlanAction(
                action=text,
                responsible=given.responsible,
                responsible_person=person,
                responsible_name="" if person else name,
            )
        )
    if problems:
        raise ValidationError({"actions": problems})
    return rows


def _plan_checked(
    *, actor: User, investigation: Investigation, plan: NewPlan, prefix: str = ""
) -> tuple[SafetyPlan, list[SafetyPlanAction]]:
    """A new plan and its actions, checked, not saved (errors keyed `prefix` + field, for a form holding it)."""
    review_on = plan.review_on or plan.starts_on + SAFETY_PLAN_REVIEW_AFTER
    checked = SafetyPlan(
        investigation=investigation,
        starts_on=plan.starts_on,
        review_on=review_on,
        backup_plan=plan.backup_plan.strip(),
        monitoring=plan.monitoring.strip(),
        created_by=actor,
    )
    errors: dict[str, list[str]] = {}
    received = timezone.localdate(investigation.report.received_at or investigation.created_at)
    if plan.starts_on < received:
        errors["starts_on"] = ["A safety plan may not start before the report was received."]
    if review_on <= plan.starts_on:
        errors["review_on"] = ["The review date must come after the start date."]
    actions: list[SafetyPlanAction] = []
    try:
        actions = _plan_actions(investigation, plan.actions)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        checked.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError({f"{prefix}{name}": messages for name, messages in errors.items()})
    return checked, actions


def _plan_save(*, actor: User, plan: SafetyPlan, actions: list[SafetyPlanAction]) -> SafetyPlan:
    plan.save()
    for action in actions:
        action.plan = plan
    SafetyPlanAction.objects.bulk_create(actions)
    log_action(
        actor=actor,
        action="investigations.safety_plan.created",
        target=plan,
        changes={"investigation": plan.investigation.reference},
    )
    return plan


@transaction.atomic
def safety_plan_create(*, actor: User, investigation: Investigation, plan: NewPlan) -> SafetyPlan:
    """Write a safety plan on the investigation (review date: start + 7 days unless given)."""
    locked = _locked_for_change(actor, investigation)
    checked, actions = _plan_checked(actor=actor, investigation=locked, plan=plan)
    saved = _plan_save(actor=actor, plan=checked, actions=actions)
    notify_about(
        record=locked,
        recipients=_supervisor_unless(actor, locked),
        message=f"A safety plan was written on {locked.reference}.",
        link=reverse("safety_plan_detail", args=[saved.public_id]),
    )
    return saved


def _locked_plan(actor: User, plan: SafetyPlan) -> tuple[Investigation, SafetyPlan]:
    investigation = _locked_for_change(actor, plan.investigation)
    locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != SafetyPlanStatus.ACTIVE:
        raise ValidationError("This safety plan has ended: it stays on record as it was.")
    return investigation, locked


@transaction.atomic
def safety_plan_review(*, actor: User, plan: SafetyPlan, reviewed_at: datetime, note: str) -> SafetyPlanReview:
    """Record a monitoring check of an active safety plan."""
    investigation, locked = _locked_plan(actor, plan)
    _check_assessed_at(investigation, reviewed_at, "reviewed_at")
    if timezone.localdate(reviewed_at) < locked.starts_on:
        raise ValidationError({"reviewed_at": "A review may not come before the plan started."})
    review = SafetyPlanReview(plan=locked, reviewed_at=reviewed_at, by=actor, note=note.strip())
    review.full_clean()
    review.save()
    log_action(
        actor=actor,
        action="investigations.safety_plan.reviewed",
        target=locked,
        changes={"investigation": investigation.reference},
    )
    return review


@transaction.atomic
def safety_plan_end(*, actor: User, plan: SafetyPlan, reason: str) -> SafetyPlan:
    """End an active safety plan, with the reason; it stays readable."""
    _, locked = _locked_plan(actor, plan)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the safety plan ends."})
    locked.status = SafetyPlanStatus.ENDED
    locked.ended_at = timezone.now()
    locked.end_reason = reason.strip()
    locked.full_clean()
    locked.save(update_fields=["status", "ended_at", "end_reason"])
    log_action(
        actor=actor,
        action="investigations.safety_plan.ended",
        target=locked,
        changes={"status": {"old": SafetyPlanStatus.ACTIVE.label, "new": SafetyPlanStatus.ENDED.label}},
    )
    return locked


# Safety assessments


@dataclass(frozen=True)
class ThreatAnswer:
    threat: SafetyThreat
    present: bool
    note: str = ""


@dataclass(frozen=True)
class SafetyDecisionMade:
    """What the worker decided, and what goes with it: the protective action (unsafe), the safety plan
    (conditionally safe: an active plan of the investigation, or a new one written with the assessment)."""

    decision: str
    protective_action: str = ""
    protective_action_note: str = ""
    plan: SafetyPlan | None = None
    new_plan: NewPlan | None = None


def safety_decision_check(*, threats: Sequence[ThreatAnswer], made: SafetyDecisionMade) -> None:
    """The decision agrees with the threats: conditionally safe or unsafe needs a threat present;
    conditionally safe needs a safety plan (and only it takes one); unsafe needs its protective action
    (and only it takes one)."""
    errors: dict[str, list[str]] = {}
    present = any(answer.present for answer in threats)
    if made.decision not in SafetyDecision.values:
        errors["decision"] = ["Choose the safety decision."]
    elif made.decision != SafetyDecision.SAFE and not present:
        errors["decision"] = [
            f"A decision of {SafetyDecision(made.decision).label.lower()} needs at least one safety threat present."
        ]
    has_plan = made.plan is not None or made.new_plan is not None
    if made.decision == SafetyDecision.CONDITIONALLY_SAFE and not has_plan:
        errors["safety_plan"] = [
            "A conditionally safe decision needs a safety plan: write one or choose an active one."
        ]
    elif made.decision in SafetyDecision.values and made.decision != SafetyDecision.CONDITIONALLY_SAFE and has_plan:
        errors["safety_plan"] = ["Only a conditionally safe decision rests on a safety plan."]
    if made.decision == SafetyDecision.UNSAFE and made.protective_action not in ProtectiveAction.values:
        errors["protective_action"] = [
            "An unsafe decision records the protective action: removal or placement with kin."
        ]
    elif made.decision != SafetyDecision.UNSAFE and (made.protective_action or made.protective_action_note.strip()):
        errors["protective_action"] = ["Only an unsafe decision records a protective action."]
    if errors:
        raise ValidationError(errors)


def _threat_rows(threats: Sequence[ThreatAnswer]) -> list[SafetyAssessmentThreat]:
    """Every active threat answered once, and no other."""
    active = {threat.pk: threat for threat in safety_threats()}
    answered = [answer.threat.pk for answer in threats]
    if len(set(answered)) != len(answered) or set(answered) - set(active):
        raise ValidationError({"threats": "Answer each safety threat of the current list once."})
    missing = [active[pk].label for pk in active if pk not in answered]
    if missing:
        raise ValidationError({"threats": [f"Say whether this threat is present: {label}" for label in missing]})
    return [
        SafetyAssessmentThreat(threat=answer.threat, present=answer.present, note=answer.note.strip())
        for answer in threats
    ]


def _supersede(actor: User, current, verb: str) -> None:
    """Mark the investigation's current assessment(s) of this kind as superseded, each with its audit entry."""
    now = timezone.now()
    for earlier in current.select_for_update():
        earlier.superseded_at = now
        earlier.save(update_fields=["superseded_at"])
        log_action(actor=actor, action=verb, target=earlier, changes={"superseded_at": "set"})


@transaction.atomic
def safety_assessment_record(
    *,
    actor: User,
    investigation: Investigation,
    assessed_at: datetime,
    protective_capacities: str,
    threats: Sequence[ThreatAnswer],
    made: SafetyDecisionMade,
) -> SafetyAssessment:
    """Record a safety assessment whose decision agrees with its threats; it supersedes the current one.

    A new safety plan written with it is saved in the same transaction; an active plan chosen is linked to it.
    """
    locked = _locked_for_change(actor, investigation)
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: _check_assessed_at(locked, assessed_at),
        lambda: safety_decision_check(threats=threats, made=made),
    ):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        rows = _threat_rows(threats)
    except ValidationError as error:
        errors.update(error.message_dict)
    if made.plan is not None and (
        made.plan.investigation_id != locked.pk or made.plan.status != SafetyPlanStatus.ACTIVE
    ):
        errors["safety_plan"] = ["Choose an active safety plan of this investigation."]
    if not protective_capacities.strip():
        errors["protective_capacities"] = ["Describe the household's protective capacities."]
    new_plan = None
    if made.new_plan is not None and made.decision == SafetyDecision.CONDITIONALLY_SAFE:
        try:
            new_plan = _plan_checked(actor=actor, investigation=locked, plan=made.new_plan, prefix="plan_")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assessment = SafetyAssessment(
        investigation=locked,
        assessed_at=assessed_at,
        assessed_by=actor,
        protective_capacities=protective_capacities.strip(),
        decision=made.decision,
        protective_action=made.protective_action,
        protective_action_note=made.protective_action_note.strip(),
    )
    assessment.full_clean()
    _supersede(
        actor,
        SafetyAssessment.objects.filter(investigation=locked, superseded_at__isnull=True),
        "investigations.safety_assessment.superseded",
    )
    assessment.save()
    for row in rows:
        row.assessment = assessment
    SafetyAssessmentThreat.objects.bulk_create(rows)
    if new_plan is not None:
        plan, actions = new_plan
        plan.assessment = assessment
        _plan_save(actor=actor, plan=plan, actions=actions)
    elif made.plan is not None:
        SafetyPlan.objects.filter(pk=made.plan.pk).update(assessment=assessment)
        log_action(
            actor=actor, action="investigations.safety_plan.linked", target=made.plan, changes={"assessment": "set"}
        )
    log_action(
        actor=actor,
        action="investigations.safety_assessment.recorded",
        target=assessment,
        changes={"investigation": locked.reference},
    )
    if made.decision != SafetyDecision.SAFE:
        notify_about(
            record=locked,
            recipients=_supervisor_unless(actor, locked),
            message=f"A safety assessment of {locked.reference} found the children not safe without intervention.",
            link=reverse("safety_assessment_detail", args=[assessment.public_id]),
        )
    return assessment


# Risk assessments


@dataclass(frozen=True)
class RiskScore:
    total: int
    scored_level: str
    override: str = RiskOverride.NONE
    override_level: str = ""
    override_reason: str = ""
    chosen: dict = field(default_factory=dict)

    @property
    def final_level(self) -> str:
        return self.override_level or self.scored_level


def level_for(total: int, thresholds: Mapping[str, int]) -> str:
    """The highest level whose lowest score the total reaches."""
    reached = [level for level in RISK_LEVEL_ORDER if total >= thresholds[level]]
    return reached[-1] if reached else RISK_LEVEL_ORDER[0]


def risk_score(
    *,
    items: Sequence[RiskItem],
    answers: Mapping[int, RiskAnswer],
    thresholds: Mapping[str, int],
    override: str = RiskOverride.NONE,
    override_level: str = "",
    override_reason: str = "",
) -> RiskScore:
    """Score a risk assessment (no database): `answers` maps each item's id to the chosen answer.

    Every item must be answered with one of its own answers; the total is the sum of their scores and the
    level the highest one it reaches. An override (policy or discretionary) moves the level exactly one step
    up or down, with a reason.
    """
    errors: dict[str, list[str]] = {}
    unanswered = [item.question for item in items if item.pk not in answers]
    if unanswered:
        errors["answers"] = [f"Answer this item: {question}" for question in unanswered]
    known = {item.pk for item in items}
    if any(pk not in known or answer.item_id != pk for pk, answer in answers.items()):
        errors.setdefault("answers", []).append("Choose each answer among its own item's answers.")
    if errors:
        raise ValidationError(errors)
    total = sum(answers[item.pk].score for item in items)
    scored = level_for(total, thresholds)
    reason = override_reason.strip()
    if override == RiskOverride.NONE:
        if override_level:
            errors["override"] = ["Choose the kind of override (policy or discretionary) to change the level."]
    elif override not in RiskOverride.values:
        errors["override"] = ["Choose no override, a policy override or a discretionary override."]
    else:
        steps = (
            abs(RISK_LEVEL_ORDER.index(override_level) - RISK_LEVEL_ORDER.index(scored))
            if override_level in RiskLevel.values
            else None
        )
        if steps != 1:
            errors["override_level"] = [
                f"An override moves the scored level ({RiskLevel(scored).label.lower()}) one level up or down."
            ]
        if not reason:
            errors["override_reason"] = ["Give the reason for the override."]
    if errors:
        raise ValidationError(errors)
    if override == RiskOverride.NONE:
        override_level, reason = "", ""
    return RiskScore(
        total=total,
        scored_level=scored,
        override=override,
        override_level=override_level,
        override_reason=reason,
        chosen=dict(answers),
    )


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    investigation: Investigation,
    assessed_at: datetime,
    answers: Mapping[int, RiskAnswer],
    override: str = RiskOverride.NONE,
    override_level: str = "",
    override_reason: str = "",
) -> RiskAssessment:
    """Record a scored risk assessment (every active item answered); it supersedes the current one."""
    locked = _locked_for_change(actor, investigation)
    errors: dict[str, list[str]] = {}
    try:
        _check_assessed_at(locked, assessed_at)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        score = risk_score(
            items=list(risk_items()),
            answers=answers,
            thresholds=settings.KINDRED_RISK_LEVEL_FROM_SCORE,
            override=override,
            override_level=override_level,
            override_reason=override_reason,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assessment = RiskAssessment(
        investigation=locked,
        assessed_at=assessed_at,
        assessed_by=actor,
        total_score=score.total,
        scored_level=score.scored_level,
        override=score.override,
        override_level=score.override_level,
        override_reason=score.override_reason,
    )
    assessment.full_clean()
    _supersede(
        actor,
        RiskAssessment.objects.filter(investigation=locked, superseded_at__isnull=True),
        "investigations.risk_assessment.superseded",
    )
    assessment.save()
    RiskAssessmentAnswer.objects.bulk_create(
        RiskAssessmentAnswer(assessment=assessment, item_id=pk, answer=answer, score=answer.score)
        for pk, answer in score.chosen.items()
    )
    log_action(
        actor=actor,
        action="investigations.risk_assessment.recorded",
        target=assessment,
        changes={"investigation": locked.reference},
    )
    return assessment
