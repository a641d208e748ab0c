from django.core.management.base import BaseCommand, CommandError

from accounts import second_factor
from accounts.models import User


class Command(BaseCommand):
    help = "Remove a user's second factor (a lost phone): their next sign-in asks for the password only."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username}.")
        if not second_factor.totp_devices_remove(actor=None, user=user):
            raise CommandError(f"{username} has no second factor.")
        self.stdout.write(self.style.SUCCESS(f"The second factor of {username} was removed."))
