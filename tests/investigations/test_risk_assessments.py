"""The risk assessment on the page and in the API: every item answered, the total and its level, an override one
level up or down with a reason shown beside the scored level; a later one supersedes the earlier."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from investigations.models import RiskAssessment
from tests.factories import make_investigation
from tests.investigations.assessment_data import record_risk, risk_body, risk_form, risk_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigation(cast):
    return make_investigation(cast.screener, worker=cast.worker)


def _page(investigation) -> str:
    return reverse("risk_assessment_create", args=[investigation.public_id])


def _api(investigation) -> str:
    return reverse("api_investigation_risk_assessments", args=[investigation.public_id])


def test_the_form_offers_every_item_with_its_answers_as_radio_buttons(cast, client_for, investigation):
    page = client_for(cast.worker).get(_page(investigation)).content.decode()
    for item in risk_items():
        for answer in item.answers.all():
            assert f'type="radio" name="item_{item.pk}" value="{answer.pk}"' in page
    assert "sticky-actions" in page


def test_the_worker_records_a_scored_assessment(cast, client_for, investigation):
    response = client_for(cast.worker).post(_page(investigation), risk_form(7))
    assessment = RiskAssessment.objects.get()
    assert response["Location"] == reverse("risk_assessment_detail", args=[assessment.public_id])
    assert (assessment.total_score, assessment.scored_level, assessment.final_level) == (7, "high", "high")
    assert assessment.answers.count() == len(risk_items())
    assert AuditEvent.objects.filter(action="investigations.risk_assessment.recorded").exists()


def test_an_override_is_shown_beside_the_scored_level(cast, client_for, investigation):
    form = risk_form(4, override="policy", override_level="high", override_reason="An infant with a fracture.")
    response = client_for(cast.worker).post(_page(investigation), form, follow=True)
    page = response.content.decode()
    assert "High risk" in page and "Moderate" in page and "(policy override)" in page
    detail = client_for(cast.worker).get(reverse("investigation_detail", args=[investigation.public_id]))
    assert "scored moderate, policy override" in detail.content.decode()


def test_an_override_beyond_one_level_is_refused_and_what_was_typed_stays(cast, client_for, investigation):
    form = risk_form(0, override="discretionary", override_level="high", override_reason="Worried.")
    response = client_for(cast.worker).post(_page(investigation), form)
    assert "one level up or down" in str(response.context["form"].errors["override_level"])
    assert "Worried." in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_an_override_needs_a_reason(cast, api_for, investigation):
    body = risk_body(4, override="discretionary", override_level="low", override_reason="")
    response = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert response.status_code == 400 and response.json()["override_reason"] == ["Give the reason for the override."]


def test_an_unanswered_item_is_refused(cast, client_for, api_for, investigation):
    first = risk_items()[0]
    form = risk_form(2)
    del form[f"item_{first.pk}"]
    assert client_for(cast.worker).post(_page(investigation), form).context["form"].errors[f"item_{first.pk}"]
    body = risk_body(2)
    body["answers"] = body["answers"][1:]
    response = api_for(cast.worker).post(_api(investigation), body, format="json")
    assert response.status_code == 400 and response.json()["answers"] == [f"Answer this item: {first.question}"]


def test_the_api_records_and_reads_it(cast, api_for, investigation):
    api = api_for(cast.worker)
    created = api.post(_api(investigation), risk_body(9), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["total_score"], body["scored_level"], body["final_level"]) == (9, "very_high", "very_high")
    assert api.get(reverse("api_risk_assessment", args=[body["id"]])).json()["id"] == body["id"]
    items = api.get(reverse("api_risk_item_list")).json()
    assert [item["code"] for item in items] == [item.code for item in risk_items()]
    assert all(item["answers"] for item in items)


def test_a_later_one_supersedes_the_earlier(cast, client_for, investigation):
    earlier = record_risk(cast.worker, investigation, 2)
    later = record_risk(cast.worker, investigation, 6)
    earlier.refresh_from_db()
    assert earlier.superseded_at is not None and later.superseded_at is None
    page = client_for(cast.worker).get(reverse("risk_assessment_detail", args=[earlier.public_id])).content.decode()
    assert "Superseded by a later assessment" in page
