"""The permission matrix: every URL of the project, opened with GET and written to (POST; PUT, PATCH and
DELETE where an API view takes them) by every role.

Who may open or change what is decided in several layers (LoginRequiredMiddleware, the view's
method and capability checks, the access policy's 404s, DRF's PolicyPermission, the services'
own checks, the admin site). This file states the outcome of all of them in one table, so that
a new URL cannot ship without someone deciding who may open it and who may write to it, and a
change in any layer that opens or closes a URL shows up here as a named cell.

Writes go out with an empty body (or the row's minimal one): a role that may not change a record
is refused before its body is read, 404 when it may not see the record, 403 when it may see it
but not change it. A role that may write gets whatever its empty form earns (the form again with
its errors, a 400, a redirect); the table records that answer too. No write is ever answered 500,
and none is answered 2xx unless the table says the role may write (`Accepted`). Every write runs
in a savepoint rolled back after it, so each one meets the same records.

The Django admin (namespace "admin") is not in the table: one rule covers the whole
namespace, see `admin_expectation` (and `admin_write_expectation`). Nothing else is excluded: static files are served by
WhiteNoise's middleware, not by a URL pattern, so the resolver holds no static route.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from rest_framework.views import APIView

from accounts.models import User
from accounts.roles import Role
from tests.conftest import Cast
from tests.factories import make_staff

ANONYMOUS = "anonymous"
ROLES = (
    ANONYMOUS,
    "intake_screener",
    "caseworker",
    "supervisor",
    "program_manager",
    "administrator",
    "auditor",
    "other_unit_caseworker",
)
# A caseworker of the cast's other unit: a caseworker's capabilities, none of this unit's records.
OTHER_UNIT = "other_unit_caseworker"
ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location path is the named URL (any query string, e.g. ?next=, is ignored)."""

    to: str

    def __str__(self) -> str:
        return f"302 -> {reverse(self.to)}"


Expected = int | Redirect
KwargsFor = Callable[[Cast], dict]


@dataclass(frozen=True)
class Accepted:
    """The role may write here; with the matrix's body the view answers `answer` (its form again with the
    errors, a 400 naming them, a redirect after the change: whatever it is, it is recorded here)."""

    answer: Expected

    def __str__(self) -> str:
        return f"{self.answer} (may write)"


Write = Expected | Accepted
# (the row's GET answers, whether the URL is the API's, whether it names one of the cast unit's records)
WriteSpec = Callable[[dict[str, Expected], bool, bool], dict[str, Write]]


@dataclass(frozen=True)
class Row:
    expected: dict[str, Expected]
    kwargs: KwargsFor
    writes: dict[str, WriteSpec]
    body: Callable[[Cast], dict]


def no_kwargs(cast: Cast) -> dict:
    return {}


def staff_member(cast: Cast) -> dict:
    return {"public_id": cast.worker.public_id}


def unit(cast: Cast) -> dict:
    return {"public_id": cast.unit.public_id}


def audit_target(cast: Cast) -> dict:
    return {"target_type": "accounts.user", "target_id": str(cast.worker.public_id)}


def change_request(cast: Cast) -> dict:
    """A password reset of cast.worker waiting for a second administrator, filed once per cast."""
    from accounts import duties

    if not hasattr(cast, "_matrix_change_request"):
        _, cast._matrix_change_request = duties.staff_password_reset(
            actor=cast.administrator, user=cast.worker, reason="Locked out"
        )
    return {"public_id": cast._matrix_change_request.public_id}


def password_link(cast: Cast) -> dict:
    """A one-time link whose token does not hold: the page answers alike for any account or none."""
    return {"public_id": cast.worker.public_id, "token": "c0ffee-0123456789abcdef0123456789abcdef"}


def case_records(cast: Cast):
    """Case records for the matrix, made once per cast: a report screened in by the screener
    (in cast.unit, supervised by cast.supervisor) whose investigation is assigned to cast.worker."""
    from tests.factories import make_investigation

    if not hasattr(cast, "_matrix_investigation"):
        cast._matrix_investigation = make_investigation(cast.screener, worker=cast.worker)
    return cast._matrix_investigation


def notification(cast: Cast) -> dict:
    """A notification of cast.worker's, made once per cast: only its recipient may mark it read."""
    from accounts.notifications import notify

    if not hasattr(cast, "_matrix_notification"):
        [cast._matrix_notification] = notify(recipients=[cast.worker], message="The matrix's notification.")
    return {"public_id": cast._matrix_notification.public_id}


def investigation(cast: Cast) -> dict:
    return {"public_id": case_records(cast).public_id}


def report(cast: Cast) -> dict:
    return {"public_id": case_records(cast).report.public_id}


def report_section(cast: Cast) -> dict:
    return {**report(cast), "section": "report"}


def allegation(cast: Cast) -> dict:
    return {"public_id": case_records(cast).report.allegations.get().public_id}


def person(cast: Cast) -> dict:
    """The alleged victim on the matrix report."""
    victim = case_records(cast).report.participants.get(role="alleged_victim").person
    return {"public_id": victim.public_id}


def matrix_household(cast: Cast):
    """A household of the matrix person, made once per cast through the service."""
    from django.utils import timezone

    from families import services as family_services
    from families.models import Person

    if not hasattr(cast, "_matrix_household"):
        cast._matrix_household = family_services.household_create(
            actor=cast.screener,
            name="Matrix household",
            address="",
            members=[Person.objects.get(**person(cast))],
            started_on=timezone.localdate(),
        )
    return cast._matrix_household


def household(cast: Cast) -> dict:
    return {"public_id": matrix_household(cast).public_id}


def household_member(cast: Cast) -> dict:
    return {"public_id": matrix_household(cast).memberships.get().public_id}


def matrix_case(cast: Cast):
    """An open case of cast.unit, assigned to cast.worker, with one contact the worker recorded."""
    from django.utils import timezone

    from cases import services as casework
    from tests.factories import make_case

    if not hasattr(cast, "_matrix_case"):
        case = make_case(cast.supervisor, worker=cast.worker)
        parent = case.members.get(role="parent")
        contact = casework.contact_record(
            actor=cast.worker,
            case=case,
            occurred_at=timezone.now(),
            contact_type="face_to_face",
            location="residence",
            people_seen=[parent.person],
            narrative="Home visit.",
        )
        cast._matrix_case = (case, parent, contact)
    return cast._matrix_case


def case(cast: Cast) -> dict:
    return {"public_id": matrix_case(cast)[0].public_id}


def case_member_page(cast: Cast) -> dict:
    case, member, _ = matrix_case(cast)
    return {"public_id": case.public_id, "member_id": member.public_id}


def case_member(cast: Cast) -> dict:
    return {"public_id": matrix_case(cast)[1].public_id}


def contact(cast: Cast) -> dict:
    return {"public_id": matrix_case(cast)[2].public_id}


def drilldown(cast: Cast) -> dict:
    return {"metric": "overdue"}


def no_body(cast: Cast) -> dict:
    return {}


def household_body(cast: Cast) -> dict:
    return {"household": str(matrix_household(cast).public_id)}


def membership_body(cast: Cast) -> dict:
    return {"membership": str(matrix_household(cast).memberships.get().public_id)}


def reason_body(cast: Cast) -> dict:
    """Enough for the serializer: the supervisor-only case actions check the role in the service, after it."""
    return {"reason": "Checked by the permission matrix.", "comment": "Checked by the permission matrix."}


def restriction_body(cast: Cast) -> dict:
    """A valid restriction change: the service checks the actor supervises the case, once the body is valid."""
    return {"access_restriction": "none", "reason": "Checked by the permission matrix."}


def assignment_body(cast: Cast) -> dict:
    """The assigning services check that the actor supervises, once the body is valid."""
    return {"worker": str(cast.worker.public_id), "role": "secondary"}


# URL kwargs naming one of cast.unit's records, which another unit's caseworker may not see.
UNIT_RECORDS = {
    notification,
    investigation,
    report,
    report_section,
    allegation,
    person,
    household,
    household_member,
    case,
    case_member_page,
    case_member,
    contact,
}


def grant_of(kwargs: KwargsFor) -> KwargsFor:
    """A grant id on the record: any will do, the revoke endpoints are POST only."""
    return lambda cast: {**kwargs(cast), "grant_id": "user-1"}


# Each record taking grants, and who may grant on it (the rest who read it get 403; the screener cannot
# see cases or investigations, 404).
GRANT_RECORDS = (
    ("case", case, {"intake_screener": 404, "caseworker": 200, "supervisor": 200}),
    ("investigation", investigation, {"intake_screener": 404, "caseworker": 200, "supervisor": 200}),
    ("report", report, {"intake_screener": 200, "caseworker": 200, "supervisor": 200}),
)


def granting(granters: dict) -> tuple[str, ...]:
    """The roles that may grant on a record: those who read its grants page (200)."""
    return tuple(role for role, answer in granters.items() if answer == 200)


def hidden(granters: dict) -> dict:
    """The roles that may not see the record at all (404)."""
    return {role: answer for role, answer in granters.items() if answer == 404}


def checked_roles(per_role: dict) -> None:
    unknown = per_role.keys() - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles in the permission matrix: {sorted(unknown)}")


def for_every_role(everyone: Write, given: dict[str, Write], names_a_unit_record: bool) -> dict[str, Write]:
    """The `given` answers, and `everyone` for each role not given. Another unit's caseworker, unless given,
    is answered as the caseworker, except on a URL naming one of cast.unit's records: 404 there (they may
    not see it), unless the method itself is refused before any lookup (405)."""
    answers = {role: given.get(role, everyone) for role in ROLES}
    if OTHER_UNIT not in given:
        theirs = answers["caseworker"]
        answers[OTHER_UNIT] = 404 if names_a_unit_record and theirs != 405 else theirs
    return answers


def row(
    everyone: Expected,
    *,
    kwargs: KwargsFor = no_kwargs,
    body: Callable[[Cast], dict] = no_body,
    post: WriteSpec | None = None,
    put: WriteSpec | None = None,
    patch: WriteSpec | None = None,
    delete: WriteSpec | None = None,
    **per_role: Expected,
) -> Row:
    """One matrix row: `everyone` for each role not named in `per_role` on GET; `post` (and for an API view,
    `put`, `patch` and `delete` when it takes them) say who may write. A URL without `post` takes no writes."""
    checked_roles(per_role)
    expected = for_every_role(everyone, per_role, kwargs in UNIT_RECORDS)
    methods = {"POST": post or no_writes, "PUT": put, "PATCH": patch, "DELETE": delete}
    return Row(expected=expected, kwargs=kwargs, writes={m: spec for m, spec in methods.items() if spec}, body=body)


def no_writes(reads: dict[str, Expected], api: bool, names_a_unit_record: bool) -> dict[str, Write]:
    """A URL that takes no writes. A page refuses the method (405) before anything else; the API checks
    the capability first (DRF's PolicyPermission: 403), then the method (405). Anonymous visitors are
    turned away as on GET."""
    return {role: reads[role] if role == ANONYMOUS or (api and reads[role] == 403) else 405 for role in ROLES}


def checked(answers: dict[str, Write]) -> dict[str, Write]:
    """No write is ever answered 5xx, and only a role that may write (Accepted) is answered 2xx."""
    for role, answer in answers.items():
        status = answer.answer if isinstance(answer, Accepted) else answer
        if isinstance(status, int) and status >= 500:
            raise ValueError(f"{role}: no write may be answered {status}")
        if isinstance(status, int) and 200 <= status < 300 and not isinstance(answer, Accepted):
            raise ValueError(f"{role}: a write answered {status} is a write that went through: Accepted({status})")
    return answers


def form(answer: Expected = 200, **per_role: Write) -> WriteSpec:
    """A page that posts its form back to itself: whoever may open it (GET 200) may send it, answered
    `answer` with an empty form; everyone else is refused as on GET."""
    checked_roles(per_role)

    def answers(reads: dict[str, Expected], api: bool, names_a_unit_record: bool) -> dict[str, Write]:
        return checked(
            {role: per_role.get(role, Accepted(answer) if reads[role] == 200 else reads[role]) for role in ROLES}
        )

    return answers


def writes(everyone: Write, *, accept: tuple[str, ...] = (), answer: Expected = 400, **per_role: Write) -> WriteSpec:
    """`everyone` for each role not named; the roles in `accept` may write and are answered `answer`."""
    checked_roles(per_role)
    checked_roles(dict.fromkeys(accept))

    def answers(reads: dict[str, Expected], api: bool, names_a_unit_record: bool) -> dict[str, Write]:
        given = {role: Accepted(answer) for role in accept} | per_role
        return checked(for_every_role(everyone, given, names_a_unit_record))

    return answers


# Who may change a report (its screener, its investigator, the unit supervisor) and an open case.
REPORT_CHANGERS = ("intake_screener", "caseworker", "supervisor")
CASE_CHANGERS = ("caseworker", "supervisor")


# Anonymous visitors of a page are sent to the sign-in form by LoginRequiredMiddleware.
SIGN_IN = Redirect("login")

MATRIX: dict[str, Row] = {
    # The sign-in form is the one public page; a signed-in user is sent home from it.
    "login": row(Redirect("home"), anonymous=200, post=writes(Redirect("home"), anonymous=Accepted(200))),
    # Django 5's LogoutView only accepts POST; it is not exempt from LoginRequiredMiddleware.
    "logout": row(405, anonymous=SIGN_IN, post=writes(Accepted(SIGN_IN), anonymous=SIGN_IN)),
    "home": row(200, anonymous=SIGN_IN),
    # Everyone's own notifications; marking read is POST only.
    "notification_list": row(200, anonymous=SIGN_IN),
    "notification_read": row(
        405, anonymous=SIGN_IN, post=writes(Accepted(Redirect("notification_list")), anonymous=SIGN_IN)
    ),
    "password_change": row(200, anonymous=SIGN_IN, post=form()),
    # The one-time code step of a sign-in: public, but without a password step just done it goes back to sign-in.
    "sign_in_code": row(Redirect("home"), anonymous=SIGN_IN, post=writes(Redirect("home"), anonymous=SIGN_IN)),
    # Everyone's own password confirmation and second factor.
    "reauthenticate": row(200, anonymous=SIGN_IN, post=form()),
    "second_factor": row(200, anonymous=SIGN_IN, post=form()),
    # The page a one-time link opens is public: the link's token, not a session, says whose password it sets.
    "password_set": row(200, kwargs=password_link, post=writes(Accepted(200))),
    # Staff and unit management: the manage_staff capability, administrators only.
    # Lists and create forms check the capability (403); object pages look the object up
    # through the policy, which answers 404 to anyone who may not see it.
    "staff_list": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_create": row(403, anonymous=SIGN_IN, administrator=200, post=form()),
    "staff_detail": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    **{
        name: row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member, post=form())
        for name in ("staff_edit", "staff_deactivate", "staff_reactivate")
    },
    # Resetting takes no form: it goes straight on to the temporary password.
    # Resetting a case reader's password asks a second administrator, for a reason: the form comes back without one.
    "staff_reset_password": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member, post=form()),
    "staff_temporary_password": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_approvals": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_approval": row(404, anonymous=SIGN_IN, administrator=200, kwargs=change_request, post=form()),
    "unit_list": row(403, anonymous=SIGN_IN, administrator=200),
    "unit_create": row(403, anonymous=SIGN_IN, administrator=200, post=form()),
    "unit_edit": row(404, anonymous=SIGN_IN, administrator=200, kwargs=unit, post=form()),
    # The audit log: the read_audit capability, administrators and auditors.
    "audit_list": row(403, anonymous=SIGN_IN, administrator=200, auditor=200),
    "audit_target": row(403, anonymous=SIGN_IN, administrator=200, auditor=200, kwargs=audit_target),
    # The API authenticates by session only, so DRF answers 403 (not 401) to anonymous callers.
    # PolicyPermission checks the capability before any object lookup or method dispatch:
    # 403 for a role without it, and only then 405 for a GET on a POST-only endpoint.
    "api_me": row(200, anonymous=403),
    "api_notification_list": row(200, anonymous=403),
    # Only its recipient finds the notification; for anyone else it does not exist.
    "api_notification_read": row(
        405, anonymous=403, kwargs=notification, post=writes(404, anonymous=403, caseworker=Accepted(200))
    ),
    "api_staff_list": row(403, administrator=200, post=writes(403, accept=("administrator",))),
    "api_staff_detail": row(
        403,
        administrator=200,
        kwargs=staff_member,
        put=writes(403, accept=("administrator",), answer=200),
        patch=writes(403, accept=("administrator",), answer=200),
    ),
    **{
        name: row(403, administrator=405, kwargs=staff_member, post=writes(403, accept=("administrator",)))
        for name in ("api_staff_deactivate", "api_staff_reactivate")
    },
    "api_staff_reset_password": row(
        403, administrator=405, kwargs=staff_member, post=writes(403, accept=("administrator",))
    ),
    "api_unit_list": row(403, administrator=200, post=writes(403, accept=("administrator",))),
    "api_unit_detail": row(
        403,
        administrator=200,
        kwargs=unit,
        put=writes(403, accept=("administrator",)),
        patch=writes(403, accept=("administrator",), answer=200),
    ),
    "api_change_request_list": row(403, administrator=200),
    "api_change_request_detail": row(403, administrator=200, kwargs=change_request),
    **{
        name: row(403, administrator=405, kwargs=change_request, post=writes(403, accept=("administrator",)))
        for name in ("api_change_request_approve", "api_change_request_refuse")
    },
    "api_audit_events": row(403, administrator=200, auditor=200),
    # People: searching needs a case role; recording needs record_people; records follow the policy
    # (the people on the reports one works, and their relatives); merging is a supervisor's.
    "person_search": row(200, anonymous=SIGN_IN, administrator=403),
    "person_create": row(200, anonymous=SIGN_IN, program_manager=403, administrator=403, auditor=403, post=form()),
    "person_detail": row(200, anonymous=SIGN_IN, administrator=404, kwargs=person),
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=200,
            caseworker=200,
            supervisor=200,
            administrator=404,
            kwargs=person,
            post=form(),
        )
        for name in ("person_edit", "person_add_alias", "person_move", "person_icwa", "relationship_create")
    },
    # Merging checks the capability before it looks the person up.
    "person_merge": row(403, anonymous=SIGN_IN, supervisor=200, kwargs=person, other_unit_caseworker=403, post=form()),
    "api_person_list": row(
        200,
        anonymous=403,
        administrator=403,
        post=writes(403, accept=(*REPORT_CHANGERS, OTHER_UNIT)),
    ),
    "api_person_detail": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=person,
        patch=writes(403, accept=REPORT_CHANGERS, answer=200, administrator=404),
    ),
    "api_person_relationships": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=person,
        post=writes(403, accept=REPORT_CHANGERS, administrator=404),
    ),
    "api_person_merge": row(
        403,
        supervisor=405,
        kwargs=person,
        other_unit_caseworker=403,
        post=writes(403, accept=("supervisor",), other_unit_caseworker=403),
    ),
    # Households are changed from a person's page with POST only; the API reads and writes them through their people.
    # An empty form gets the person's page again, with the form's errors.
    **{
        name: row(
            405,
            anonymous=SIGN_IN,
            kwargs=person,
            body=body,
            post=writes(403, accept=REPORT_CHANGERS, answer=200, anonymous=SIGN_IN, administrator=404),
        )
        for name, body in (
            ("household_create", no_body),
            ("household_member_add", household_body),
            ("household_member_end", membership_body),
        )
    },
    "api_person_households": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=person,
        post=writes(403, accept=REPORT_CHANGERS, administrator=404),
    ),
    "api_household_members": row(
        405, anonymous=403, kwargs=household, post=writes(403, accept=REPORT_CHANGERS, administrator=404)
    ),
    "api_household_member_end": row(
        405, anonymous=403, kwargs=household_member, post=writes(403, accept=REPORT_CHANGERS, administrator=404)
    ),
    # Intake: the queue is for screeners, supervisors and cross-unit readers; a report follows the
    # policy (screeners all, the unit supervisor, the assigned investigator, managers and auditors read).
    "intake_queue": row(200, anonymous=SIGN_IN, caseworker=403, administrator=403),
    "intake_create": row(403, anonymous=SIGN_IN, intake_screener=200, post=form()),
    "intake_detail": row(200, anonymous=SIGN_IN, administrator=404, kwargs=report),
    "intake_edit_section": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=200,
        caseworker=200,
        supervisor=200,
        administrator=404,
        kwargs=report_section,
        post=form(),
    ),
    # The matrix's report is screened in already: submitting it again only says so, on the report's page.
    "intake_submit": row(
        405,
        anonymous=SIGN_IN,
        kwargs=report,
        post=writes(403, accept=REPORT_CHANGERS, answer=302, anonymous=SIGN_IN, administrator=404),
    ),
    "intake_decide": row(403, anonymous=SIGN_IN, intake_screener=200, administrator=404, kwargs=report, post=form()),
    "intake_review": row(403, anonymous=SIGN_IN, supervisor=200, administrator=404, kwargs=report, post=form()),
    "intake_priority": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=200,
        caseworker=200,
        supervisor=200,
        administrator=404,
        kwargs=report,
        post=form(400),
    ),
    "intake_amend": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=200,
        caseworker=200,
        supervisor=200,
        administrator=404,
        kwargs=report,
        post=form(),
    ),
    # An empty POST is a new draft report (201), the screener's to fill in.
    "api_intake_report_list": row(
        200, anonymous=403, caseworker=403, administrator=403, post=writes(403, accept=("intake_screener",), answer=201)
    ),
    "api_intake_report_detail": row(
        200,
        anonymous=403,
        administrator=404,
        kwargs=report,
        patch=writes(403, accept=REPORT_CHANGERS, administrator=404),
    ),
    **{
        name: row(
            200,
            anonymous=403,
            administrator=404,
            kwargs=report,
            post=writes(403, accept=REPORT_CHANGERS, administrator=404),
        )
        for name in ("api_intake_report_people", "api_intake_report_allegations")
    },
    # Screening is the screener's, approving and returning it the supervisor's; the rest any of the report's changers'.
    **{
        f"api_intake_report_{action}": row(
            405, anonymous=403, kwargs=report, post=writes(403, accept=changers, administrator=404)
        )
        for action, changers in (
            ("submit", REPORT_CHANGERS),
            ("screen_in", ("intake_screener",)),
            ("screen_out", ("intake_screener",)),
            ("approve_screen_out", ("supervisor",)),
            ("return", ("supervisor",)),
            ("priority", REPORT_CHANGERS),
            ("decide_downgrade", ("supervisor",)),
            ("amend", REPORT_CHANGERS),
        )
    },
    "api_intake_allegation_withdraw": row(
        405, anonymous=403, kwargs=allegation, post=writes(403, accept=REPORT_CHANGERS, administrator=404)
    ),
    # Ongoing cases: opening and bulk reassignment are a supervisor's; a case follows the policy
    # (assigned workers, the unit supervisor; managers and auditors read; screeners and the administrator
    # see none). Worker-level changes are 200 for the worker and supervisor, supervisor-level ones only for them.
    "case_open": row(403, anonymous=SIGN_IN, supervisor=200, post=form()),
    "cases_reassign": row(403, anonymous=SIGN_IN, supervisor=200, post=form()),
    "case_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=case),
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=404,
            caseworker=200,
            supervisor=200,
            administrator=404,
            kwargs=kwargs,
            post=form(),
        )
        for name, kwargs in (
            ("case_member_add", case),
            ("case_request_closure", case),
            ("case_note_add", case),
            ("contact_create", case),
            ("case_member_end", case_member_page),
            ("case_member_care", case_member_page),
            ("contact_amend", contact),
            ("investigation_contact_create", investigation),
        )
    },
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=404,
            supervisor=200,
            administrator=404,
            kwargs=kwargs,
            post=form(),
        )
        for name, kwargs in (
            ("case_assign", case),
            ("case_review_closure", case),
            ("case_reopen", case),
            ("case_member_excuse", case_member_page),
            ("case_member_require", case_member_page),
        )
    },
    "contact_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=contact),
    "api_case_list": row(200, anonymous=403, administrator=403, post=writes(403, accept=("supervisor",))),
    "api_case_reassign_all": row(405, anonymous=403, administrator=403, post=writes(403, accept=("supervisor",))),
    **{
        name: row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=case)
        for name in ("api_case_detail", "api_case_assignments", "api_case_visit_status", "api_case_alerts")
    },
    **{
        name: row(
            200,
            anonymous=403,
            intake_screener=404,
            administrator=404,
            kwargs=case,
            post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
        )
        for name in ("api_case_members", "api_case_notes", "api_case_contacts")
    },
    # The supervisor-only actions check the role in the service, once the body is valid: hence their bodies.
    **{
        name: row(
            405,
            anonymous=403,
            kwargs=case,
            body=body,
            post=writes(403, accept=changers, intake_screener=404, administrator=404),
        )
        for name, body, changers in (
            ("api_case_assign", assignment_body, ("supervisor",)),
            ("api_case_request_closure", no_body, CASE_CHANGERS),
            ("api_case_approve_closure", no_body, ("supervisor",)),
            ("api_case_return_closure", reason_body, ("supervisor",)),
            ("api_case_reopen", reason_body, ("supervisor",)),
            ("api_case_restriction", restriction_body, ("supervisor",)),
        )
    },
    **{
        name: row(
            405,
            anonymous=403,
            kwargs=case_member,
            body=body,
            post=writes(403, accept=changers, answer=answer, intake_screener=404, administrator=404),
        )
        for name, body, changers, answer in (
            ("api_case_member_end", no_body, CASE_CHANGERS, 400),
            ("api_case_member_excuse", reason_body, ("supervisor",), 200),
            ("api_case_member_require_visits", reason_body, ("supervisor",), 200),
            ("api_case_member_care", no_body, CASE_CHANGERS, 400),
        )
    },
    "api_contact_detail": row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=contact),
    "api_contact_amend": row(
        405,
        anonymous=403,
        kwargs=contact,
        post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
    ),
    "api_contact_investigation_list": row(
        200,
        anonymous=403,
        intake_screener=404,
        administrator=404,
        kwargs=investigation,
        post=writes(403, accept=CASE_CHANGERS, intake_screener=404, administrator=404),
    ),
    # Dashboards: "My work" is every case worker's own list; the unit dashboard and its drill-downs are for
    # supervisors (their units), program managers and auditors (all units); the administrator has none.
    "my_work": row(200, anonymous=SIGN_IN, administrator=403),
    "supervisor_dashboard": row(403, anonymous=SIGN_IN, supervisor=200, program_manager=200, auditor=200),
    "dashboard_drilldown": row(
        403, anonymous=SIGN_IN, supervisor=200, program_manager=200, auditor=200, kwargs=drilldown
    ),
    # The capability (work_cases) comes first; who reads which units the view decides itself, on GET.
    "api_dashboard": row(
        403,
        anonymous=403,
        supervisor=200,
        program_manager=200,
        auditor=200,
        post=writes(405, anonymous=403, administrator=403),
    ),
    "api_my_work": row(200, anonymous=403, administrator=403),
    "api_caseload_visit_status": row(200, anonymous=403, administrator=403),
    # The overdue-visit job's page: administrators run jobs (no case content on it); running it queues it.
    "visit_job_page": row(403, anonymous=SIGN_IN, administrator=200, post=form(Redirect("visit_job_page"))),
    # Investigations: the list needs a case role; the records themselves follow the access policy
    # (assigned worker, unit supervisor, program manager and auditor read; the administrator sees none).
    "investigation_list": row(200, anonymous=SIGN_IN, administrator=403),
    "investigation_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=investigation),
    # Assigning is the unit supervisor's: visible-but-not-changeable is 403, not visible is 404.
    "investigation_assign": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=404,
        supervisor=200,
        administrator=404,
        kwargs=investigation,
        post=form(),
    ),
    "api_investigation_list": row(200, anonymous=403, administrator=403),
    "api_investigation_detail": row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=investigation),
    "api_investigation_assign": row(
        405,
        anonymous=403,
        kwargs=investigation,
        body=assignment_body,
        post=writes(403, accept=("supervisor",), intake_screener=404, administrator=404),
    ),
    # Explicit grants on a record: listed and given by whoever may change it by assignment, unit or role
    # (never by a grant); those who read it but may not grant get 403, those who may not see it 404.
    # Revoking is POST only; the API refuses the administrator (no case role) before the method.
    **{
        f"{noun}_grants": row(403, anonymous=SIGN_IN, administrator=404, kwargs=kwargs, **granters, post=form())
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"{noun}_grant_revoke": row(
            405,
            anonymous=SIGN_IN,
            kwargs=grant_of(kwargs),
            post=writes(
                403, anonymous=SIGN_IN, administrator=404, accept=granting(granters), answer=404, **hidden(granters)
            ),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"api_{noun}_grants": row(
            403,
            anonymous=403,
            kwargs=kwargs,
            **granters,
            post=writes(403, accept=granting(granters), **hidden(granters)),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"api_{noun}_grant_revoke": row(
            405,
            anonymous=403,
            administrator=403,
            kwargs=grant_of(kwargs),
            post=writes(403, accept=granting(granters), answer=404, **hidden(granters)),
        )
        for noun, kwargs, granters in GRANT_RECORDS
    },
    # The OpenAPI schema documents endpoints and field names, not records: fine for any
    # signed-in user, but it maps the system's attack surface, so not for anonymous callers.
    "api_schema": row(200, anonymous=403),
}


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    namespace: str | None
    kwarg_names: frozenset[str]
    model_page: bool
    api_methods: frozenset[str] | None  # the methods a DRF view takes; None for a page

    @property
    def write_methods(self) -> tuple[str, ...]:
        """POST to every URL; PUT, PATCH and DELETE too where an API view takes them."""
        taken = self.api_methods or frozenset()
        return ("POST", *(method for method in ("PUT", "PATCH", "DELETE") if method in taken))


def url_patterns(
    resolver: URLResolver | None = None,
    prefix: str = "",
    namespace: str | None = None,
    inherited: frozenset[str] = frozenset(),
) -> Iterator[Pattern]:
    """Every URL pattern below `resolver`, with its full route, qualified name and URL kwargs."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        kwarg_names = inherited | frozenset(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from url_patterns(entry, route, inner, kwarg_names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            model_page = hasattr(entry.callback, "model_admin")
            view_class = getattr(entry.callback, "cls", None)
            api_methods = (
                frozenset(method.upper() for method in view_class.http_method_names if hasattr(view_class, method))
                if view_class is not None and issubclass(view_class, APIView)
                else None
            )
            yield Pattern(route, name, namespace, kwarg_names, model_page, api_methods)


def admin_expectation(pattern: Pattern, role: str) -> Expected:
    """The one rule for the whole admin namespace: nobody in the cast gets in.

    The admin admits active staff users only, and its model pages are for superusers; no
    role in the cast is either. So every admin URL sends every role to a sign-in form, with
    these exceptions, all of them Django's own behaviour:
    - the admin's sign-in form itself is open (to a signed-in non-staff user it says they
      are not authorised);
    - the admin's logout sends a signed-in non-staff user to the admin index;
    - anonymous visitors of a model's pages are sent to the application's sign-in form,
      not the admin's: ModelAdmin's view wrapper, unlike AdminSite's, sets no login_url
      for LoginRequiredMiddleware. Either form keeps them out.
    """
    if pattern.name == f"{ADMIN_NAMESPACE}:login":
        return 200
    if pattern.name == f"{ADMIN_NAMESPACE}:logout" and role != ANONYMOUS:
        return Redirect(f"{ADMIN_NAMESPACE}:index")
    if pattern.model_page and role == ANONYMOUS:
        return SIGN_IN
    return Redirect(f"{ADMIN_NAMESPACE}:login")


def admin_write_expectation(pattern: Pattern, role: str) -> Write:
    """Writes meet the same door; only the admin's sign-in form takes them (an empty one shows its errors)."""
    if pattern.name == f"{ADMIN_NAMESPACE}:login":
        return Accepted(200)
    return admin_expectation(pattern, role)


def in_admin(pattern: Pattern) -> bool:
    return pattern.namespace is not None and pattern.namespace.split(":")[0] == ADMIN_NAMESPACE


def admin_kwargs(pattern: Pattern) -> dict[str, str]:
    """Any well-formed values will do: nobody in the cast gets past the admin's door."""
    app_label = next(iter(admin.site._registry))._meta.app_label
    return {key: app_label if key == "app_label" else "1" for key in pattern.kwarg_names}


def describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} -> {urlsplit(response['Location']).path}"
    return str(response.status_code)


def matches(expected: Write, response) -> bool:
    if isinstance(expected, Accepted):
        return matches(expected.answer, response)
    if isinstance(expected, Redirect):
        return response.status_code == 302 and urlsplit(response["Location"]).path == reverse(expected.to)
    return response.status_code == expected


def requests_for(cast: Cast, role: str) -> Iterator[tuple[str, str | None, Expected]]:
    """(url name, path or None when it cannot be reversed, expected answer) for every named URL."""
    for pattern in url_patterns():
        if pattern.name is None:
            continue
        if in_admin(pattern):
            kwargs, expected = admin_kwargs(pattern), admin_expectation(pattern, role)
        elif pattern.name in MATRIX:
            entry = MATRIX[pattern.name]
            kwargs, expected = entry.kwargs(cast), entry.expected[role]
        else:
            continue
        try:
            yield pattern.name, reverse(pattern.name, kwargs=kwargs), expected
        except NoReverseMatch:
            yield pattern.name, None, expected


def write_requests(cast: Cast, role: str) -> Iterator[tuple[str, str, str | None, dict, bool, Write | None]]:
    """(url name, method, path or None, body, API or not, expected answer or None when the row has none)
    for every write to every named URL."""
    for pattern in url_patterns():
        if pattern.name is None:
            continue
        api = pattern.api_methods is not None
        if in_admin(pattern):
            kwargs, body = admin_kwargs(pattern), {}
            answers = {"POST": admin_write_expectation(pattern, role)}
        elif pattern.name in MATRIX:
            entry = MATRIX[pattern.name]
            kwargs, body = entry.kwargs(cast), entry.body(cast)
            names_a_unit_record = entry.kwargs in UNIT_RECORDS
            answers = {
                method: spec(entry.expected, api, names_a_unit_record)[role] for method, spec in entry.writes.items()
            }
        else:
            continue
        try:
            path = reverse(pattern.name, kwargs=kwargs)
        except NoReverseMatch:
            path = None
        for method in pattern.write_methods:
            yield pattern.name, method, path, body, api, answers.get(method)


def matrix_users(cast: Cast) -> dict[str, User]:
    return {**cast.by_role(), OTHER_UNIT: cast.other_worker}


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_every_url_as_the_permission_matrix_says(role, cast, client):
    """One walk per role; every disagreement is collected so one run shows the whole picture.

    Signed-in 200 answers must also forbid caching (NoStoreMiddleware): a shared or
    back-button cache must never hold a page about a child or a staff member.
    """
    if role != ANONYMOUS:
        client.force_login(matrix_users(cast)[role])
    problems = []
    for name, path, expected in requests_for(cast, role):
        if path is None:
            problems.append(f"{name:<40} {role:<22} cannot be reversed with the matrix's kwargs")
            continue
        response = client.get(path)
        if not matches(expected, response):
            problems.append(f"{name:<40} {role:<22} expected {expected!s:<24} got {describe(response)}")
        elif role != ANONYMOUS and response.status_code == 200:
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control:
                problems.append(f"{name:<40} {role:<22} 200 without Cache-Control no-store: {cache_control!r}")
    assert not problems, f"{len(problems)} disagreement(s) with the permission matrix:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_every_write_as_the_permission_matrix_says(role, cast, client):
    """POST to every URL, and PUT, PATCH and DELETE to every API view that takes them, as `role`.

    Each write runs in a savepoint rolled back after it, and the client's cookies are put back
    (a sign-out changes them), so every write meets the same records as the same user. A view
    that fails is answered 500 here rather than raised, so one run lists every disagreement.
    """
    if role != ANONYMOUS:
        client.force_login(matrix_users(cast)[role])
    client.raise_request_exception = False
    problems = []
    for name, method, path, body, api, expected in write_requests(cast, role):
        where = f"{method:<6} {name:<40} {role:<22}"
        if path is None:
            problems.append(f"{where} cannot be reversed with the matrix's kwargs")
            continue
        if expected is None:
            problems.append(f"{where} the view takes {method}: say who may send it (row(..., {method.lower()}=...))")
            continue
        cookies = SimpleCookie(client.cookies)
        with transaction.atomic():
            if api:
                response = client.generic(method, path, json.dumps(body), content_type="application/json")
            else:
                response = client.post(path, body)
            transaction.set_rollback(True)
        client.cookies = cookies
        if not matches(expected, response):
            problems.append(f"{where} expected {expected!s:<24} got {describe(response)}")
    assert not problems, f"{len(problems)} disagreement(s) with the permission matrix:\n" + "\n".join(problems)


def test_every_url_pattern_is_in_the_permission_matrix():
    """A URL nobody has decided about must not ship; a row for a URL that is gone is stale."""
    problems = []
    app_names = []
    for pattern in url_patterns():
        if in_admin(pattern):
            continue
        if pattern.name is None:
            problems.append(f"name the URL pattern {pattern.route!r}, then add it to the permission matrix")
        elif pattern.name not in MATRIX:
            problems.append(f"add {pattern.name} to the permission matrix (route {pattern.route!r})")
        else:
            app_names.append(pattern.name)
        if pattern.name in MATRIX:
            stale = MATRIX[pattern.name].writes.keys() - set(pattern.write_methods)
            problems += [
                f"remove {method.lower()}= from {pattern.name}: the view takes no {method}" for method in sorted(stale)
            ]
    duplicates = sorted({name for name in app_names if app_names.count(name) > 1})
    problems += [f"{name} names more than one URL pattern; only one of them can be checked" for name in duplicates]
    problems += [
        f"remove {name} from the permission matrix: no URL pattern has that name"
        for name in sorted(MATRIX.keys() - set(app_names))
    ]
    assert not problems, "\n".join(problems)


def test_the_admin_rule_covers_the_admin_index_and_every_registered_model():
    """The admin rule is only worth something if the walk reaches the admin's real pages."""
    walked = {pattern.name for pattern in url_patterns() if in_admin(pattern)}
    representative = {f"{ADMIN_NAMESPACE}:index"} | {
        f"{ADMIN_NAMESPACE}:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    }
    assert representative <= walked, f"not walked: {sorted(representative - walked)}"


def test_it_lets_a_staff_superuser_into_the_admin(cast, client):
    """The admin's redirects above are the admin keeping people out, not a broken admin."""
    superuser = make_staff("superuser", Role.ADMINISTRATOR)
    User.objects.filter(pk=superuser.pk).update(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    names = [f"{ADMIN_NAMESPACE}:index"] + [
        f"{ADMIN_NAMESPACE}:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]
    answers = {name: client.get(reverse(name)).status_code for name in names}
    assert answers == dict.fromkeys(names, 200)
