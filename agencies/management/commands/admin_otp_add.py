"""Give a staff user a TOTP device (RFC 6238) for the admin's second factor; print its secret once.

This is the bootstrap for the first superuser (``createsuperuser``, then this command, then scan the printed
``otpauth://`` URI into an authenticator app); later devices can be added by a verified admin under
"TOTP devices". Audited as ``admin.otp_device_added`` (the user name, never the secret).
"""

from __future__ import annotations

import base64
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.context import AuditContext
from audit.services import audit_record


class Command(BaseCommand):
    help = "Create a confirmed TOTP device for a staff user and print its secret and otpauth:// URI (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="A label for the device")
        parser.add_argument("--json", action="store_true", help="Print {username, device, secret, otpauth_uri}")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_staff:
            raise CommandError("No staff user with that user name (create it with createsuperuser first).")
        with transaction.atomic():
            device = TOTPDevice.objects.create(user=user, name=options["name"][:64], confirmed=True)
            audit_record(
                action="admin.otp_device_added",
                object_type="user",
                object_id=user.get_username(),
                context=AuditContext(client_id="operator:command-line", purpose="admin"),
            )
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        data = {
            "username": user.get_username(),
            "device": device.name,
            "secret": secret,
            "otpauth_uri": device.config_url,
        }
        if options["json"]:
            self.stdout.write(json.dumps(data))
            return
        self.stdout.write(f"TOTP device {device.name!r} for {data['username']}:")
        self.stdout.write(f"  secret (base32): {secret}")
        self.stdout.write(f"  URI:             {data['otpauth_uri']}")
        self.stdout.write("Add it to an authenticator app now; the secret is not shown again.")
