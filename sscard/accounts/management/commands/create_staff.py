from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.accounts import services
from sscard.accounts.errors import FieldErrors
from sscard.accounts.models import User


class Command(BaseCommand):
    help = ("Create a staff account with a TOTP authenticator device and print its otpauth:// URI "
            "(scan it with an authenticator app; production requires the code at staff log-in).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="the staff member's real name")
        parser.add_argument("--password", required=True)
        parser.add_argument("--superuser", action="store_true")

    def handle(self, username, name, password, superuser=False, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"a user named {username!r} already exists")
        try:
            user = services.create_staff(username=username, password=password, real_name=name,
                                         is_superuser=superuser)
        except FieldErrors as error:
            raise CommandError(str(error)) from None
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        self.stdout.write(f"staff account {username!r} created")
        self.stdout.write(f"authenticator URI (show it only to {username}): {device.config_url}")
