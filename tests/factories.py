"""Test data made through the real services, with invented names."""

from faker import Faker

from accounts import services
from accounts.models import Unit, User
from accounts.roles import Role

fake = Faker("en_US")
PASSWORD = "correct-horse-battery-staple"


def root_administrator() -> User:
    """The administrator who sets up everyone else in a test."""
    existing = User.objects.filter(username="root-admin").first()
    return existing or services.administrator_bootstrap(
        username="root-admin", first_name="Root", last_name="Admin", email="", password=PASSWORD
    )


def make_unit(name: str | None = None, supervisor: User | None = None) -> Unit:
    return services.unit_create(
        actor=root_administrator(), name=name or f"{fake.city()} Unit {fake.random_int()}", supervisor=supervisor
    )


def make_staff(username: str, *roles: Role, unit: Unit | None = None, **fields) -> User:
    user, _ = services.user_create(
        actor=root_administrator(),
        username=username,
        first_name=fields.pop("first_name", fake.first_name()),
        last_name=fields.pop("last_name", fake.last_name()),
        email=f"{username}@example.org",
        roles=list(roles),
        unit=unit,
        password=PASSWORD,
        **fields,
    )
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.refresh_from_db()
    return user
