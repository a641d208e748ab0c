"""Who records and reads assessments: the assigned worker and the unit supervisor record them, the read-only roles
read them (403 on writes), another unit's worker finds nothing (404); nothing is recorded on an investigation that
awaits assignment or is closed. The investigation page's section runs the same queries for 3 assessments as for 1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investigations.models import Investigation, SafetyAssessment
from investigations.services.assessments import safety_plan_create
from tests.factories import make_investigation
from tests.investigations.assessment_data import new_plan, record_risk, record_safety, risk_body, safety_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


@pytest.fixture
def recorded(cast, investigation):
    victim = investigation.report.participants.get(role="alleged_victim").person
    return {
        "safety_assessment_detail": record_safety(cast.worker, investigation).public_id,
        "safety_plan_detail": safety_plan_create(
            actor=cast.worker, investigation=investigation, plan=new_plan(victim)
        ).public_id,
        "risk_assessment_detail": record_risk(cast.worker, investigation).public_id,
    }


CREATE_PAGES = ("safety_assessment_create", "safety_plan_create", "risk_assessment_create")
API_LISTS = (
    "api_investigation_safety_assessments",
    "api_investigation_safety_plans",
    "api_investigation_risk_assessments",
)
API_DETAILS = {
    "safety_assessment_detail": "api_safety_assessment",
    "safety_plan_detail": "api_safety_plan",
    "risk_assessment_detail": "api_risk_assessment",
}


@pytest.mark.parametrize("who", ["other_worker", "other_supervisor", "administrator"])
def test_anyone_who_may_not_see_the_investigation_finds_nothing(
    cast, client_for, api_for, investigation, recorded, who
):
    user = getattr(cast, who)
    for name in CREATE_PAGES:
        assert client_for(user).get(reverse(name, args=[investigation.public_id])).status_code == 404
    for page, api in API_DETAILS.items():
        assert client_for(user).get(reverse(page, args=[recorded[page]])).status_code == 404
        assert api_for(user).get(reverse(api, args=[recorded[page]])).status_code in (403, 404)
    if who != "administrator":
        for name in API_LISTS:
            url = reverse(name, args=[investigation.public_id])
            assert api_for(user).get(url).status_code == 404
            assert api_for(user).post(url, {}, format="json").status_code == 404


@pytest.mark.parametrize("who", ["auditor", "program_manager"])
def test_the_read_only_roles_read_but_may_not_record(cast, client_for, api_for, investigation, recorded, who):
    user = getattr(cast, who)
    for name in CREATE_PAGES:
        assert client_for(user).get(reverse(name, args=[investigation.public_id])).status_code == 403
    for page, api in API_DETAILS.items():
        assert client_for(user).get(reverse(page, args=[recorded[page]])).status_code == 200
        assert api_for(user).get(reverse(api, args=[recorded[page]])).status_code == 200
    url = reverse("api_investigation_safety_assessments", args=[investigation.public_id])
    assert api_for(user).post(url, safety_body(), format="json").status_code == 403
    plan = recorded["safety_plan_detail"]
    assert client_for(user).get(reverse("safety_plan_end", args=[plan])).status_code == 403
    assert api_for(user).post(reverse("api_safety_plan_end", args=[plan]), {"reason": "x"}).status_code == 403
    detail = client_for(user).get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()
    assert reverse("safety_assessment_create", args=[investigation.public_id]) not in detail


def test_a_closed_investigation_takes_no_assessment(cast, client_for, api_for, investigation, recorded):
    Investigation.objects.filter(pk=investigation.pk).update(status="closed")
    for name in CREATE_PAGES:
        response = client_for(cast.worker).get(reverse(name, args=[investigation.public_id]), follow=True)
        assert "This investigation is closed" in response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("investigation_detail", args=[investigation.public_id])
    url = reverse("api_investigation_safety_assessments", args=[investigation.public_id])
    refused = api_for(cast.worker).post(url, safety_body(), format="json")
    assert refused.status_code == 400 and "closed" in str(refused.json())
    end = api_for(cast.worker).post(
        reverse("api_safety_plan_end", args=[recorded["safety_plan_detail"]]), {"reason": "x"}
    )
    assert end.status_code == 400
    risk = reverse("api_investigation_risk_assessments", args=[investigation.public_id])
    assert api_for(cast.worker).post(risk, risk_body(3), format="json").status_code == 400
    assert SafetyAssessment.objects.count() == 1
    page = client_for(cast.worker).get(reverse("safety_plan_detail", args=[recorded["safety_plan_detail"]]))
    assert page.status_code == 200 and "End the plan" not in page.content.decode()


def test_an_investigation_awaiting_assignment_takes_no_assessment(cast, client_for, api_for):
    waiting = make_investigation(cast.screener)
    response = client_for(cast.supervisor).get(
        reverse("safety_assessment_create", args=[waiting.public_id]), follow=True
    )
    assert "awaits assignment" in response.content.decode()
    url = reverse("api_investigation_safety_assessments", args=[waiting.public_id])
    refused = api_for(cast.supervisor).post(url, safety_body(), format="json")
    assert refused.status_code == 400 and "awaits assignment" in str(refused.json())


def _page_queries(client, investigation) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("investigation_detail", args=[investigation.public_id]))
    assert response.status_code == 200
    return len(queries)


def test_the_section_runs_the_same_queries_for_three_assessments_as_for_one(cast, client_for, investigation):
    victim = investigation.report.participants.get(role="alleged_victim").person
    client = client_for(cast.worker)
    record_safety(cast.worker, investigation)
    record_risk(cast.worker, investigation)
    safety_plan_create(actor=cast.worker, investigation=investigation, plan=new_plan(victim))
    client.get(reverse("investigation_detail", args=[investigation.public_id]))
    one = _page_queries(client, investigation)
    for _ in range(2):
        record_safety(
            cast.worker, investigation, decision="unsafe", present=("serious-harm",), protective_action="removal"
        )
        record_risk(cast.worker, investigation, 5)
        safety_plan_create(actor=cast.worker, investigation=investigation, plan=new_plan(victim))
    three = _page_queries(client, investigation)
    assert three == one
    page = client.get(reverse("investigation_detail", args=[investigation.public_id])).content.decode()
    assert "Earlier safety assessments (2)" in page and "Earlier risk assessments (2)" in page
