"""Shared bits of the credential commands."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from agencies.jwks import jwks_summary
from agencies.services import JWKSSource


def validation_message(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def print_credentials(command, issued, *, as_json: bool, verb: str) -> None:
    data = issued.as_dict()
    if as_json:
        command.stdout.write(json.dumps(data))
        return
    command.stdout.write(f"{verb} client for {data['agency']} with scopes: {data['scopes']}")
    command.stdout.write(f"  client_id:     {data['client_id']}")
    if data["client_secret"] is None:
        client = issued.client
        command.stdout.write("  authentication: private_key_jwt (no secret)")
        if client.jwks_uri:
            command.stdout.write(f"  jwks_uri:      {client.jwks_uri}")
        for key in jwks_summary(client.jwks):
            command.stdout.write(f"  key:           kid={key['kid']} {key['kty']} {key['alg']}")
        return
    command.stdout.write(f"  client_secret: {data['client_secret']}")
    command.stdout.write("The secret is shown only now: store it in the partner system's secret store.")


def add_jwks_arguments(parser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--jwks-file", help="A JSON file holding the client's public JWK Set")
    group.add_argument("--jwks-url", help="The https URL where the client publishes its JWK Set")


def jwks_source(options) -> JWKSSource | None:
    """The JWK Set named by --jwks-file or --jwks-url, checked; ``None`` when neither was given."""
    try:
        if options.get("jwks_file"):
            path = Path(options["jwks_file"])
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            return JWKSSource.from_file(path.read_bytes()[: 1024 * 1024])
        if options.get("jwks_url"):
            return JWKSSource.from_url(options["jwks_url"])
    except ValidationError as exc:
        raise CommandError(validation_message(exc)) from None
    return None


__all__ = ["CommandError", "add_jwks_arguments", "jwks_source", "print_credentials", "validation_message"]
