from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.management.commands._common import print_credentials, validation_message
from agencies.services import client_create


class Command(BaseCommand):
    help = "Create an OAuth client for an agency and print its id and secret (the secret is shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Agency code, e.g. ICE")
        parser.add_argument("--name", required=True, help='What the client is, e.g. "HSI case system"')
        parser.add_argument("--scopes", required=True, help='Space-separated, e.g. "referrals:read referrals:write"')
        parser.add_argument("--operator", action="store_true", help="An operator client (introspection only)")
        parser.add_argument("--json", action="store_true", help="Print {client_id, client_secret, agency, scopes}")

    def handle(self, *args, **options):
        try:
            issued = client_create(
                agency_code=options["agency"],
                name=options["name"],
                scopes=options["scopes"].split(),
                operator=options["operator"],
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        print_credentials(self, issued, as_json=options["json"], verb="Created")
