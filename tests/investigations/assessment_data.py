"""What the assessment tests fill in: page forms, API bodies, and assessments recorded through the services."""

from datetime import timedelta

from django.utils import timezone

from investigations.models import RiskItem, SafetyThreat
from investigations.services.assessments import (
    NewPlan,
    PlanAction,
    SafetyDecisionMade,
    ThreatAnswer,
    risk_assessment_record,
    safety_assessment_record,
)

CAPACITIES = "The grandmother lives next door and checks on the children daily."


def a_while_ago(minutes: int = 30):
    return timezone.now() - timedelta(minutes=minutes)


def typed(moment) -> str:
    """A moment as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def threats() -> list[SafetyThreat]:
    return list(SafetyThreat.objects.filter(active=True))


def safety_form(*, present: tuple[str, ...] = (), decision: str = "safe", **fields) -> dict:
    """The safety assessment page's form: every threat answered, `present` (codes) with yes."""
    data = {"assessed_at": typed(a_while_ago()), "protective_capacities": CAPACITIES, "decision": decision}
    for threat in threats():
        data[f"threat_{threat.pk}"] = "yes" if threat.code in present else "no"
        data[f"threat_{threat.pk}_note"] = "Seen at the home visit." if threat.code in present else ""
    return {**data, **fields}


def safety_body(*, present: tuple[str, ...] = (), decision: str = "safe", **fields) -> dict:
    """The API's safety assessment body."""
    return {
        "assessed_at": a_while_ago().isoformat(),
        "threats": [{"threat": t.code, "present": t.code in present, "note": ""} for t in threats()],
        "protective_capacities": CAPACITIES,
        "decision": decision,
        **fields,
    }


def plan_actions(person) -> list[PlanAction]:
    return [
        PlanAction(action="The grandmother stays overnight until the review.", responsible="kin", name="Gran Example"),
        PlanAction(action="The mother takes the children to school.", responsible="household", person=person),
    ]


def new_plan(person) -> NewPlan:
    return NewPlan(starts_on=timezone.localdate(), actions=plan_actions(person), backup_plan="Call the on-call worker.")


def record_safety(actor, investigation, *, decision: str = "safe", present: tuple[str, ...] = (), **made):
    return safety_assessment_record(
        actor=actor,
        investigation=investigation,
        assessed_at=a_while_ago(),
        protective_capacities=CAPACITIES,
        threats=[ThreatAnswer(threat=t, present=t.code in present) for t in threats()],
        made=SafetyDecisionMade(decision=decision, **made),
    )


def risk_items() -> list[RiskItem]:
    return list(RiskItem.objects.filter(active=True).prefetch_related("answers"))


def answers_scoring(total: int) -> dict:
    """An answer per active item whose scores add up to `total` (the highest answers first)."""
    chosen, left = {}, total
    for item in risk_items():
        options = sorted(item.answers.all(), key=lambda answer: answer.score)
        answer = max((a for a in options if a.score <= left), key=lambda a: a.score)
        chosen[item.pk] = answer
        left -= answer.score
    assert left == 0, f"the default items cannot score {total}"
    return chosen


def risk_form(total: int, **fields) -> dict:
    data = {"assessed_at": typed(a_while_ago()), "override": ""}
    data.update({f"item_{pk}": str(answer.pk) for pk, answer in answers_scoring(total).items()})
    return {**data, **fields}


def risk_body(total: int, **fields) -> dict:
    items = {item.pk: item for item in risk_items()}
    return {
        "assessed_at": a_while_ago().isoformat(),
        "answers": [{"item": items[pk].code, "answer": a.pk} for pk, a in answers_scoring(total).items()],
        **fields,
    }


def record_risk(actor, investigation, total: int = 4, **override):
    return risk_assessment_record(
        actor=actor, investigation=investigation, assessed_at=a_while_ago(), answers=answers_scoring(total), **override
    )
