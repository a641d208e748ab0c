"""Demo agency for `make run`: invented staff, families and reports (Faker), safe to run again (nothing is duplicated).

Families and reports are made through the real services, acting as the demo staff, so they
carry the audit entries, transitions and notifications real ones would.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from faker import Faker

from accounts import services
from accounts.models import Notification, Unit, User
from accounts.roles import Role
from cases.services import visit_alerts_refresh
from demo.cases import build_cases, demo_cases_exist
from demo.families import build_families
from demo.investigations import build_investigations
from demo.reports import build_reports, demo_reports_exist

DEMO_PASSWORD = "kindred-demo-password"
# The unit (index in UNITS) of the demo screener: its supervisor approves screen-outs and assigns investigations.
INTAKE_UNIT = 1

# username, role(s), unit index (None: no unit), clearances
STAFF = [
    ("supervisor1", [Role.SUPERVISOR], 0, {"clearance_sensitive": True}),
    ("supervisor2", [Role.SUPERVISOR], 1, {"clearance_sensitive": True}),
    ("worker1", [Role.CASEWORKER], 0, {}),
    ("worker2", [Role.CASEWORKER], 0, {}),
    ("worker3", [Role.CASEWORKER], 1, {}),
    ("worker4", [Role.CASEWORKER], 1, {}),
    ("screener", [Role.INTAKE_SCREENER], INTAKE_UNIT, {"clearance_sensitive": True}),
    ("manager", [Role.PROGRAM_MANAGER], None, {"clearance_sensitive": True}),
    ("auditor", [Role.AUDITOR], None, {}),
]
UNITS = ["North Ongoing Services", "South Investigations"]
DEMO_USERNAMES = ["admin", "admin2", *[row[0] for row in STAFF]]


class Command(BaseCommand):
    help = "Load the demo agency (idempotent)."

    def handle(self, *args, **options):
        # The demo staff share a published password: loaded into a real agency's database, anyone could sign in.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo loads invented staff who all sign in with a published password: it runs only with "
                "DEBUG on (a development machine), never against a production database."
            )
        # The demo's notifications stay in the application: no e-mail to the invented staff.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            cases_loaded = self.load()
            # Alerts as the nightly job would have raised them, so My work and the dashboard show them at once.
            visit_alerts_refresh()
            # Stamped as sent, so neither the e-mail tasks queued for them nor the worker's sweep mails them later.
            Notification.objects.filter(recipient__username__in=DEMO_USERNAMES, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
        # Written once committed, so output that cannot be written never undoes the load.
        self.stdout.write(cases_loaded)
        self.write_sign_ins()

    def write_sign_ins(self) -> None:
        staff = {
            user.username: user
            for user in User.objects.filter(username__in=DEMO_USERNAMES)
            .select_related("unit__supervisor")
            .prefetch_related("groups")
        }
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'Username':<12} {'Role':<18} {'Unit':<24} Name")
        for username in sorted(staff):
            user = staff[username]
            unit = user.unit.name if user.unit else "No unit"
            self.stdout.write(f"  {user.username:<12} {user.role_labels:<18} {unit:<24} {user.display_name}")
        intake_unit = staff["screener"].unit
        supervisor = intake_unit.supervisor
        self.stdout.write(
            f"The screener's reports go to {intake_unit.name}: its supervisor, {supervisor.username} "
            f"({supervisor.display_name}), approves screen-outs and assigns investigations."
        )

    def load(self) -> str:
        fake = Faker("en_US")
        Faker.seed(2026)
        admin = self.administrator("admin", fake)
        approver = self.administrator("admin2", fake)
        units = [
            Unit.objects.filter(name=name).first() or services.unit_create(actor=admin, name=name, supervisor=None)
            for name in UNITS
        ]
        for username, roles, unit_index, clearances in STAFF:
            first, last = fake.first_name(), fake.last_name()
            if User.objects.filter(username=username).exists():
                continue
            # Created by one administrator and approved by the other in one go, as only demo data may be.
            user, _ = services.user_create(
                actor=admin,
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                roles=roles,
                unit=units[unit_index] if unit_index is not None else None,
                approved_by=approver,
                **clearances,
            )
            # As if each had set the demo password through their one-time link, so the demo opens at once.
            user.set_password(DEMO_PASSWORD)
            User.objects.filter(pk=user.pk).update(password=user.password, must_change_password=False)
        for index, unit in enumerate(units):
            supervisor = User.objects.get(username=f"supervisor{index + 1}")
            if unit.supervisor_id != supervisor.pk:
                services.unit_update(
                    actor=admin, unit=unit, name=unit.name, supervisor=supervisor, approved_by=approver
                )
        return self.load_cases(admin, units[INTAKE_UNIT])

    def administrator(self, username: str, fake: Faker) -> User:
        """One of the demo's two administrators: what one asks for, the other approves."""
        return User.objects.filter(username=username).first() or services.administrator_bootstrap(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{username}@example.org",
            password=DEMO_PASSWORD,
        )

    def load_cases(self, admin: User, intake_unit: Unit) -> str:
        """Families and intake reports, once: skipped when the demo screener has recorded anything."""
        intake_unit.refresh_from_db()
        screener = User.objects.get(username="screener")
        if screener.unit_id != intake_unit.pk:
            # Installations seeded before the screener had a unit: the supervisor flow needs one.
            screener = services.user_update(
                actor=admin,
                user=screener,
                first_name=screener.first_name,
                last_name=screener.last_name,
                email=screener.email,
                roles=list(screener.roles),
                unit=intake_unit,
                clearance_sensitive=screener.clearance_sensitive,
                clearance_sealed=screener.clearance_sealed,
            )
        if demo_reports_exist(screener):
            loaded = "Demo families and reports are already loaded."
        else:
            families = build_families(actor=screener, today=timezone.localdate())
            workers = list(User.objects.filter(unit=intake_unit, username__in=["worker3", "worker4"]))
            reports = build_reports(
                screener=screener, supervisor=intake_unit.supervisor, workers=workers, families=families
            )
            investigations = build_investigations(
                screener=screener, supervisor=intake_unit.supervisor, workers=workers, families=families
            )
            people = sum(len(f.parents) + len(f.children) + len(f.grandparents) + len(f.kin) for f in families)
            loaded = (
                f"Demo families: {len(families)} families, {people} people, "
                f"{len(reports) + len(investigations)} intake reports, {len(investigations)} of them investigated."
            )
        return f"{loaded}\n{self.load_ongoing_cases()}"

    def load_ongoing_cases(self) -> str:
        """Ongoing cases of the first unit, once: skipped when its supervisor has opened any case."""
        supervisor = User.objects.get(username="supervisor1")
        if demo_cases_exist(supervisor):
            return "Demo ongoing cases are already loaded."
        workers = list(User.objects.filter(username__in=["worker1", "worker2"]))
        cases = build_cases(supervisor=supervisor, workers=workers)
        return f"Demo ongoing cases: {len(cases)} cases of {supervisor.unit.name}."
