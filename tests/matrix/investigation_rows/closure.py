"""Permission matrix rows of the investigation's findings and closure pages and API, and of the supervisors'
approval queue (merged into tests.matrix.rows.MATRIX).

The matrix investigation is assigned, not yet in progress: whoever may act reaches the service, which refuses
the move from that status (the form again, or a 400 naming it)."""

from tests.matrix.harness import CASE_CHANGERS, SIGN_IN, Row, form, investigation, reason_body, row, writes

# The worker's pages: whoever may change the investigation (its worker, the unit's supervisor); readers 403.
WORKER_PAGES = (
    "investigation_findings",
    "investigation_findings_submit",
    "investigation_findings_reopen",
    "investigation_closure_request",
)
# The supervisor's decisions: the unit's supervisor only; the worker, who may change it, 403.
SUPERVISOR_PAGES = ("investigation_findings_review", "investigation_closure_review")
WORKER_ACTIONS = ("api_investigation_submit_findings", "api_investigation_reopen_findings")
SUPERVISOR_ACTIONS = (
    "api_investigation_approve_findings",
    "api_investigation_return_findings",
    "api_investigation_approve_closure",
    "api_investigation_return_closure",
)
HIDDEN = {"intake_screener": 404, "administrator": 404}

ROWS: dict[str, Row] = {
    **{
        name: row(403, anonymous=SIGN_IN, caseworker=200, supervisor=200, kwargs=investigation, post=form(), **HIDDEN)
        for name in WORKER_PAGES
    },
    **{
        name: row(403, anonymous=SIGN_IN, supervisor=200, kwargs=investigation, post=form(), **HIDDEN)
        for name in SUPERVISOR_PAGES
    },
    # Reading the findings and closure is for whoever reads the investigation; writing for whoever changes it.
    **{
        name: row(200, anonymous=403, kwargs=investigation, post=writes(403, accept=CASE_CHANGERS, **HIDDEN), **HIDDEN)
        for name in ("api_investigation_findings", "api_investigation_closure")
    },
    **{
        name: row(
            405,
            anonymous=403,
            kwargs=investigation,
            body=reason_body,
            post=writes(403, accept=CASE_CHANGERS, **HIDDEN),
        )
        for name in WORKER_ACTIONS
    },
    **{
        name: row(
            405,
            anonymous=403,
            kwargs=investigation,
            body=reason_body,
            post=writes(403, accept=("supervisor",), **HIDDEN),
        )
        for name in SUPERVISOR_ACTIONS
    },
    # The approval queue: a supervisor's, across record types.
    "approval_queue": row(403, anonymous=SIGN_IN, supervisor=200),
    "api_approval_queue": row(403, anonymous=403, supervisor=200),
}
