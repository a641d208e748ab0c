"""Permission matrix rows of the investigation's deadlines pages and API, and of the agency's holidays
(merged into tests.matrix.rows.MATRIX)."""

from datetime import date

from tests.matrix.harness import (
    SIGN_IN,
    Redirect,
    Row,
    case_records,
    form,
    investigation,
    row,
    writes,
)


def holiday(cast) -> dict:
    """A holiday, made once per cast (the matrix rolls every write back)."""
    from records.models import Holiday

    Holiday.objects.get_or_create(date=date(2031, 12, 25), defaults={"name": "Christmas Day"})
    return {"day": "2031-12-25"}


def child_deadline(cast) -> dict:
    """The first-contact deadline of the matrix investigation's alleged child."""
    deadline = case_records(cast).child_deadlines.select_related("person").get()
    return {"public_id": case_records(cast).public_id, "person_id": deadline.person.public_id}


# Who may see the investigation but not take the supervisor's decision: 403; who may not see it: 404.
HIDDEN = {"intake_screener": 404, "administrator": 404, "other_unit_caseworker": 404}

ROWS: dict[str, Row] = {
    # Holidays are configuration kept by administrators: nobody else opens them.
    "holiday_list": row(403, anonymous=SIGN_IN, administrator=200, post=form()),
    "holiday_remove": row(
        403, anonymous=SIGN_IN, administrator=200, kwargs=holiday, post=form(Redirect("holiday_list"))
    ),
    "api_holiday_list": row(403, administrator=200, post=writes(403, accept=("administrator",))),
    "api_holiday_detail": row(
        403, administrator=200, kwargs=holiday, delete=writes(403, accept=("administrator",), answer=204)
    ),
    # A child's first-contact deadline is excused by the unit's supervisor only.
    "child_deadline_excuse": row(403, anonymous=SIGN_IN, supervisor=200, kwargs=child_deadline, post=form(), **HIDDEN),
    "api_investigation_deadlines": row(
        200, anonymous=403, intake_screener=404, administrator=404, kwargs=investigation
    ),
    "api_child_deadline_excuse": row(
        405,
        anonymous=403,
        kwargs=child_deadline,
        post=writes(403, accept=("supervisor",), **HIDDEN),
    ),
}
