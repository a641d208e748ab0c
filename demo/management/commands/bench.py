"""`manage.py bench`: run every benchmark against a throwaway PostgreSQL database.

The benchmarks live in `demo/bench/`, one module per area, each with a `BENCHMARKS` list of callables:

    def bench_staff_list(*, scale: float) -> Iterable[tuple[str, float, str]]:
        yield "staff_list_median_ms", 12.3, "ms"

`demo.bench.MODULES` orders the modules. A benchmark's name is its function name without the
`bench_` prefix. Every figure it yields is printed on its own line of standard output, exactly as

    bench <name>: <value> <unit>

and nothing else goes to standard output, so the lines can be collected by a script.
Progress and errors go to standard error.
"""

import sys
import time
import traceback
from collections.abc import Callable, Iterable
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings, setup_databases, teardown_databases

from demo.bench import MODULES

Benchmark = Callable[..., Iterable[tuple[str, float, str]]]


def discover() -> list[tuple[str, str, Benchmark]]:
    """(area, benchmark name, callable) for every BENCHMARKS entry of the modules in `demo.bench.MODULES`, in order."""
    found = []
    for area in MODULES:
        module = import_module(f"demo.bench.{area}")
        for function in module.BENCHMARKS:
            found.append((area, function.__name__.removeprefix("bench_"), function))
    return found


def format_value(value: float) -> str:
    """Counts (ints) as such; measurements to at most three decimals (55.0, 4.25); never scientific notation."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


class Command(BaseCommand):
    help = "Run the benchmarks (demo/bench/) in a throwaway PostgreSQL test database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            metavar="NAME",
            help="Run only the benchmarks whose name (or app_label.name) starts with NAME.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size factor passed to every benchmark (1.0: the reference size; 0.1 for a quick run).",
        )

    def handle(self, *args, only: str | None, scale: float, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "manage.py bench needs PostgreSQL, and refuses to run on "
                f"{connection.vendor}: timings on SQLite say nothing about production. "
                "Set DATABASE_URL=postgres://user@host:5432/dbname (a throwaway test database "
                "is created next to it; the named database itself is never touched), or run `make bench`."
            )
        if scale <= 0:
            raise CommandError(f"--scale must be a positive number; got {scale}")

        benchmarks = discover()
        if only:
            benchmarks = [
                (label, name, function)
                for label, name, function in benchmarks
                if name.startswith(only) or f"{label}.{name}".startswith(only)
            ]
            if not benchmarks:
                available = ", ".join(f"{label}.{name}" for label, name, _ in discover()) or "none"
                raise CommandError(f"No benchmark name starts with {only!r}. Available: {available}.")
        if not benchmarks:
            raise CommandError("No benchmarks found in demo.bench.MODULES.")

        # A name of its own, so a benchmark run never collides with the test suite's test_<name> database.
        real_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_bench_{real_name}"
        self.progress(f"Creating the throwaway database test_bench_{real_name} (migrating)...")
        old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=())
        failed = []
        try:
            # Production-like rendering (no template debug), and the test client's host allowed.
            # Static files keep the storage chosen at start-up, so no collectstatic is needed.
            with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                for label, name, function in benchmarks:
                    self.progress(f"Running {label}.{name} (scale {format_value(scale)})...")
                    started = time.perf_counter()
                    try:
                        for figure, value, unit in function(scale=scale):
                            self.stdout.write(f"bench {figure}: {format_value(value)} {unit}")
                            self.stdout.flush()
                    except Exception:
                        failed.append(f"{label}.{name}")
                        traceback.print_exc(file=sys.stderr)
                    self.progress(f"  {label}.{name} took {time.perf_counter() - started:.1f} s")
        finally:
            self.progress("Dropping the throwaway database...")
            teardown_databases(old_config, verbosity=0)
        if failed:
            raise CommandError(f"Benchmarks failed: {', '.join(failed)} (tracebacks above).")

    def progress(self, message: str) -> None:
        self.stderr.write(message, style_func=str)
        self.stderr.flush()
