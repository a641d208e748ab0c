"""The permission matrix: every URL of the project, opened with GET by every role.

Who may open what is decided in several layers (LoginRequiredMiddleware, the view's
capability check, the access policy's 404s, DRF's PolicyPermission, the admin site).
This file states the outcome of all of them in one table, so that a new URL cannot ship
without someone deciding who may open it, and a change in any layer that opens or closes
a URL shows up here as a named cell.

The Django admin (namespace "admin") is not in the table: one rule covers the whole
namespace, see `admin_expectation`. Nothing else is excluded: static files are served by
WhiteNoise's middleware, not by a URL pattern, so the resolver holds no static route.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

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
)
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
class Row:
    expected: dict[str, Expected]
    kwargs: KwargsFor


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
    """Any id will do: the endpoint is POST only, so a GET never looks it up."""
    return {"public_id": cast.worker.public_id}


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


def row(everyone: Expected, *, kwargs: KwargsFor = no_kwargs, **per_role: Expected) -> Row:
    """One matrix row: `everyone` for each role not named in `per_role`."""
    unknown = per_role.keys() - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles in the permission matrix: {sorted(unknown)}")
    return Row(expected={role: per_role.get(role, everyone) for role in ROLES}, kwargs=kwargs)


# Anonymous visitors of a page are sent to the sign-in form by LoginRequiredMiddleware.
SIGN_IN = Redirect("login")

MATRIX: dict[str, Row] = {
    # The sign-in form is the one public page; a signed-in user is sent home from it.
    "login": row(Redirect("home"), anonymous=200),
    # Django 5's LogoutView only accepts POST; it is not exempt from LoginRequiredMiddleware.
    "logout": row(405, anonymous=SIGN_IN),
    "home": row(200, anonymous=SIGN_IN),
    # Everyone's own notifications; marking read is POST only.
    "notification_list": row(200, anonymous=SIGN_IN),
    "notification_read": row(405, anonymous=SIGN_IN),
    "password_change": row(200, anonymous=SIGN_IN),
    # The one-time code step of a sign-in: public, but without a password step just done it goes back to sign-in.
    "sign_in_code": row(Redirect("home"), anonymous=SIGN_IN),
    # Everyone's own password confirmation and second factor.
    "reauthenticate": row(200, anonymous=SIGN_IN),
    "second_factor": row(200, anonymous=SIGN_IN),
    # The page a one-time link opens is public: the link's token, not a session, says whose password it sets.
    "password_set": row(200, kwargs=password_link),
    # Staff and unit management: the manage_staff capability, administrators only.
    # Lists and create forms check the capability (403); object pages look the object up
    # through the policy, which answers 404 to anyone who may not see it.
    "staff_list": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_create": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_detail": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_edit": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_deactivate": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_reactivate": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_reset_password": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_temporary_password": row(404, anonymous=SIGN_IN, administrator=200, kwargs=staff_member),
    "staff_approvals": row(403, anonymous=SIGN_IN, administrator=200),
    "staff_approval": row(404, anonymous=SIGN_IN, administrator=200, kwargs=change_request),
    "unit_list": row(403, anonymous=SIGN_IN, administrator=200),
    "unit_create": row(403, anonymous=SIGN_IN, administrator=200),
    "unit_edit": row(404, anonymous=SIGN_IN, administrator=200, kwargs=unit),
    # The audit log: the read_audit capability, administrators and auditors.
    "audit_list": row(403, anonymous=SIGN_IN, administrator=200, auditor=200),
    "audit_target": row(403, anonymous=SIGN_IN, administrator=200, auditor=200, kwargs=audit_target),
    # The API authenticates by session only, so DRF answers 403 (not 401) to anonymous callers.
    # PolicyPermission checks the capability before any object lookup or method dispatch:
    # 403 for a role without it, and only then 405 for a GET on a POST-only endpoint.
    "api_me": row(200, anonymous=403),
    "api_notification_list": row(200, anonymous=403),
    "api_notification_read": row(405, anonymous=403, kwargs=notification),
    "api_staff_list": row(403, administrator=200),
    "api_staff_detail": row(403, administrator=200, kwargs=staff_member),
    "api_staff_deactivate": row(403, administrator=405, kwargs=staff_member),
    "api_staff_reactivate": row(403, administrator=405, kwargs=staff_member),
    "api_staff_reset_password": row(403, administrator=405, kwargs=staff_member),
    "api_change_request_list": row(403, administrator=200),
    "api_change_request_detail": row(403, administrator=200, kwargs=change_request),
    "api_change_request_approve": row(403, administrator=405, kwargs=change_request),
    "api_change_request_refuse": row(403, administrator=405, kwargs=change_request),
    "api_unit_list": row(403, administrator=200),
    "api_unit_detail": row(403, administrator=200, kwargs=unit),
    "api_audit_events": row(403, administrator=200, auditor=200),
    # People: searching needs a case role; recording needs record_people; records follow the policy
    # (the people on the reports one works, and their relatives); merging is a supervisor's.
    "person_search": row(200, anonymous=SIGN_IN, administrator=403),
    "person_create": row(200, anonymous=SIGN_IN, program_manager=403, administrator=403, auditor=403),
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
        )
        for name in ("person_edit", "person_add_alias", "person_move", "person_icwa", "relationship_create")
    },
    "person_merge": row(403, anonymous=SIGN_IN, supervisor=200, kwargs=person),
    "api_person_list": row(200, anonymous=403, administrator=403),
    "api_person_detail": row(200, anonymous=403, administrator=404, kwargs=person),
    "api_person_relationships": row(200, anonymous=403, administrator=404, kwargs=person),
    "api_person_merge": row(403, supervisor=405, kwargs=person),
    # Households are changed from a person's page with POST only; the API reads and writes them through their people.
    **{
        name: row(405, anonymous=SIGN_IN, kwargs=person)
        for name in ("household_create", "household_member_add", "household_member_end")
    },
    "api_person_households": row(200, anonymous=403, administrator=404, kwargs=person),
    "api_household_members": row(405, anonymous=403, kwargs=household),
    "api_household_member_end": row(405, anonymous=403, kwargs=household_member),
    # Intake: the queue is for screeners, supervisors and cross-unit readers; a report follows the
    # policy (screeners all, the unit supervisor, the assigned investigator, managers and auditors read).
    "intake_queue": row(200, anonymous=SIGN_IN, caseworker=403, administrator=403),
    "intake_create": row(403, anonymous=SIGN_IN, intake_screener=200),
    "intake_detail": row(200, anonymous=SIGN_IN, administrator=404, kwargs=report),
    "intake_edit_section": row(
        403,
        anonymous=SIGN_IN,
        intake_screener=200,
        caseworker=200,
        supervisor=200,
        administrator=404,
        kwargs=report_section,
    ),
    "intake_submit": row(405, anonymous=SIGN_IN, kwargs=report),
    "intake_decide": row(403, anonymous=SIGN_IN, intake_screener=200, administrator=404, kwargs=report),
    "intake_review": row(403, anonymous=SIGN_IN, supervisor=200, administrator=404, kwargs=report),
    **{
        name: row(
            403,
            anonymous=SIGN_IN,
            intake_screener=200,
            caseworker=200,
            supervisor=200,
            administrator=404,
            kwargs=report,
        )
        for name in ("intake_priority", "intake_amend")
    },
    "api_intake_report_list": row(200, anonymous=403, caseworker=403, administrator=403),
    **{
        name: row(200, anonymous=403, administrator=404, kwargs=report)
        for name in ("api_intake_report_detail", "api_intake_report_people", "api_intake_report_allegations")
    },
    **{
        f"api_intake_report_{action}": row(405, anonymous=403, kwargs=report)
        for action in (
            "submit",
            "screen_in",
            "screen_out",
            "approve_screen_out",
            "return",
            "priority",
            "decide_downgrade",
            "amend",
        )
    },
    "api_intake_allegation_withdraw": row(405, anonymous=403, kwargs=allegation),
    # Ongoing cases: opening and bulk reassignment are a supervisor's; a case follows the policy
    # (assigned workers, the unit supervisor; managers and auditors read; screeners and the administrator
    # see none). Worker-level changes are 200 for the worker and supervisor, supervisor-level ones only for them.
    "case_open": row(403, anonymous=SIGN_IN, supervisor=200),
    "cases_reassign": row(403, anonymous=SIGN_IN, supervisor=200),
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
        name: row(403, anonymous=SIGN_IN, intake_screener=404, supervisor=200, administrator=404, kwargs=kwargs)
        for name, kwargs in (
            ("case_assign", case),
            ("case_review_closure", case),
            ("case_reopen", case),
            ("case_member_excuse", case_member_page),
            ("case_member_require", case_member_page),
        )
    },
    "contact_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=contact),
    "api_case_list": row(200, anonymous=403, administrator=403),
    "api_case_reassign_all": row(405, anonymous=403, administrator=403),
    **{
        name: row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=case)
        for name in (
            "api_case_detail",
            "api_case_members",
            "api_case_assignments",
            "api_case_notes",
            "api_case_contacts",
            "api_case_visit_status",
            "api_case_alerts",
        )
    },
    **{
        name: row(405, anonymous=403, kwargs=case)
        for name in (
            "api_case_assign",
            "api_case_request_closure",
            "api_case_approve_closure",
            "api_case_return_closure",
            "api_case_reopen",
        )
    },
    **{
        name: row(405, anonymous=403, kwargs=case_member)
        for name in (
            "api_case_member_end",
            "api_case_member_excuse",
            "api_case_member_require_visits",
            "api_case_member_care",
        )
    },
    "api_contact_detail": row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=contact),
    "api_contact_amend": row(405, anonymous=403, kwargs=contact),
    "api_contact_investigation_list": row(
        200, anonymous=403, intake_screener=404, administrator=404, kwargs=investigation
    ),
    # Dashboards: "My work" is every case worker's own list; the unit dashboard and its drill-downs are for
    # supervisors (their units), program managers and auditors (all units); the administrator has none.
    "my_work": row(200, anonymous=SIGN_IN, administrator=403),
    "supervisor_dashboard": row(403, anonymous=SIGN_IN, supervisor=200, program_manager=200, auditor=200),
    "dashboard_drilldown": row(
        403, anonymous=SIGN_IN, supervisor=200, program_manager=200, auditor=200, kwargs=drilldown
    ),
    "api_dashboard": row(403, anonymous=403, supervisor=200, program_manager=200, auditor=200),
    "api_my_work": row(200, anonymous=403, administrator=403),
    "api_caseload_visit_status": row(200, anonymous=403, administrator=403),
    # The overdue-visit job's page: administrators run jobs (no case content on it).
    "visit_job_page": row(403, anonymous=SIGN_IN, administrator=200),
    # Investigations: the list needs a case role; the records themselves follow the access policy
    # (assigned worker, unit supervisor, program manager and auditor read; the administrator sees none).
    "investigation_list": row(200, anonymous=SIGN_IN, administrator=403),
    "investigation_detail": row(200, anonymous=SIGN_IN, intake_screener=404, administrator=404, kwargs=investigation),
    # Assigning is the unit supervisor's: visible-but-not-changeable is 403, not visible is 404.
    "investigation_assign": row(
        403, anonymous=SIGN_IN, intake_screener=404, supervisor=200, administrator=404, kwargs=investigation
    ),
    "api_investigation_list": row(200, anonymous=403, administrator=403),
    "api_investigation_detail": row(200, anonymous=403, intake_screener=404, administrator=404, kwargs=investigation),
    "api_investigation_assign": row(405, anonymous=403, kwargs=investigation),
    # Explicit grants on a record: listed and given by whoever may change it by assignment, unit or role
    # (never by a grant); those who read it but may not grant get 403, those who may not see it 404.
    # Revoking is POST only; the API refuses the administrator (no case role) before the method.
    **{
        f"{noun}_grants": row(403, anonymous=SIGN_IN, administrator=404, kwargs=kwargs, **granters)
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"{noun}_grant_revoke": row(405, anonymous=SIGN_IN, kwargs=grant_of(kwargs))
        for noun, kwargs, _ in GRANT_RECORDS
    },
    **{
        f"api_{noun}_grants": row(403, anonymous=403, kwargs=kwargs, **granters)
        for noun, kwargs, granters in GRANT_RECORDS
    },
    **{
        f"api_{noun}_grant_revoke": row(405, anonymous=403, administrator=403, kwargs=grant_of(kwargs))
        for noun, kwargs, _ in GRANT_RECORDS
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
            yield Pattern(route, name, namespace, kwarg_names, model_page)


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


def matches(expected: Expected, response) -> bool:
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


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_every_url_as_the_permission_matrix_says(role, cast, client):
    """One walk per role; every disagreement is collected so one run shows the whole picture.

    Signed-in 200 answers must also forbid caching (NoStoreMiddleware): a shared or
    back-button cache must never hold a page about a child or a staff member.
    """
    if role != ANONYMOUS:
        client.force_login(cast.by_role()[role])
    problems = []
    for name, path, expected in requests_for(cast, role):
        if path is None:
            problems.append(f"{name:<40} {role:<16} cannot be reversed with the matrix's kwargs")
            continue
        response = client.get(path)
        if not matches(expected, response):
            problems.append(f"{name:<40} {role:<16} expected {expected!s:<24} got {describe(response)}")
        elif role != ANONYMOUS and response.status_code == 200:
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control:
                problems.append(f"{name:<40} {role:<16} 200 without Cache-Control no-store: {cache_control!r}")
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
