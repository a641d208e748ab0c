"""How the permission matrix is written: the roles, the expected answers, the records each URL names,
the bodies writes carry, and `row`/`form`/`writes` that turn a line of the table into answers per role."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from tests.conftest import Cast

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
# A report's change pages (edit, priority, amend): open to those who may change it, not found by the administrator.
REPORT_CHANGE_PAGE = {"intake_screener": 200, "caseworker": 200, "supervisor": 200, "administrator": 404}


# Anonymous visitors of a page are sent to the sign-in form by LoginRequiredMiddleware.
SIGN_IN = Redirect("login")
