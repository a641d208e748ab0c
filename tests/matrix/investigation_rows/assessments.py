"""Permission matrix rows of the investigation's assessments pages and API (merged into tests.matrix.rows.MATRIX).

The investigation's assigned worker and the unit's supervisor record assessments and plans; the program manager
and the auditor read them (403 on writes); the screener and the administrator see none of them (404), nor does
another unit's caseworker."""

from tests.conftest import Cast
from tests.matrix.harness import CASE_CHANGERS, OTHER_UNIT, SIGN_IN, Row, case_records, form, investigation, row, writes


def _recorded(cast: Cast) -> dict:
    """A safety assessment, a safety plan and a risk assessment on the matrix investigation, made once per cast."""
    from investigations.services.assessments import safety_plan_create
    from tests.investigations.assessment_data import new_plan, record_risk, record_safety

    if not hasattr(cast, "_matrix_assessments"):
        record = case_records(cast)
        victim = record.report.participants.get(role="alleged_victim").person
        cast._matrix_assessments = {
            "safety": record_safety(cast.worker, record),
            "plan": safety_plan_create(actor=cast.worker, investigation=record, plan=new_plan(victim)),
            "risk": record_risk(cast.worker, record),
        }
    return cast._matrix_assessments


def safety_assessment(cast: Cast) -> dict:
    return {"public_id": _recorded(cast)["safety"].public_id}


def safety_plan(cast: Cast) -> dict:
    return {"public_id": _recorded(cast)["plan"].public_id}


def risk_assessment(cast: Cast) -> dict:
    return {"public_id": _recorded(cast)["risk"].public_id}


# Who may not see the investigation, on a URL naming one of its assessments.
HIDDEN = {"intake_screener": 404, "administrator": 404, OTHER_UNIT: 404}
CHANGE_PAGE = {"anonymous": SIGN_IN, "caseworker": 200, "supervisor": 200}

ROWS: dict[str, Row] = {
    **{
        name: row(403, **CHANGE_PAGE, intake_screener=404, administrator=404, kwargs=investigation, post=form())
        for name in ("safety_assessment_create", "safety_plan_create", "risk_assessment_create")
    },
    **{
        name: row(403, **CHANGE_PAGE, **HIDDEN, kwargs=safety_plan, post=form())
        for name in ("safety_plan_review", "safety_plan_end")
    },
    **{
        name: row(200, anonymous=SIGN_IN, **HIDDEN, kwargs=kwargs)
        for name, kwargs in (
            ("safety_assessment_detail", safety_assessment),
            ("safety_plan_detail", safety_plan),
            ("risk_assessment_detail", risk_assessment),
        )
    },
    **{
        name: row(
            200,
            anonymous=403,
            intake_screener=404,
            administrator=404,
            kwargs=investigation,
            post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
        )
        for name in (
            "api_investigation_safety_assessments",
            "api_investigation_safety_plans",
            "api_investigation_risk_assessments",
        )
    },
    **{
        name: row(200, anonymous=403, **HIDDEN, kwargs=kwargs)
        for name, kwargs in (
            ("api_safety_assessment", safety_assessment),
            ("api_safety_plan", safety_plan),
            ("api_risk_assessment", risk_assessment),
        )
    },
    **{
        name: row(405, anonymous=403, kwargs=safety_plan, post=writes(403, accept=CASE_CHANGERS, **HIDDEN))
        for name in ("api_safety_plan_review", "api_safety_plan_end")
    },
    # The lists a client builds its forms from: any case role reads them.
    "api_safety_threat_list": row(200, anonymous=403, administrator=403),
    "api_risk_item_list": row(200, anonymous=403, administrator=403),
}
