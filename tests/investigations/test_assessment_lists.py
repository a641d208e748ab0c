"""The lists the agency keeps (safety threats, risk items with their answers, cross-report rules): a superuser
edits them in the Django admin, nobody deletes an entry (recorded assessments point at it), and an entry made
inactive leaves the forms."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from investigations.models import CrossReportRule, RiskAnswer, RiskItem, SafetyThreat
from tests.factories import make_investigation, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(cast):
    user = make_staff("superuser", Role.ADMINISTRATOR)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


def test_a_superuser_adds_a_safety_threat(client_for, superuser):
    url = reverse("admin:investigations_safetythreat_add")
    data = {
        "code": "weapon-in-home",
        "label": "A loaded weapon is within the child's reach",
        "order": 99,
        "active": "on",
    }
    response = client_for(superuser).post(url, data)
    assert response.status_code == 302
    assert SafetyThreat.objects.get(code="weapon-in-home").active


def test_a_superuser_edits_a_risk_item_and_its_answers_inline(client_for, superuser):
    item = RiskItem.objects.get(code="domestic-violence")
    answers = list(item.answers.all())
    data = {"code": item.code, "question": item.question, "order": item.order, "active": "on"}
    data |= {
        "answers-TOTAL_FORMS": len(answers) + 1,
        "answers-INITIAL_FORMS": len(answers),
        "answers-MIN_NUM_FORMS": 0,
        "answers-MAX_NUM_FORMS": 1000,
    }
    for i, answer in enumerate(answers):
        data |= {f"answers-{i}-id": answer.pk, f"answers-{i}-item": item.pk, f"answers-{i}-label": answer.label}
        data |= {f"answers-{i}-score": answer.score, f"answers-{i}-order": answer.order}
    data |= {f"answers-{len(answers)}-item": item.pk, f"answers-{len(answers)}-label": "Unknown"}
    data |= {f"answers-{len(answers)}-score": 0, f"answers-{len(answers)}-order": 9}
    response = client_for(superuser).post(reverse("admin:investigations_riskitem_change", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RiskAnswer.objects.filter(item=item, label="Unknown").exists()


def test_a_superuser_changes_a_cross_report_rule_but_deletes_nothing(client_for, superuser):
    rule = CrossReportRule.objects.get(maltreatment_type="sexual_abuse")
    client = client_for(superuser)
    url = reverse("admin:investigations_crossreportrule_change", args=[rule.pk])
    assert client.post(url, {"maltreatment_type": "sexual_abuse", "within_hours": 12}).status_code == 302
    rule.refresh_from_db()
    assert rule.within_hours == 12
    assert (
        client.post(
            reverse("admin:investigations_safetythreat_delete", args=[SafetyThreat.objects.first().pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_an_inactive_threat_leaves_the_form(cast, client_for):
    investigation = make_investigation(cast.screener, worker=cast.worker)
    threat = SafetyThreat.objects.get(code="child-afraid")
    SafetyThreat.objects.filter(pk=threat.pk).update(active=False)
    page = client_for(cast.worker).get(reverse("safety_assessment_create", args=[investigation.public_id]))
    assert f'name="threat_{threat.pk}"' not in page.content.decode()


def test_the_administrator_role_alone_does_not_open_the_admin(cast, client_for):
    response = client_for(cast.administrator).get(reverse("admin:investigations_safetythreat_changelist"))
    assert response.status_code == 302
