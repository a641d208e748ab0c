"""The safety plan: actions and who carries each out, start and review dates, a backup plan, monitoring reviews,
and its end with a reason; an ended plan stays readable and takes no more changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from investigations.models import SafetyPlan, SafetyPlanReview
from investigations.services.assessments import safety_plan_create, safety_plan_end, safety_plan_review
from tests.factories import make_investigation, make_person
from tests.investigations.assessment_data import new_plan, typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def victim(investigation):
    return investigation.report.participants.get(role="alleged_victim").person


@pytest.fixture
def plan(cast, investigation, victim):
    return safety_plan_create(actor=cast.worker, investigation=investigation, plan=new_plan(victim))


def _plan_form(victim, **fields) -> dict:
    return {
        "starts_on": timezone.localdate().isoformat(),
        "action_1": "The mother takes the children to school each morning.",
        "responsible_1": "household",
        "person_1": str(victim.public_id),
        "action_2": "An aunt stays at the home on weekends.",
        "responsible_2": "kin",
        "name_2": "Aunt Example",
        "backup_plan": "The aunt takes the children.",
        "monitoring": "Unannounced visit twice a week.",
        **fields,
    }


def test_the_worker_writes_a_plan_reviewed_a_week_later_by_default(cast, client_for, investigation, victim):
    page = client_for(cast.worker).get(reverse("safety_plan_create", args=[investigation.public_id])).content.decode()
    assert victim.full_name in page and "sticky-actions" in page
    response = client_for(cast.worker).post(
        reverse("safety_plan_create", args=[investigation.public_id]), _plan_form(victim, review_on="")
    )
    plan = SafetyPlan.objects.get()
    assert response["Location"] == reverse("safety_plan_detail", args=[plan.public_id])
    assert plan.review_on == plan.starts_on + timedelta(days=7) and plan.status == "active"
    assert [(a.responsible, a.responsible_person, a.responsible_name) for a in plan.actions.all()] == [
        ("household", victim, ""),
        ("kin", None, "Aunt Example"),
    ]
    shown = client_for(cast.worker).get(response["Location"]).content.decode()
    assert "Aunt Example" in shown and victim.full_name in shown and "Unannounced visit twice a week." in shown
    event = AuditEvent.objects.get(action="investigations.safety_plan.created")
    assert "Aunt" not in str(event.changes) and event.target_id == str(plan.public_id)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name_2": ""}, "Action 2: name the relative or family friend."),
        ({"person_1": ""}, "Action 1: choose the household member from the investigation's people."),
        (
            {"action_1": "", "responsible_1": "", "person_1": "", "action_2": "", "responsible_2": "", "name_2": ""},
            "Write at least one action",
        ),
    ],
)
def test_each_action_names_who_carries_it_out(cast, client_for, investigation, victim, fields, message):
    response = client_for(cast.worker).post(
        reverse("safety_plan_create", args=[investigation.public_id]), _plan_form(victim, **fields)
    )
    assert response.status_code == 200 and message in response.content.decode().replace("&#x27;", "'")
    assert "Unannounced visit twice a week." in response.content.decode(), "what was typed stays"
    assert not SafetyPlan.objects.exists()


def test_the_household_member_is_one_of_the_investigations_people(cast, api_for, investigation):
    stranger = make_person(cast.screener, age=40)
    body = {
        "starts_on": timezone.localdate().isoformat(),
        "actions": [{"action": "Stays over.", "responsible": "household", "person": str(stranger.public_id)}],
    }
    url = reverse("api_investigation_safety_plans", args=[investigation.public_id])
    response = api_for(cast.worker).post(url, body, format="json")
    assert response.status_code == 400 and "actions" in response.json()


def test_the_review_date_comes_after_the_start(cast, client_for, investigation, victim):
    today = timezone.localdate()
    form = _plan_form(victim, review_on=today.isoformat())
    response = client_for(cast.worker).post(reverse("safety_plan_create", args=[investigation.public_id]), form)
    assert response.context["form"].errors["review_on"] == ["The review date must come after the start date."]


def test_reviews_are_recorded_then_the_plan_ends_with_a_reason(cast, client_for, plan):
    client = client_for(cast.worker)
    review = reverse("safety_plan_review", args=[plan.public_id])
    response = client.post(review, {"reviewed_at": typed(timezone.now()), "note": "Children at school, aunt present."})
    assert response["Location"] == reverse("safety_plan_detail", args=[plan.public_id])
    end = reverse("safety_plan_end", args=[plan.public_id])
    assert client.post(end, {"reason": ""}).context["form"].errors["reason"]
    assert client.post(end, {"reason": "The mother moved in with the aunt."}).status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason) == ("ended", "The mother moved in with the aunt.")
    shown = client.get(reverse("safety_plan_detail", args=[plan.public_id])).content.decode()
    assert "Children at school, aunt present." in shown and "The mother moved in with the aunt." in shown
    assert "Record a review" not in shown
    actions = AuditEvent.objects.filter(target_id=str(plan.public_id)).values_list("action", flat=True)
    assert {"investigations.safety_plan.reviewed", "investigations.safety_plan.ended"} <= set(actions)
    assert "aunt" not in str(AuditEvent.objects.filter(target_id=str(plan.public_id)).values_list("changes", "reason"))


def test_an_ended_plan_takes_no_more_reviews(cast, client_for, api_for, plan):
    safety_plan_end(actor=cast.worker, plan=plan, reason="Children placed with kin.")
    response = client_for(cast.worker).get(reverse("safety_plan_review", args=[plan.public_id]), follow=True)
    assert "This safety plan has ended" in response.content.decode()
    api = api_for(cast.worker)
    refused = api.post(
        reverse("api_safety_plan_review", args=[plan.public_id]),
        {"reviewed_at": timezone.now().isoformat(), "note": "Late."},
        format="json",
    )
    assert refused.status_code == 400 and not SafetyPlanReview.objects.exists()
    assert api.get(reverse("api_safety_plan", args=[plan.public_id])).json()["status"] == "ended"


def test_the_api_writes_reviews_and_ends_the_plan(cast, api_for, investigation, victim):
    api = api_for(cast.worker)
    body = {
        "starts_on": timezone.localdate().isoformat(),
        "actions": [{"action": "The mother stays home.", "responsible": "household", "person": str(victim.public_id)}],
        "monitoring": "Daily call.",
    }
    created = api.post(reverse("api_investigation_safety_plans", args=[investigation.public_id]), body, format="json")
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert created.json()["review_on"] == (timezone.localdate() + timedelta(days=7)).isoformat()
    reviewed = api.post(
        reverse("api_safety_plan_review", args=[plan_id]),
        {"reviewed_at": timezone.now().isoformat(), "note": "All well."},
        format="json",
    )
    assert [row["note"] for row in reviewed.json()["reviews"]] == ["All well."]
    ended = api.post(reverse("api_safety_plan_end", args=[plan_id]), {"reason": "Threat resolved."}, format="json")
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("ended", "Threat resolved.")
    listed = api.get(reverse("api_investigation_safety_plans", args=[investigation.public_id])).json()
    assert [row["id"] for row in listed] == [plan_id]


def test_a_review_dated_in_the_future_is_refused(cast, plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        safety_plan_review(actor=cast.worker, plan=plan, reviewed_at=timezone.now() + timedelta(hours=1), note="x")
    assert "reviewed_at" in refused.value.message_dict
