"""The access policy: the one place that decides who may see and change what.

Case records (intake reports, investigations, cases, ...) declare how they are
worked on with `access_rules` (who is assigned, which unit they sit in, what
restriction they carry). From that, one queryset filter answers every list:

    (assigned to me now | in a unit naming me supervisor, while I hold the supervisor role
     | my role reads all of this kind | an unexpired explicit grant to me or my unit)
        ... and, for restricted records, my clearance covers the restriction (grants included)

The same rules answer who supervises a record (a supervisor of a unit it is worked in), whom
work may be assigned to (the unit's active caseworkers cleared for its restriction), and, in
CAPABILITIES, what each role may do beyond one record (dashboards, My work, the intake queue).

Pages, API, exports, admin and tasks all call these functions; nothing else decides.
Objects a user may not see raise Http404, exactly as missing ones do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from accounts.audit import record_view, staff_events, who_was_shown
from accounts.models import UNEXPIRED_SQL, Unit, User
from accounts.roles import Clearance, Role

# Roles that work with case records at all (administrators manage staff, not cases).
CASE_ROLES = frozenset({Role.INTAKE_SCREENER, Role.CASEWORKER, Role.SUPERVISOR, Role.PROGRAM_MANAGER, Role.AUDITOR})
# Capabilities that are not about one record: what a role may do in the application.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "manage_staff": frozenset({Role.ADMINISTRATOR}),
    "read_audit": frozenset({Role.ADMINISTRATOR, Role.AUDITOR}),
    # Administrators read the staff administration events only (sign-ins, roles, units, grants); auditors all.
    "read_case_audit": frozenset({Role.AUDITOR}),
    "record_people": frozenset({Role.INTAKE_SCREENER, Role.CASEWORKER, Role.SUPERVISOR}),
    "take_reports": frozenset({Role.INTAKE_SCREENER}),
    "approve_screening": frozenset({Role.SUPERVISOR}),
    "merge_people": frozenset({Role.SUPERVISOR}),
    "work_cases": CASE_ROLES,
    "run_jobs": frozenset({Role.ADMINISTRATOR}),
    # The agency's holidays, which working-day deadlines skip, are configuration kept by administrators.
    "manage_holidays": frozenset({Role.ADMINISTRATOR}),
    # Screeners work the intake queue, supervisors approve from it, managers and auditors read it.
    "use_intake_queue": frozenset({Role.INTAKE_SCREENER, Role.SUPERVISOR, Role.PROGRAM_MANAGER, Role.AUDITOR}),
    # Caseworkers carry a caseload: cases and investigations are assigned to them, and they are the dashboard's rows.
    "carry_caseload": frozenset({Role.CASEWORKER}),
    # Supervisors act for the units that name them their supervisor (approvals, opening cases, assigning).
    "supervise_units": frozenset({Role.SUPERVISOR}),
    # My work lists a caseworker's caseload and what waits for them, and a supervisor's own as well.
    "keep_my_work": frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    # The unit dashboard: supervisors read their units', the roles reading across units every unit's.
    "read_dashboards": frozenset({Role.SUPERVISOR, Role.PROGRAM_MANAGER, Role.AUDITOR}),
    "read_across_units": frozenset({Role.PROGRAM_MANAGER, Role.AUDITOR}),
}

# Who may read a report's reporter identity (beyond that, never shown): intake staff, the roles reading
# across units, and supervisors of the units the record's `reporter_read_in` names.
REPORTER_READERS = frozenset({Role.INTAKE_SCREENER, Role.PROGRAM_MANAGER, Role.AUDITOR})

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class RecordRules:
    """How a case-record model says who works on it.

    assigned(user) -> Q over the model: records the user is currently assigned to.
    in_units(units) -> Q over the model: records worked in these units (a Unit queryset).
    reporter_read_in(units) -> Q over the model, for records naming a confidential reporter: records whose
        reporter the supervisors of these units may read (see can_see_reporter). None: no reporter.
    """

    assigned: Callable[[User], Q]
    in_units: Callable[[QuerySet], Q]
    read_all_roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.PROGRAM_MANAGER, Role.AUDITOR}))
    change_all_roles: frozenset[Role] = frozenset()
    restriction_field: str | None = "access_restriction"
    reporter_read_in: Callable[[QuerySet], Q] | None = None


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_capability(user, capability: str) -> bool:
    return is_active_user(user) and user.has_role(*CAPABILITIES[capability])


def require_capability(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def supervising_units(user) -> QuerySet:
    """The units the user acts for as supervisor: those naming them supervisor now, while they hold the role.

    A unit naming someone who lost the role gives them nothing (changing roles also clears the naming).
    """
    if not has_capability(user, "supervise_units"):
        return Unit.objects.none()
    return Unit.objects.filter(supervisor=user)


def supervises_a_unit(user) -> bool:
    return supervising_units(user).exists()


def supervises_unit(user, unit: Unit | None) -> bool:
    return unit is not None and supervising_units(user).filter(pk=unit.pk).exists()


def overseen_units(user) -> QuerySet:
    """The units whose work the user oversees: every unit for the roles reading across units, else those supervised."""
    if has_capability(user, "read_across_units"):
        return Unit.objects.all()
    return supervising_units(user)


def _rules(model: type[models.Model]) -> RecordRules:
    rules = getattr(model, "access_rules", None)
    if rules is None:
        raise TypeError(f"{model.__name__} declares no access_rules; the policy cannot decide access to it")
    return rules


def grant_models(model: type[models.Model]):
    from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

    return get_user_obj_perms_model(model), get_group_obj_perms_model(model)


def _granted(user: User, model: type[models.Model], action: str) -> Q | None:
    """Records on which the user or one of their groups holds an unexpired explicit grant (to change, for
    `action` change; to view or change, for view). The caller still requires the clearance.

    Only models that declare guardian direct-foreign-key grant models take grants. The grants are
    read by one SQL subquery, written here rather than built from the grant managers: the ORM took
    0.9 ms a model to build and compile those two subqueries, on every list of every page.
    """
    user_grants, group_grants = grant_models(model)
    if user_grants.objects.is_generic() or group_grants.objects.is_generic():
        return None
    # A grant to change a record is a grant to view it as well.
    codenames = [f"{granted}_{model._meta.model_name}" for granted in ((VIEW, CHANGE) if action == VIEW else (CHANGE,))]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    branches, params = [], []
    for grants, holder, holders in ((user_grants, "user_id", [user.pk]), (group_grants, "group_id", user.group_ids)):
        if holders:
            marks = ", ".join(["%s"] * len(holders))
            branches.append(
                f"SELECT g.content_object_id FROM {grants._meta.db_table} g "  # noqa: S608 - our table names
                f"JOIN {Permission._meta.db_table} p ON p.id = g.permission_id "
                f"WHERE g.{holder} IN ({marks}) AND p.codename IN ({', '.join(['%s'] * len(codenames))}) "
                f"AND {UNEXPIRED_SQL}"
            )
            params += [*holders, *codenames, now]
    return Q(pk__in=RawSQL(" UNION ALL ".join(branches), params))  # noqa: S611 - values as parameters


# The flag on a user that clears them for each restriction (an unrestricted record needs none).
CLEARANCE_FLAGS = {Clearance.SENSITIVE: "clearance_sensitive", Clearance.SEALED: "clearance_sealed"}


def clearances(user: User) -> list[str]:
    """The restriction levels a user may see."""
    return [Clearance.NONE, *(level for level, flag in CLEARANCE_FLAGS.items() if getattr(user, flag))]


def holds_clearance(user: User, restriction: str) -> bool:
    """Whether the user is cleared for records carrying this access restriction."""
    return restriction in clearances(user)


def _holding_clearance(restriction: str) -> Q:
    """Users cleared for this restriction, as a filter over users (what `holds_clearance` answers for one)."""
    if restriction == Clearance.NONE:
        return Q()
    if restriction in CLEARANCE_FLAGS:
        return Q(**{CLEARANCE_FLAGS[restriction]: True})
    return Q(pk__in=[])


def restriction_of(obj: models.Model) -> str:
    """The access restriction a record carries (none for a model that declares no restriction)."""
    lookup = _rules(type(obj)).restriction_field
    if lookup is None:
        return Clearance.NONE
    return type(obj)._default_manager.filter(pk=obj.pk).values_list(lookup, flat=True).get()


def _cleared(user: User, rules: RecordRules) -> Q:
    if rules.restriction_field is None:
        return Q()
    return Q(**{f"{rules.restriction_field}__in": clearances(user)})


def _filter(user, queryset: QuerySet, action: str, *, with_grants: bool = True) -> QuerySet:
    if not is_active_user(user):
        return queryset.none()
    model = queryset.model
    rules = _rules(model)
    by_role = rules.read_all_roles if action == VIEW else rules.change_all_roles
    # A grant widens who works on a record, never who is cleared for it.
    cleared = _cleared(user, rules)
    if user.has_role(*by_role):
        return queryset.filter(cleared)
    worked_on = rules.assigned(user) | rules.in_units(supervising_units(user))
    granted = _granted(user, model, action) if with_grants else None
    if granted is not None:
        worked_on |= granted
    return queryset.filter(worked_on & cleared)


def reads_every(user, model: type[models.Model]) -> bool:
    """Whether the user's role reads every record of this kind, whatever records it is worked on through
    (their clearance still decides the restricted ones)."""
    return is_active_user(user) and user.has_role(*_rules(model).read_all_roles)


def visible(user, queryset: QuerySet) -> QuerySet:
    """The records of this queryset the user may see."""
    return _filter(user, queryset, VIEW)


def changeable(user, queryset: QuerySet) -> QuerySet:
    """The records of this queryset the user may change."""
    return _filter(user, queryset, CHANGE)


def can_view(user, obj: models.Model) -> bool:
    return visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def can_change(user, obj: models.Model) -> bool:
    return changeable(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def may_grant(user, obj: models.Model) -> bool:
    """Whether the user may give others access to the record: they may change it by assignment, unit or
    role, not by a grant of their own (a grantee never passes access on)."""
    model = type(obj)
    return _filter(user, model._default_manager.filter(pk=obj.pk), CHANGE, with_grants=False).exists()


def get_for_view(user, queryset: QuerySet, **lookup) -> models.Model:
    """Fetch one record the user may see, and log the read. Missing or not visible: 404 alike."""
    obj = visible(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    record_view(user=user, obj=obj)
    return obj


def get_for_change(user, queryset: QuerySet, **lookup) -> models.Model:
    """Fetch one record to change: 404 if the user may not see it, 403 if they may see but not change it.

    The record is shown to whoever changes it (the edit page's form, the API's answer to a PATCH or an
    action), so the fetch is logged as a read like `get_for_view`'s."""
    obj = visible(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    if not can_change(user, obj):
        raise PermissionDenied
    record_view(user=user, obj=obj)
    return obj


def supervises(user, record: models.Model) -> bool:
    """Whether the user holds the supervisor role and supervises a unit the record is worked in."""
    if not has_capability(user, "supervise_units"):
        return False
    model = type(record)
    in_units = _rules(model).in_units(supervising_units(user))
    return model._default_manager.filter(in_units, pk=record.pk).exists()


def may_supervise(user, record: models.Model) -> bool:
    """Whether the user may take a supervisor's decision on the record: they supervise it and may change it."""
    return supervises(user, record) and can_change(user, record)


@dataclass(frozen=True)
class RecordDecisions:
    """What the policy answers about one record for one user: asked once by a page that shows many actions,
    and never kept beyond it (a page is one user's, one request's)."""

    can_change: bool
    may_supervise: bool
    may_grant: bool


def decisions(user, record: models.Model) -> RecordDecisions:
    """`can_change`, `may_supervise` and `may_grant` for one record, each asked at most once: one query for
    whoever works on it by assignment, unit or role, as whoever may grant on a record may change it."""
    grants = may_grant(user, record)
    changes = grants or can_change(user, record)
    return RecordDecisions(can_change=changes, may_supervise=changes and supervises(user, record), may_grant=grants)


def require_supervising(user, record: models.Model) -> None:
    """For the services: PermissionDenied unless the user may take a supervisor's decision on the record.

    The record was fetched through the policy already, so whoever may not see it got 404 there.
    """
    if not may_supervise(user, record):
        raise PermissionDenied


def get_for_supervising(user, queryset: QuerySet, **lookup) -> models.Model:
    """Fetch one record for a supervisor's decision: 404 if the user may not see it, 403 if they may see it
    but may not change it or do not supervise it."""
    obj = get_for_change(user, queryset, **lookup)
    if not supervises(user, obj):
        raise PermissionDenied
    return obj


def caseworkers(units) -> QuerySet:
    """The active caseworkers of these units (a Unit queryset, units, or their ids)."""
    holders = [role.group_name for role in CAPABILITIES["carry_caseload"]]
    return User.objects.filter(is_active=True, unit__in=units, groups__name__in=holders)


def assignable_workers(*, units, restriction: str = Clearance.NONE) -> QuerySet:
    """Whom records of these units carrying this restriction may be assigned to, by name: the units'
    active caseworkers cleared for it. `may_be_assigned` answers the same for one worker."""
    return (
        caseworkers(units)
        .filter(_holding_clearance(restriction))
        .select_related("unit")
        .order_by("last_name", "first_name")
        .distinct()
    )


def may_be_assigned(worker: User, *, unit: Unit, restriction: str = Clearance.NONE) -> bool:
    """Whether a record of this unit carrying this restriction may be assigned to the worker: an active
    caseworker of the unit, cleared for the restriction."""
    return (
        has_capability(worker, "carry_caseload") and worker.unit_id == unit.pk and holds_clearance(worker, restriction)
    )


def grantable_staff(restriction: str = Clearance.NONE) -> QuerySet:
    """To whom a record carrying this restriction may be granted, by name: active staff who work with cases,
    cleared for it. The grant service checks the same for the one chosen (`accounts.services.access_grant`)."""
    holders = [role.group_name for role in CAPABILITIES["work_cases"]]
    in_case_roles = User.groups.through.objects.filter(group__name__in=holders).values("user_id")
    return User.objects.filter(_holding_clearance(restriction), is_active=True, pk__in=in_case_roles)


def reporters_readable(user, queryset: QuerySet) -> QuerySet:
    """The records of this queryset whose confidential reporter the user may read (`can_see_reporter` for many)."""
    if not is_active_user(user):
        return queryset.none()
    if user.has_role(*REPORTER_READERS):
        return queryset
    read_in = _rules(queryset.model).reporter_read_in
    if read_in is None:
        return queryset.none()
    return queryset.filter(read_in(supervising_units(user)))


def can_see_reporter(user, report) -> bool:
    """The reporter's identity is confidential: caseworkers, families and courts never see it."""
    return reporters_readable(user, type(report)._default_manager.filter(pk=report.pk)).exists()


def staff_queryset(user) -> QuerySet:
    """Staff accounts the user may manage."""
    if not has_capability(user, "manage_staff"):
        return User.objects.none()
    return User.objects.all()


def get_staff_member(user, public_id) -> User:
    """A staff account for the staff pages: 404 for non-administrators and unknown ids alike."""
    member = staff_queryset(user).prefetch_related("groups").select_related("unit").filter(public_id=public_id).first()
    if member is None:
        raise Http404
    return member


def get_unit(user, public_id) -> Unit:
    if not has_capability(user, "manage_staff"):
        raise Http404
    unit = Unit.objects.select_related("supervisor").filter(public_id=public_id).first()
    if unit is None:
        raise Http404
    return unit


def _restricted_beyond(user) -> Q:
    """Audit events about records restricted above the user's clearance (records of every model that
    declares a restriction, named as the audit log names them: app.model and public id)."""
    hidden = Q(pk__in=[])
    for model in apps.get_models():
        rules = getattr(model, "access_rules", None)
        if rules is None or rules.restriction_field is None:
            continue
        key = "public_id" if any(f.name == "public_id" for f in model._meta.fields) else "pk"
        restricted = model._default_manager.exclude(**{f"{rules.restriction_field}__in": clearances(user)})
        hidden |= Q(
            target_type=f"{model._meta.app_label}.{model._meta.model_name}",
            target_id__in=restricted.values_list(Cast(key, output_field=models.CharField())),
        )
    return hidden


def audit_events(user) -> QuerySet:
    """The audit log the user may read: auditors all of it, administrators the staff administration events
    only (never a case record's); the history of a restricted record only with its clearance."""
    from accounts.models import AuditEvent

    if not has_capability(user, "read_audit"):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.exclude(_restricted_beyond(user)).select_related("actor")
    return events if has_capability(user, "read_case_audit") else events.filter(staff_events())


def _hidden_record(user, target_type: str, target_id: str) -> bool:
    """Whether the record is restricted above the user's clearance (a record of no restricted kind is not)."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return False
    rules = getattr(model, "access_rules", None)
    if rules is None or rules.restriction_field is None:
        return False
    key = "public_id" if any(f.name == "public_id" for f in model._meta.fields) else "pk"
    found = model._default_manager.annotate(audit_key=Cast(key, output_field=models.CharField()))
    restricted = found.filter(audit_key=target_id).exclude(**{f"{rules.restriction_field}__in": clearances(user)})
    return restricted.exists()


def record_audit_events(user, target_type: str, target_id: str) -> QuerySet:
    """One record's audit history as the user may read it: its own events and the list reads that showed
    it ("who viewed this child"). Nothing at all of a record restricted above their clearance, exactly as
    of a record that does not exist."""
    if _hidden_record(user, target_type, target_id):
        return audit_events(user).none()
    return audit_events(user).filter(who_was_shown(target_type, target_id))


def cleared_overseers(record: models.Model) -> list[User]:
    """Who is told about a restricted record in place of someone not cleared for it: the supervisors of the
    units it is worked in who hold its clearance or, failing them, the program managers who do."""
    cleared = User.objects.filter(_holding_clearance(restriction_of(record)), is_active=True)
    supervisors = cleared.filter(groups__name=Role.SUPERVISOR.group_name)
    # Which of the units these supervisors name the record is worked in: one query asks it of every unit at
    # once (the record's rules over each unit alone), whatever the number of supervisors.
    units = list(Unit.objects.filter(supervisor__in=supervisors).values_list("pk", "supervisor_id"))
    overseers = []
    if units:
        model = type(record)
        in_unit = {
            f"unit_{pk}": models.ExpressionWrapper(
                _rules(model).in_units(Unit.objects.filter(pk=pk)), output_field=models.BooleanField()
            )
            for pk, _ in units
        }
        worked_in = model._default_manager.filter(pk=record.pk).values(**in_unit).first() or {}
        ids = {supervisor for pk, supervisor in units if worked_in.get(f"unit_{pk}")}
        overseers = list(User.objects.filter(pk__in=ids).order_by("pk"))
    return overseers or list(cleared.filter(groups__name=Role.PROGRAM_MANAGER.group_name).distinct())
