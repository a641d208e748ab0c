"""Demo agency for `make run`: invented staff (Faker), safe to run again (nothing is duplicated)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from accounts import services
from accounts.models import Unit, User
from accounts.roles import Role

DEMO_PASSWORD = "kindred-demo-password"

# username, role(s), unit index (None: no unit), clearances
STAFF = [
    ("supervisor1", [Role.SUPERVISOR], 0, {"clearance_sensitive": True}),
    ("supervisor2", [Role.SUPERVISOR], 1, {"clearance_sensitive": True}),
    ("worker1", [Role.CASEWORKER], 0, {}),
    ("worker2", [Role.CASEWORKER], 0, {}),
    ("worker3", [Role.CASEWORKER], 1, {}),
    ("worker4", [Role.CASEWORKER], 1, {}),
    ("screener", [Role.INTAKE_SCREENER], None, {"clearance_sensitive": True}),
    ("manager", [Role.PROGRAM_MANAGER], None, {"clearance_sensitive": True}),
    ("auditor", [Role.AUDITOR], None, {}),
]
UNITS = ["North Ongoing Services", "South Investigations"]


class Command(BaseCommand):
    help = "Load the demo agency (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        fake = Faker("en_US")
        Faker.seed(2026)
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = services.administrator_bootstrap(
                username="admin",
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                email="admin@example.org",
                password=DEMO_PASSWORD,
            )
        units = [
            Unit.objects.filter(name=name).first() or services.unit_create(actor=admin, name=name, supervisor=None)
            for name in UNITS
        ]
        for username, roles, unit_index, clearances in STAFF:
            first, last = fake.first_name(), fake.last_name()
            if User.objects.filter(username=username).exists():
                continue
            user, _ = services.user_create(
                actor=admin,
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                roles=roles,
                unit=units[unit_index] if unit_index is not None else None,
                password=DEMO_PASSWORD,
                **clearances,
            )
            # Demo accounts skip the first-sign-in password change so the demo opens at once.
            User.objects.filter(pk=user.pk).update(must_change_password=False)
        for index, unit in enumerate(units):
            supervisor = User.objects.get(username=f"supervisor{index + 1}")
            if unit.supervisor_id != supervisor.pk:
                services.unit_update(actor=admin, unit=unit, name=unit.name, supervisor=supervisor)
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for user in (
            User.objects.filter(username__in=["admin", *[row[0] for row in STAFF]])
            .order_by("username")
            .prefetch_related("groups")
        ):
            self.stdout.write(f"  {user.username:<12} {user.role_labels:<18} {user.display_name}")
