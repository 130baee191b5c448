from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.management.commands._common import print_credentials, validation_message
from agencies.services import client_rotate_secret


class Command(BaseCommand):
    help = "Give a client a new secret; the old secret and its live tokens stop working at once."

    def add_arguments(self, parser):
        parser.add_argument("client_id")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            issued = client_rotate_secret(client_id=options["client_id"])
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        print_credentials(self, issued, as_json=options["json"], verb="Rotated the secret of the")
