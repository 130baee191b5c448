from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.management.commands._common import validation_message
from agencies.services import client_revoke


class Command(BaseCommand):
    help = "Deactivate a client and delete its tokens."

    def add_arguments(self, parser):
        parser.add_argument("client_id")

    def handle(self, *args, **options):
        try:
            client = client_revoke(client_id=options["client_id"])
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        self.stdout.write(f"Revoked client {client.client_id} ({client.agency.code}); its tokens no longer work.")
