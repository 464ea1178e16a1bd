from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.models import User
from motcua.accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (the last word of the output is the token)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}")
        self.stdout.write(api_token_create(user=user, name=name))
