import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.jwks import jwks_summary
from agencies.management.commands._common import add_jwks_arguments, jwks_source, validation_message
from agencies.services import client_set_jwks


class Command(BaseCommand):
    help = (
        "Replace a private_key_jwt client's JWK Set (key rollover: publish the new key alongside the old one, "
        "then drop the old one). Live tokens stay valid. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("client_id")
        add_jwks_arguments(parser, required=True)
        parser.add_argument("--json", action="store_true", help="Print {client_id, jwks_uri, keys: [{kid, alg}]}")

    def handle(self, *args, **options):
        keys = jwks_source(options)
        try:
            client = client_set_jwks(client_id=options["client_id"], keys=keys)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        summary = jwks_summary(client.jwks)
        if options["json"]:
            self.stdout.write(
                json.dumps({"client_id": client.client_id, "jwks_uri": client.jwks_uri or None, "keys": summary})
            )
            return
        source = client.jwks_uri or "the submitted file"
        self.stdout.write(f"Client {client.client_id} now takes its keys from {source}.")
        for key in summary:
            self.stdout.write(f"  key: kid={key['kid']} {key['kty']} {key['alg']}")
