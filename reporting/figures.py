"""The unit dashboard's counts in one SQL statement: each figure a branch of one UNION ALL.

Why SQL and not the ORM: the dashboard is a dozen grouped counts over the same cases. Built with the
ORM, each took 2 to 4 ms of Python to compile and a round trip with its own planning; as one
statement they cost one round trip, and the Python is string assembly. The drill-downs still list
their rows with the ORM (`reporting.selectors.drilldown`); both define the same sets, and the tests
compare every number with its list on generated units, for both kinds of case filter below.

The SQL is portable between PostgreSQL and SQLite (the zero-setup `make run`): no casts, no FILTER,
no arrays but through `among` (common/sql.py), every value a parameter adapted by the connection's own operations.
The members' figures are not written here: each is the ORM filter its drill-down uses (the visit
rule's from `cases.visit_rule`), compiled to SQL by the ORM itself (`member_condition`).

Each branch yields (figure, who, month, counts...): the figure's name, the worker or requester it is
grouped by (None for the units), the month for the chart, and as many counts as every branch has
(the widest: the open cases, each members' figure, and the closures awaiting approval).
"""

from datetime import date, datetime
from typing import Protocol

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query

from cases.choices import CaseStatus, ContactLocation, ContactType, MemberRole
from cases.models import Case, CaseAssignment, CaseMember, Contact
from common.sql import among

Row = tuple  # (figure, who, month, counts...)
MEMBER_ALIAS = "m"


class Period(Protocol):
    """A calendar month as the SQL compares it: its local first day, the next month's, and the
    moments they begin (`reporting.selectors.Month`)."""

    first: date
    next_first: date
    start: datetime
    end: datetime


def _date(value: date):
    return connection.ops.adapt_datefield_value(value)


def _moment(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _in_view(column: str, case_ids: list[int] | RawSQL) -> tuple[str, list]:
    """`column` (a case id) among the cases in view: the fetched ids; or, when they were too many to
    fetch, the access policy's own SQL, in the CTE `in_view` and read from there by every other use."""
    if not isinstance(case_ids, RawSQL):
        return among(column, case_ids)
    if column == "id":
        return f"id IN ({case_ids.sql})", list(case_ids.params)
    return f"{column} IN (SELECT id FROM in_view)", []  # noqa: S608 - a column name of ours


def member_condition(condition: Q) -> tuple[str, list]:
    """A filter on case members, as the drill-downs apply it, in SQL over the members aliased `m`:
    compiled by the ORM, so the count and its list share one definition. No joins: a member's own row."""
    query = Query(CaseMember)
    query.where = query.build_where(condition)
    query.change_aliases({query.get_initial_alias(): MEMBER_ALIAS})
    return query.get_compiler(connection=connection).compile(query.where)


def _padded(columns: str, given: int, width: int) -> str:
    """`given` count columns, then zeros up to `width`: every branch of the UNION has the same columns."""
    return ", ".join([columns, *["0"] * (width - given)])


def _grouped_branch(figure: str, queryset: QuerySet, width: int) -> tuple[str, list]:
    """A branch from an ORM queryset grouped to (who, n): for figures whose rows the access policy
    decides directly (investigations, reports), compiled by the ORM."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return "", []
    counts = _padded("g.n", 1, width)
    return f"SELECT %s, g.who, NULL, {counts} FROM ({sql}) g", [figure, *params]  # noqa: S608 - the ORM's SQL


def unit_figures(
    *,
    case_ids: list[int] | RawSQL,
    worker_ids: list[int],
    member_figures: dict[str, Q],
    months: list[Period],
    grouped: dict[str, QuerySet],
) -> list[Row]:
    """Every count of the unit dashboard in one statement.

    Open cases, and their members in each filter of `member_figures` (in its order, after the count
    of cases), per worker (through the worker's active assignments) and per closure requester (each
    case once, so the units' totals are the sums; the requester's row ends with their closures
    awaiting approval); face-to-face visits this month per recorder; children in out-of-home care and
    the visits that saw them, for each of the `months` (the chart) and per worker for the last of
    them; and each queryset of `grouped`, which must select `who` and a count `n`.
    """
    month = months[-1]
    tables = {
        "case": Case._meta.db_table,
        "assignment": CaseAssignment._meta.db_table,
        "member": CaseMember._meta.db_table,
        "contact": Contact._meta.db_table,
        "seen": Contact.people_seen.through._meta.db_table,
    }
    fetched = not isinstance(case_ids, RawSQL)
    in_view, in_view_params = _in_view("id", case_ids)
    members_in_view, members_in_view_params = _in_view("m.case_id", case_ids)
    contacts_in_view, contacts_in_view_params = _in_view("ct.case_id", case_ids)
    postgresql = connection.vendor == "postgresql"
    # How PostgreSQL is to plan the row sets below. For a unit (fetched ids), each once, reused: a
    # few hundred rows. Beyond that (an agency), folded into each use, where the planner sees the
    # tables' own statistics: from a CTE's it estimated 200 rows where there were 1.8 million, and
    # joined by nested loops (all 1,250 units: 22 to 35 s; folded in, 12 to 20). The visits that saw
    # a child in care, for a unit: looked up on the cases with children in care only, and apart;
    # folded into the join with the children, they were planned from poor estimates (49 ms instead
    # of 3), and over all the unit's cases the scan went parallel (12 ms).
    shared = "" if fetched or not postgresql else "NOT MATERIALIZED "
    seen_kept = "MATERIALIZED " if postgresql and fetched else shared
    seen_cases, seen_cases_params = (
        ("ct.case_id IN (SELECT case_id FROM care)", []) if fetched else (contacts_in_view, contacts_in_view_params)
    )
    workers, workers_params = among("worker_id", worker_ids)
    months_rows = ", ".join(["(%s, %s, %s, %s)"] * len(months))
    months_params = [
        value
        for period in months
        for value in (_date(period.first), _date(period.next_first), _moment(period.start), _moment(period.end))
    ]
    month_of = " ".join(["WHEN ct.occurred_at >= %s THEN %s"] * len(months))
    month_of_params = [value for period in reversed(months) for value in (_moment(period.start), _date(period.first))]
    residence = "SUM(CASE WHEN cv.location = %s THEN 1 ELSE 0 END)"
    # Open cases and their members' counts (the cases counted once however many members).
    case_counts, case_counts_params = "COUNT(DISTINCT c.id)", []
    for condition in member_figures.values():
        condition_sql, condition_params = member_condition(condition)
        case_counts += f",\n  SUM(CASE WHEN {condition_sql} THEN 1 ELSE 0 END)"
        case_counts_params += condition_params
    width = 2 + len(member_figures)  # the cases, each members' figure, the closures awaiting approval

    def counts(columns: str, given: int) -> str:
        return _padded(columns, given, width)

    sql = f"""
WITH in_view AS {shared}(
  SELECT id, status, closure_requested_by_id, opened_at, closed_at FROM {tables["case"]} WHERE {in_view}
), assigned AS (
  SELECT case_id, worker_id FROM {tables["assignment"]} WHERE ended_at IS NULL AND {workers}
), members AS {shared}(
  SELECT m.id, m.case_id, m.person_id, m.role, m.started_on, m.ended_on, m.requires_visit,
    m.face_to_face_due, m.last_face_to_face_at, m.in_care_since, m.in_care_until
  FROM {tables["member"]} m WHERE {members_in_view}
), months (first_day, next_first, starts, ends) AS (
  VALUES {months_rows}
), care AS {shared}(
  SELECT m.id AS member_id, m.case_id, m.person_id, mo.first_day
  FROM in_view c
  JOIN members m ON m.case_id = c.id
  JOIN months mo ON m.in_care_since < mo.next_first AND m.started_on < mo.next_first AND c.opened_at < mo.ends
    AND (m.in_care_until IS NULL OR m.in_care_until >= mo.first_day)
    AND (m.ended_on IS NULL OR m.ended_on >= mo.first_day)
    AND (c.closed_at IS NULL OR c.closed_at >= mo.starts)
  WHERE m.role = %s
), seen AS {seen_kept}(
  SELECT ct.case_id, ps.person_id, ct.location, CASE {month_of} END AS first_day
  FROM {tables["contact"]} ct JOIN {tables["seen"]} ps ON ps.contact_id = ct.id
  WHERE {seen_cases} AND ct.contact_type = %s
    AND ct.occurred_at >= %s AND ct.occurred_at < %s
), care_visits AS {shared}(
  SELECT care.member_id, care.case_id, care.first_day, seen.location
  FROM care JOIN seen ON seen.case_id = care.case_id AND seen.person_id = care.person_id
    AND seen.first_day = care.first_day
)
SELECT %s, a.worker_id, CAST(NULL AS DATE), {counts(case_counts, width - 1)}
FROM assigned a JOIN in_view c ON c.id = a.case_id LEFT JOIN members m ON m.case_id = c.id
WHERE c.status <> %s GROUP BY a.worker_id
UNION ALL
SELECT %s, c.closure_requested_by_id, NULL, {case_counts}, COUNT(DISTINCT CASE WHEN c.status = %s THEN c.id END)
FROM in_view c LEFT JOIN members m ON m.case_id = c.id
WHERE c.status <> %s GROUP BY c.closure_requested_by_id
UNION ALL
SELECT %s, ct.recorded_by_id, NULL, {counts("COUNT(*)", 1)}
FROM {tables["contact"]} ct
WHERE {contacts_in_view} AND ct.contact_type = %s AND ct.occurred_at >= %s AND ct.occurred_at < %s
GROUP BY ct.recorded_by_id
UNION ALL
SELECT %s, NULL, care.first_day, {counts("COUNT(*)", 1)} FROM care GROUP BY care.first_day
UNION ALL
SELECT %s, NULL, cv.first_day, {counts(f"COUNT(DISTINCT cv.member_id), COUNT(*), {residence}", 3)}
FROM care_visits cv GROUP BY cv.first_day
UNION ALL
SELECT %s, a.worker_id, NULL, {counts("COUNT(*)", 1)}
FROM care JOIN assigned a ON a.case_id = care.case_id WHERE care.first_day = %s GROUP BY a.worker_id
UNION ALL
SELECT %s, a.worker_id, NULL, {counts(f"COUNT(DISTINCT cv.member_id), COUNT(*), {residence}", 3)}
FROM care_visits cv JOIN assigned a ON a.case_id = cv.case_id WHERE cv.first_day = %s GROUP BY a.worker_id"""  # noqa: S608 - table names from the models, fixed fragments; every value a parameter
    params = [
        *in_view_params,
        *workers_params,
        *members_in_view_params,
        *months_params,
        MemberRole.CHILD,
        *month_of_params,
        *seen_cases_params,
        ContactType.FACE_TO_FACE,
        _moment(months[0].start),
        _moment(month.end),
        "worker_cases",
        *case_counts_params,
        CaseStatus.CLOSED,
        "requester_cases",
        *case_counts_params,
        CaseStatus.CLOSURE_REQUESTED,
        CaseStatus.CLOSED,
        "visits",
        *contacts_in_view_params,
        ContactType.FACE_TO_FACE,
        _moment(month.start),
        _moment(month.end),
        "care",
        "care_visits",
        ContactLocation.RESIDENCE,
        "worker_care",
        _date(month.first),
        "worker_care_visits",
        ContactLocation.RESIDENCE,
        _date(month.first),
    ]
    for figure, queryset in grouped.items():
        branch, branch_params = _grouped_branch(figure, queryset, width)
        if branch:
            sql += f"\nUNION ALL\n{branch}"
            params += branch_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Sums of counts come back as numeric on PostgreSQL: whole numbers all the same.
        return [(figure, who, month, *map(int, counts)) for figure, who, month, *counts in cursor.fetchall()]
