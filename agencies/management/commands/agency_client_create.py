from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.management.commands._common import (
    add_jwks_arguments,
    jwks_source,
    print_credentials,
    validation_message,
)
from agencies.services import client_create


class Command(BaseCommand):
    help = (
        "Create an OAuth client for an agency and print its id and secret (the secret is shown once); with "
        "--auth private_key_jwt the client has no secret and proves itself with a key in its JWK Set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Agency code, e.g. ICE")
        parser.add_argument("--name", required=True, help='What the client is, e.g. "HSI case system"')
        parser.add_argument("--scopes", required=True, help='Space-separated, e.g. "referrals:read referrals:write"')
        parser.add_argument("--operator", action="store_true", help="An operator client (introspection only)")
        parser.add_argument(
            "--auth",
            choices=["client_secret_basic", "private_key_jwt"],
            default="client_secret_basic",
            help="How the client authenticates at the token endpoint (default: client_secret_basic)",
        )
        add_jwks_arguments(parser, required=False)
        parser.add_argument("--json", action="store_true", help="Print {client_id, client_secret, agency, scopes}")

    def handle(self, *args, **options):
        keys = jwks_source(options)
        if options["auth"] == "private_key_jwt" and keys is None:
            raise CommandError("--auth private_key_jwt needs the client's public keys: --jwks-file or --jwks-url.")
        if options["auth"] == "client_secret_basic" and keys is not None:
            raise CommandError("--jwks-file and --jwks-url go with --auth private_key_jwt.")
        try:
            issued = client_create(
                agency_code=options["agency"],
                name=options["name"],
                scopes=options["scopes"].split(),
                operator=options["operator"],
                keys=keys,
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        print_credentials(self, issued, as_json=options["json"], verb="Created")
