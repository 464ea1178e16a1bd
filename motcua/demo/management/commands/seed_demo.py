from django.core.management.base import BaseCommand

from motcua.demo.seed import DEMO_TOTP_KEY_HEX, seed_all


class Command(BaseCommand):
    help = "Load the demo province (idempotent): units, counters, users, catalog, offerings."

    def add_arguments(self, parser):
        parser.add_argument("--no-history", action="store_true", help="skip the year of dossier history")

    def handle(self, *args, no_history: bool = False, **options):
        self.stdout.write("Seeding the demo province (Tỉnh An Lạc, H99)…")
        users = seed_all(self.stdout.write, history=not no_history)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (local demo only):"))
        for user in users:
            role = user.role or user.kind
            self.stdout.write(f"  {user.username:<17} {user.password:<30} {role}")
        secret = _base32(DEMO_TOTP_KEY_HEX)
        self.stdout.write(
            f"\nStaff second factor (TOTP): secret {secret} in any authenticator app,\n"
            "or print the current code with: .venv/bin/python manage.py demo_otp demo-counter"
        )


def _base32(hex_key: str) -> str:
    import base64

    return base64.b32encode(bytes.fromhex(hex_key)).decode()
