import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.management.commands._common import validation_message
from agencies.services import client_set_scopes


class Command(BaseCommand):
    help = (
        "Replace a client's allowed scopes. Narrowing takes effect on its live tokens at once (they keep only the "
        "scopes the client still allows); audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("client_id")
        parser.add_argument("--scopes", required=True, help='Space-separated, e.g. "referrals:read events:read"')
        parser.add_argument("--json", action="store_true", help="Print {client_id, agency, scopes}")

    def handle(self, *args, **options):
        try:
            client = client_set_scopes(client_id=options["client_id"], scopes=options["scopes"].split())
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        data = {"client_id": client.client_id, "agency": client.agency.code, "scopes": " ".join(client.scope_list)}
        if options["json"]:
            self.stdout.write(json.dumps(data))
            return
        self.stdout.write(f"Client {data['client_id']} ({data['agency']}) now has scopes: {data['scopes']}")
