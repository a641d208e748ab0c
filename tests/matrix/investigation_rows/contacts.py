"""Permission matrix rows of the investigation's contacts pages and API (merged into tests.matrix.rows.MATRIX).

The contact form and the contacts API of an investigation have their rows in tests.matrix.rows (they came
first); the cross-reports are here. Who changes the investigation (its worker, the unit's supervisor) records
one; the program manager and auditor read (403 on the page and on writes); the screener, another unit's
caseworker and the administrator do not see the investigation (404).
"""

from tests.matrix.harness import CASE_CHANGERS, SIGN_IN, Row, form, investigation, row, writes

ROWS: dict[str, Row] = {
    "investigation_cross_report_create": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=404,
        caseworker=200,
        supervisor=200,
        administrator=404,
        kwargs=investigation,
        post=form(),
    ),
    "api_investigation_cross_reports": row(
        200,
        anonymous=403,
        intake_screener=404,
        administrator=404,
        kwargs=investigation,
        post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
    ),
}
