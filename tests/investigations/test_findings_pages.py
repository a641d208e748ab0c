"""The findings and closure pages and API: the investigation page's section shows each viewer the actions they
may take, forms keep what was typed through an error, the API answers 400 with field errors, 403 to a reader
or the worker on a supervisor's decision, 404 to another unit; the section's queries do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investigations.choices import InvestigationStatus
from investigations.models import Investigation
from investigations.selectors.findings import open_allegations, page_section
from tests.investigations.closing import approved, closure_requested, complete, started, submitted

pytestmark = pytest.mark.django_db


def _url(name, investigation):
    return reverse(name, args=[investigation.public_id])


def _row(investigation, index=0) -> str:
    return str(list(open_allegations(investigation))[index].public_id)


def test_the_worker_records_findings_on_one_form(cast, client_for):
    investigation = started(cast, children=2)
    first, second = _row(investigation, 0), _row(investigation, 1)
    answer = client_for(cast.worker).post(
        _url("investigation_findings", investigation),
        {
            f"finding-{first}": "substantiated",
            f"found_on-{first}": "2020-01-01",
            f"rationale-{first}": "The doctor's report shows untreated injuries.",
            f"finding-{second}": "unsubstantiated",
            f"found_on-{second}": str(investigation.created_at.date()),
            f"rationale-{second}": "No sign of neglect.",
        },
    )
    assert answer.status_code == 200  # the first date is before the report came in
    page = answer.content.decode()
    assert "the finding&#x27;s date cannot be before the report came in" in page
    assert "The doctor&#x27;s report shows untreated injuries." in page and "No sign of neglect." in page
    answer = client_for(cast.worker).post(
        _url("investigation_findings", investigation),
        {
            f"finding-{first}": "substantiated",
            f"found_on-{first}": str(investigation.created_at.date()),
            f"rationale-{first}": "The doctor's report shows untreated injuries.",
        },
    )
    assert answer.status_code == 302
    investigation.refresh_from_db()
    assert investigation.disposition == "substantiated"
    detail = client_for(cast.worker).get(_url("investigation_detail", investigation)).content.decode()
    assert "Substantiated" in detail and "Not recorded" in detail


def test_submitting_on_the_page_names_what_is_missing(cast, client_for):
    investigation = started(cast)
    answer = client_for(cast.worker).post(_url("investigation_findings_submit", investigation))
    assert answer.status_code == 200
    assert "Record a finding for every allegation before submitting" in answer.content.decode()


def test_the_supervisor_decides_on_the_review_page_keeping_a_refused_comment(cast, client_for):
    investigation = submitted(cast)
    client = client_for(cast.supervisor)
    answer = client.post(_url("investigation_findings_review", investigation), {"outcome": "return", "comment": ""})
    assert answer.status_code == 200 and "Say what needs to change in the findings." in answer.content.decode()
    answer = client.post(_url("investigation_findings_review", investigation), {"outcome": "approve"})
    assert answer.status_code == 302
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.FINDINGS_APPROVED


def test_the_closure_form_keeps_what_was_typed_through_a_refusal(cast, client_for):
    investigation = approved(cast)
    answer = client_for(cast.worker).post(
        _url("investigation_closure_request", investigation),
        {"closure_outcome": "community_referral", "closure_referrals": "", "closure_note": "Family agrees."},
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Name the community services" in page and "It still needs: a safety assessment" in page
    assert "Family agrees." in page and 'value="community_referral" required id="id_closure_outcome_1" checked' in page


@pytest.mark.parametrize(
    ("stage", "who", "shown", "hidden"),
    [
        (started, "worker", ["investigation_findings"], ["investigation_findings_review"]),
        (submitted, "worker", [], ["investigation_findings", "investigation_findings_review"]),
        (submitted, "supervisor", ["investigation_findings_review"], ["investigation_findings"]),
        (submitted, "auditor", [], ["investigation_findings_review", "investigation_findings_submit"]),
        (approved, "worker", ["investigation_findings_reopen", "investigation_closure_request"], []),
        (closure_requested, "supervisor", ["investigation_closure_review"], ["investigation_closure_request"]),
        (closure_requested, "worker", [], ["investigation_closure_review"]),
    ],
)
def test_the_section_offers_each_viewer_the_actions_they_may_take(cast, client_for, stage, who, shown, hidden):
    investigation = stage(cast)
    page = client_for(getattr(cast, who)).get(_url("investigation_detail", investigation)).content.decode()
    for name in shown:
        assert f'href="{_url(name, investigation)}"' in page
    for name in hidden:
        assert f'href="{_url(name, investigation)}"' not in page


def test_the_section_costs_the_same_queries_for_one_or_four_allegations(cast):
    counts = []
    for children in (1, 4):
        investigation = complete(cast, approved(cast, children=children))
        investigation = Investigation.objects.select_related("report", "unit").get(pk=investigation.pk)
        with CaptureQueriesContext(connection) as queries:
            section = page_section(investigation, cast.worker)
        assert len(section["findings"]["rows"]) == children
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The API


def test_the_api_records_submits_and_approves(cast, api_for):
    investigation = started(cast, children=2)
    url = _url("api_investigation_findings", investigation)
    rows = [
        {"allegation": _row(investigation, i), "finding": finding, "found_on": str(investigation.created_at.date())}
        for i, finding in enumerate(("indicated", "unsubstantiated"))
    ]
    answer = api_for(cast.worker).post(url, {"findings": rows}, format="json")
    assert answer.status_code == 400 and "rationale" in str(answer.json()["findings"])
    for row in rows:
        row["rationale"] = "Interviews and records."
    answer = api_for(cast.worker).post(url, {"findings": rows}, format="json")
    assert answer.status_code == 200 and answer.json()["disposition"] == "indicated"
    assert [a["finding"] for a in answer.json()["allegations"]] == ["indicated", "unsubstantiated"]
    assert api_for(cast.worker).post(_url("api_investigation_submit_findings", investigation)).status_code == 200
    worker_try = api_for(cast.worker).post(_url("api_investigation_approve_findings", investigation))
    assert worker_try.status_code == 403
    other_try = api_for(cast.other_supervisor).post(_url("api_investigation_approve_findings", investigation))
    assert other_try.status_code == 404
    answer = api_for(cast.supervisor).post(_url("api_investigation_return_findings", investigation), {})
    assert answer.status_code == 400 and "comment" in answer.json()
    answer = api_for(cast.supervisor).post(_url("api_investigation_approve_findings", investigation))
    assert answer.status_code == 200 and answer.json()["status"] == "findings_approved"
    assert answer.json()["findings_approved_by"] == str(cast.supervisor.public_id)


def test_the_api_refuses_an_allegation_of_another_report(cast, api_for):
    investigation, other = started(cast), started(cast)
    row = {"allegation": _row(other), "finding": "indicated", "found_on": "2030-01-01", "rationale": "x"}
    answer = api_for(cast.worker).post(
        _url("api_investigation_findings", investigation), {"findings": [row]}, format="json"
    )
    assert answer.status_code == 400 and "Not a standing allegation" in answer.json()["findings"][0]


def test_the_api_closure_names_what_is_missing_then_closes_opening_no_case(cast, api_for):
    investigation = approved(cast)
    url = _url("api_investigation_closure", investigation)
    assert api_for(cast.auditor).get(url).json()["closure_missing"] == [
        "a safety assessment",
        "a risk assessment",
        f"a first face-to-face contact with {list(open_allegations(investigation))[0].victim.full_name} "
        "(met, or excused with a reason)",
    ]
    assert api_for(cast.auditor).post(url, {"closure_outcome": "no_services"}).status_code == 403
    answer = api_for(cast.worker).post(url, {"closure_outcome": "no_services"})
    assert answer.status_code == 400 and "It still needs: a safety assessment" in answer.json()["__all__"][0]
    complete(cast, investigation)
    assert api_for(cast.worker).post(url, {"closure_outcome": "no_services"}).status_code == 200
    answer = api_for(cast.supervisor).post(_url("api_investigation_approve_closure", investigation))
    assert answer.status_code == 200
    assert answer.json()["status"] == "closed" and answer.json()["opened_case"] is None
    refused = api_for(cast.supervisor).post(_url("api_investigation_return_closure", investigation), {"comment": "x"})
    assert refused.status_code == 400 and "closed cannot" in str(refused.json())
