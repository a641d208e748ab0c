"""Benchmarks of the families app, run by `manage.py bench` in a throwaway database.

Each callable takes `scale` (1.0 is the reference size) and yields (figure, value, unit).
"""

import io
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection, models
from faker import Faker

from accounts import services as staff_services
from accounts.models import User
from accounts.roles import Role
from families import selectors
from families.choices import AliasKind, Sex
from families.models import Person, PersonAlias, PersonName
from families.names import fold_name, phone_digits, sounds_column

PEOPLE_AT_SCALE_1 = 200_000
BATCH_SIZE = 10_000  # people per COPY
NAME_POOL = 5_000  # distinct first and last names drawn from Faker, with its frequency weighting
ALIAS_SHARE = 0.05
QUERY_COUNT = 50
RUNS_PER_QUERY = 3
WARM_UP_RUNS = 5
TRIGRAM_INDEX = "families_personname_trgm"
SEED = 2026


def _ms(seconds: float) -> float:
    return seconds * 1000


def _screener() -> User:
    """An intake screener, who searches everyone, made as an agency would: two administrators, then the account."""
    administrator, approver = (
        staff_services.administrator_bootstrap(
            username=username,
            first_name="Bench",
            last_name="Administrator",
            email="",
            password="bench-search-correct-horse",
        )
        for username in ("bench-search-admin", "bench-approver")
    )
    screener, _ = staff_services.user_create(
        actor=administrator,
        username="bench-search-screener",
        first_name="Bench",
        last_name="Screener",
        email="bench-search-screener@example.org",
        roles=[Role.INTAKE_SCREENER],
        approved_by=approver,
    )
    return screener


def _copy_text(value) -> str:
    """A plain Python value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_default(field) -> str:
    """The field's default as it would be saved, in COPY's text format."""
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return _copy_text(json.dumps(value))
    return _copy_text(field.get_db_prep_save(value, connection))


def _copy(model: type[models.Model], rows: list[dict]) -> None:
    """Insert rows with COPY, much faster than INSERT; a field a row leaves out takes its model default."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key or field.attname in rows[0]]
    # Fixed defaults are formatted once; callable ones (a new UUID, the time now) once per row.
    fixed = {
        field.attname: _copy_default(field) for field in fields if not (field.has_default() and callable(field.default))
    }
    lines = []
    for row in rows:
        values = []
        for field in fields:
            if field.attname in row:
                values.append(_copy_text(row[field.attname]))
            else:
                values.append(fixed[field.attname] if field.attname in fixed else _copy_default(field))
        lines.append("\t".join(values))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN",
            io.StringIO("\n".join(lines) + "\n"),
        )


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys from the table's sequence, so rows can be linked before they are copied."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _create_people(count: int, created_by: User, rng: random.Random) -> list[tuple[str, str]]:
    """`count` people with their search rows (and an alias for some), copied in batches; returns their names."""
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    female = [fake.first_name_female() for _ in range(NAME_POOL)]
    male = [fake.first_name_male() for _ in range(NAME_POOL)]
    surnames = [fake.last_name() for _ in range(NAME_POOL)]
    this_year = date.today().year
    names = []
    for start in range(0, count, BATCH_SIZE):
        people, aliases, search_rows = [], [], []
        for person_id in _next_ids(Person, min(BATCH_SIZE, count - start)):
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            first = rng.choice(female if sex == Sex.FEMALE else male)
            last = rng.choice(surnames)
            phone = f"({rng.randint(200, 999)}) 555-01{rng.randint(0, 99):02d}" if rng.random() < 0.6 else ""
            born = date(this_year - rng.randint(1, 80), rng.randint(1, 12), rng.randint(1, 28))
            people.append(
                {
                    "id": person_id,
                    "first_name": first,
                    "last_name": last,
                    "sex": sex,
                    "birth_date": born if rng.random() < 0.85 else None,
                    "phone": phone,
                    "phone_digits": phone_digits(phone),
                    "created_by_id": created_by.pk,
                }
            )
            names.append((first, last))
            search_names = [fold_name(first, last)]
            if rng.random() < ALIAS_SHARE:
                maiden = rng.choice(surnames)
                aliases.append({"person_id": person_id, "last_name": maiden, "kind": AliasKind.MAIDEN})
                search_names.append(fold_name(first, maiden))
            for folded in search_names:
                search_rows.append({"person_id": person_id, "name": folded, "sounds": sounds_column(folded)})
        _copy(Person, people)
        _copy(PersonName, search_rows)
        if aliases:
            _copy(PersonAlias, aliases)
    # As autovacuum would have done: fresh statistics, and the trigram indexes' pending lists merged
    # (rows added after a GIN index is built wait in an unsorted list that every search scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE families_person, families_personname, families_personalias")
    return names


def _misspell(word: str, rng: random.Random) -> str:
    """One typing slip: two letters swapped, one dropped, or one replaced."""
    if len(word) < 4:
        return word + word[-1]
    at = rng.randint(1, len(word) - 2)
    slip = rng.choice(["swap", "drop", "replace"])
    if slip == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + rng.choice("aeioulnrst") + word[at + 1 :]


def _queries(names: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """Exact names, names with a misspelled first or last name, and last name first, in equal shares."""
    queries = []
    for index, (first, last) in enumerate(rng.sample(names, QUERY_COUNT)):
        if index % 3 == 0:
            queries.append(f"{first} {last}")
        elif index % 3 == 1:
            queries.append(f"{first} {_misspell(last, rng)}" if index % 2 else f"{_misspell(first, rng)} {last}")
        else:
            queries.append(f"{last} {first}")
    return queries


def _name_match_sql(user: User, query: str) -> tuple[str, tuple]:
    """The SQL and parameters of the statement with which person_search matches names (the first to read them)."""
    captured = []

    def capture(execute, sql, params, many, context):
        if '"families_personname"' in sql and "set_config" not in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        selectors.person_search(user=user, name=query)
    if not captured:
        raise AssertionError("person_search read no search names")
    return captured[0]


def _explain(sql: str, params, *, analyze: bool) -> str:
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN ") + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def bench_person_search(*, scale: float) -> Iterable[tuple[str, float, str]]:
    """Person search as an intake screener among scale * 200,000 people: exact, misspelled and swapped names."""
    count = max(QUERY_COUNT, round(PEOPLE_AT_SCALE_1 * scale))
    rng = random.Random(SEED)
    screener = _screener()
    started = time.perf_counter()
    names = _create_people(count, screener, rng)
    print(f"  {count} people created in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    queries = _queries(names, rng)

    for query in queries[:WARM_UP_RUNS]:
        selectors.person_search(user=screener, name=query)
    timings, found = [], 0
    for _ in range(RUNS_PER_QUERY):
        for query in queries:
            started = time.perf_counter()
            results = selectors.person_search(user=screener, name=query)
            timings.append(time.perf_counter() - started)
            found += bool(results)
    if found < len(timings) * 0.9:
        raise AssertionError(f"Only {found} of {len(timings)} searches found anyone; the benchmark is not realistic")

    # The index counts as used only if the plan of every query uses it: one query read without it
    # (a sequential scan comparing every name) costs more than the rest together.
    plans = [_explain(*_name_match_sql(screener, query), analyze=False) for query in queries]
    with_index = sum(bool(re.search(rf"\b{TRIGRAM_INDEX}\b", plan)) for plan in plans)
    print(f"  {with_index} of {len(plans)} name-match plans use {TRIGRAM_INDEX}", file=sys.stderr)
    print(f"  Plan of the name match for {queries[0]!r}:", file=sys.stderr)
    print(_explain(*_name_match_sql(screener, queries[0]), analyze=True), file=sys.stderr)

    yield "person_search_median_ms", _ms(statistics.median(timings)), "ms"
    yield "person_search_p95_ms", _ms(statistics.quantiles(timings, n=20)[18]), "ms"
    yield "person_search_uses_index", int(with_index == len(plans)), "bool"


BENCHMARKS = [bench_person_search]
