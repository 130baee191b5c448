"""Shared bits of the credential commands."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def validation_message(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def print_credentials(command, issued, *, as_json: bool, verb: str) -> None:
    data = issued.as_dict()
    if as_json:
        command.stdout.write(json.dumps(data))
        return
    command.stdout.write(f"{verb} client for {data['agency']} with scopes: {data['scopes']}")
    command.stdout.write(f"  client_id:     {data['client_id']}")
    command.stdout.write(f"  client_secret: {data['client_secret']}")
    command.stdout.write("The secret is shown only now: store it in the partner system's secret store.")


__all__ = ["CommandError", "print_credentials", "validation_message"]
