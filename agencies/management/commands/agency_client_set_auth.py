from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.management.commands._common import (
    add_jwks_arguments,
    jwks_source,
    print_credentials,
    validation_message,
)
from agencies.services import client_set_auth_method


class Command(BaseCommand):
    help = (
        "Switch how a client authenticates at the token endpoint. The other method stops at once and the "
        "client's live tokens are revoked. To private_key_jwt: give its keys (the secret is erased). To "
        "client_secret_basic: a new secret is printed once (the keys are erased). Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("client_id")
        parser.add_argument("--auth", required=True, choices=["client_secret_basic", "private_key_jwt"])
        add_jwks_arguments(parser, required=False)
        parser.add_argument("--json", action="store_true", help="Print {client_id, client_secret, agency, scopes}")

    def handle(self, *args, **options):
        keys = jwks_source(options)
        try:
            issued = client_set_auth_method(client_id=options["client_id"], method=options["auth"], keys=keys)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        print_credentials(self, issued, as_json=options["json"], verb=f"Switched to {options['auth']} the")
