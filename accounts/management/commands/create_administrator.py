import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services


class Command(BaseCommand):
    help = "Create an administrator account (for a new installation)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, first_name, last_name, email, **options):
        password = getpass.getpass("Password (12 characters or more): ")
        try:
            services.administrator_bootstrap(
                username=username, first_name=first_name, last_name=last_name, email=email, password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Administrator {username} created."))
