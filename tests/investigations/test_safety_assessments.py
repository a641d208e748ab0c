"""The safety assessment: every threat answered, a decision that agrees with them, what goes with the decision
(a safety plan, a protective action); a later one supersedes the earlier, both readable. Page and API alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent
from investigations.models import SafetyAssessment, SafetyPlan
from tests.factories import make_investigation
from tests.investigations.assessment_data import (
    CAPACITIES,
    a_while_ago,
    new_plan,
    record_safety,
    safety_body,
    safety_form,
    threats,
    typed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def victim(investigation):
    return investigation.report.participants.get(role="alleged_victim").person


def _page(investigation) -> str:
    return reverse("safety_assessment_create", args=[investigation.public_id])


def _api(investigation) -> str:
    return reverse("api_investigation_safety_assessments", args=[investigation.public_id])


def test_the_worker_records_a_safe_decision_with_every_threat_answered(cast, client_for, investigation):
    response = client_for(cast.worker).post(_page(investigation), safety_form())
    assessment = SafetyAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safety_assessment_detail", args=[assessment.public_id])
    assert (assessment.decision, assessment.assessed_by, assessment.superseded_at) == ("safe", cast.worker, None)
    assert assessment.threats.count() == len(threats()) and not assessment.threats.filter(present=True).exists()
    event = AuditEvent.objects.get(action="investigations.safety_assessment.recorded")
    assert event.target_id == str(assessment.public_id) and CAPACITIES not in str(event.changes)


def test_the_form_lists_every_active_threat_with_yes_and_no(cast, client_for, investigation):
    page = client_for(cast.worker).get(_page(investigation)).content.decode()
    for threat in threats():
        assert escape(threat.label) in page
        assert f'name="threat_{threat.pk}" value="yes"' in page and f'name="threat_{threat.pk}" value="no"' in page
    assert "sticky-actions" in page
    assert f'href="{reverse("investigation_detail", args=[investigation.public_id])}"' in page


@pytest.mark.parametrize("decision", ["conditionally_safe", "unsafe"])
def test_a_decision_short_of_safe_needs_a_threat_present(cast, client_for, api_for, investigation, decision):
    response = client_for(cast.worker).post(_page(investigation), safety_form(decision=decision))
    assert response.status_code == 200
    assert "needs at least one safety threat present" in str(response.context["form"].errors["decision"])
    refused = api_for(cast.worker).post(_api(investigation), safety_body(decision=decision), format="json")
    assert refused.status_code == 400 and "decision" in refused.json()
    assert not SafetyAssessment.objects.exists()


def test_conditionally_safe_needs_a_safety_plan(cast, client_for, api_for, investigation):
    form = safety_form(present=("refuses-access",), decision="conditionally_safe")
    response = client_for(cast.worker).post(_page(investigation), form)
    assert "needs a safety plan" in str(response.context["form"].errors["safety_plan"])
    assert CAPACITIES in response.content.decode(), "what was typed stays"
    body = safety_body(present=("refuses-access",), decision="conditionally_safe")
    refused = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert refused.status_code == 400 and "safety_plan" in refused.json()
    assert not SafetyAssessment.objects.exists()


def test_the_plan_is_written_in_the_same_form(cast, client_for, investigation, victim):
    form = safety_form(
        present=("refuses-access",),
        decision="conditionally_safe",
        safety_plan="new",
        plan_starts_on=timezone.localdate().isoformat(),
        plan_action_1="The mother takes the children to school.",
        plan_responsible_1="household",
        plan_person_1=str(victim.public_id),
        plan_action_2="The agency calls every evening.",
        plan_responsible_2="agency",
        plan_backup_plan="The grandmother takes the children.",
    )
    response = client_for(cast.worker).post(_page(investigation), form)
    assert response.status_code == 302, response.context["form"].errors
    assessment = SafetyAssessment.objects.get()
    plan = SafetyPlan.objects.get()
    assert plan.assessment == assessment and plan.review_on == plan.starts_on + timedelta(days=7)
    assert [(a.responsible, a.responsible_person) for a in plan.actions.all()] == [
        ("household", victim),
        ("agency", None),
    ]


def test_a_bad_plan_saves_nothing_and_names_its_field(cast, client_for, investigation):
    form = safety_form(
        present=("refuses-access",),
        decision="conditionally_safe",
        safety_plan="new",
        plan_starts_on=timezone.localdate().isoformat(),
        plan_action_1="A relative stays over.",
        plan_responsible_1="kin",
    )
    response = client_for(cast.worker).post(_page(investigation), form)
    assert response.status_code == 200
    assert "name the relative" in str(response.context["form"].non_field_errors())
    assert not SafetyAssessment.objects.exists() and not SafetyPlan.objects.exists()


def test_the_api_writes_the_plan_with_the_assessment(cast, api_for, investigation, victim):
    body = safety_body(
        present=("refuses-access",),
        decision="conditionally_safe",
        new_plan={
            "starts_on": timezone.localdate().isoformat(),
            "actions": [
                {"action": "The mother stays home.", "responsible": "household", "person": str(victim.public_id)}
            ],
        },
    )
    response = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert response.status_code == 201, response.json()
    plan = SafetyPlan.objects.get()
    assert response.json()["safety_plans"] == [str(plan.public_id)]


def test_an_active_plan_of_the_investigation_may_be_chosen(cast, client_for, investigation, victim):
    from investigations.services.assessments import safety_plan_create

    plan = safety_plan_create(actor=cast.worker, investigation=investigation, plan=new_plan(victim))
    form = safety_form(present=("refuses-access",), decision="conditionally_safe", safety_plan=str(plan.public_id))
    assert client_for(cast.worker).post(_page(investigation), form).status_code == 302
    plan.refresh_from_db()
    assert plan.assessment == SafetyAssessment.objects.get()


def test_unsafe_needs_the_protective_action(cast, client_for, api_for, investigation):
    form = safety_form(present=("serious-harm",), decision="unsafe")
    response = client_for(cast.worker).post(_page(investigation), form)
    assert "records the protective action" in str(response.context["form"].errors["protective_action"])
    body = safety_body(present=("serious-harm",), decision="unsafe")
    assert "protective_action" in api_for(cast.worker).post(_api(investigation), body, format="json").json()
    form["protective_action"] = "kin_placement"
    assert client_for(cast.worker).post(_page(investigation), form).status_code == 302
    assert SafetyAssessment.objects.get().protective_action == "kin_placement"


def test_only_an_unsafe_decision_records_a_protective_action(cast, api_for, investigation):
    body = safety_body(present=("serious-harm",), decision="safe", protective_action="removal")
    response = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert response.status_code == 400 and "protective_action" in response.json()


@pytest.mark.parametrize(
    ("when", "message"),
    [(timedelta(hours=1), "in the future"), (timedelta(hours=-3), "before the report was received")],
)
def test_the_date_is_neither_in_the_future_nor_before_the_report(cast, client_for, investigation, when, message):
    form = safety_form(assessed_at=typed(timezone.now() + when))
    response = client_for(cast.worker).post(_page(investigation), form)
    assert message in str(response.context["form"].errors["assessed_at"])


def test_every_threat_must_be_answered(cast, client_for, api_for, investigation):
    first = threats()[0]
    form = safety_form()
    del form[f"threat_{first.pk}"]
    assert client_for(cast.worker).post(_page(investigation), form).context["form"].errors[f"threat_{first.pk}"]
    body = safety_body()
    body["threats"] = body["threats"][1:]
    response = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert response.status_code == 400 and first.label in str(response.json()["threats"])


def test_a_later_assessment_supersedes_the_earlier_and_both_stay_readable(cast, client_for, api_for, investigation):
    earlier = record_safety(cast.worker, investigation)
    later = record_safety(
        cast.worker, investigation, decision="unsafe", present=("serious-harm",), protective_action="removal"
    )
    earlier.refresh_from_db()
    assert earlier.superseded_at is not None and later.superseded_at is None
    assert AuditEvent.objects.filter(
        action="investigations.safety_assessment.superseded", target_id=str(earlier.public_id)
    ).exists()
    page = client_for(cast.worker).get(reverse("safety_assessment_detail", args=[earlier.public_id])).content.decode()
    assert "Superseded by a later assessment" in page and escape(threats()[0].label) in page
    listed = api_for(cast.worker).get(_api(investigation)).json()
    assert [row["id"] for row in listed] == [str(later.public_id), str(earlier.public_id)]
    detail = (
        client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()
    )
    assert "Earlier safety assessments (1)" in detail and "Unsafe" in detail


def test_the_unit_supervisor_may_record_one_too(cast, api_for, investigation):
    response = api_for(cast.supervisor).post(_api(investigation), safety_body(), format="json")
    assert response.status_code == 201


def test_an_unsafe_decision_tells_the_supervisor(cast, investigation):
    record_safety(cast.worker, investigation, decision="unsafe", present=("serious-harm",), protective_action="removal")
    assert cast.supervisor.notifications.filter(message__contains="not safe without intervention").exists()


def test_the_threat_list_is_readable_for_a_client_form(cast, api_for):
    listed = api_for(cast.worker).get(reverse("api_safety_threat_list")).json()
    assert [row["code"] for row in listed] == [t.code for t in threats()]


def test_a_moment_ago_is_accepted(cast, investigation):
    assert record_safety(cast.worker, investigation).assessed_at <= a_while_ago(0)


def test_the_api_names_an_unknown_threat(cast, api_for, investigation):
    body = safety_body()
    body["threats"][0]["threat"] = "no-such-threat"
    response = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert response.status_code == 400 and "no-such-threat" in str(response.json()["threats"])


def test_the_audit_trail_reads_as_sentences_without_case_content(cast, investigation):
    from accounts.audit import describe

    record_safety(cast.worker, investigation)
    record_safety(cast.worker, investigation)
    sentences = [describe(event) for event in AuditEvent.objects.filter(action__startswith="investigations.safety")]
    assert any(" recorded Safety assessment " in sentence for sentence in sentences)
    assert any("recorded a later assessment superseding Safety assessment" in sentence for sentence in sentences)
    assert not any(CAPACITIES in sentence for sentence in sentences)
