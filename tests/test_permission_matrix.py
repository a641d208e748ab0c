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
from collections.abc import Iterator
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
from tests.matrix.harness import (
    ADMIN_NAMESPACE,
    ANONYMOUS,
    OTHER_UNIT,
    ROLES,
    SIGN_IN,
    UNIT_RECORDS,
    Accepted,
    Expected,
    Redirect,
    Write,
)
from tests.matrix.rows import MATRIX


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
