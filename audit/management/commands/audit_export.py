"""``manage.py audit_export --since <ISO time> [--output FILE]``: audit entries as JSON lines, then the head."""

from __future__ import annotations

import datetime

import orjson
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from audit.chain import HASHED_FIELDS, audit_seal, chain_head, sealed_in_chain_order
from audit.models import AuditEntry

# Every hashed field and the row hash: enough for an archive to re-verify the chain on its own.
EXPORTED_FIELDS = [*HASHED_FIELDS, "row_hash"]


def parse_since(raw: str):
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if (day := parse_date(raw)) is not None:
        # A bare date means its start, in UTC.
        value = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    if value is None:
        raise CommandError(f"--since must be an ISO 8601 time (e.g. 2026-11-28T00:00:00Z), not {raw!r}.")
    if value.tzinfo is None:
        raise CommandError("--since needs a time zone (e.g. a trailing Z for UTC).")
    return value


class Command(BaseCommand):
    help = (
        "Write sealed audit entries that occurred at or after --since as JSON lines, in chain order; the last "
        'line is {"head": {"chain_seq", "row_hash"}}: record it elsewhere and check it later with '
        "audit_verify --anchor SEQ:HASH."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="ISO 8601 time, e.g. 2026-11-28T00:00:00Z.")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--no-seal", action="store_true", help="Do not seal pending entries first.")

    def handle(self, *args, since, output=None, no_seal=False, **options):
        since_at = parse_since(since)
        if not no_seal:
            audit_seal()
        # The head is read before the rows: every exported row is at or before it in the chain.
        head_seq, head_hash = chain_head()
        rows = sealed_in_chain_order(
            AuditEntry.objects.filter(occurred_at__gte=since_at, chain_seq__lte=head_seq), fields=EXPORTED_FIELDS
        )
        stream = open(output, "w", encoding="utf-8") if output else self.stdout
        count = 0
        try:
            for values in rows:
                line = dict(zip(EXPORTED_FIELDS, values, strict=True))
                line["public_id"] = str(line["public_id"])
                stream.write(orjson.dumps(line).decode() + "\n")
                count += 1
            head = {"head": {"chain_seq": head_seq, "row_hash": head_hash, "entries_exported": count}}
            stream.write(orjson.dumps(head).decode() + "\n")
            stream.flush()
        finally:
            if output:
                stream.close()
        if output:
            self.stderr.write(f"Wrote {count} audit entries and the head (chain_seq={head_seq}) to {output}.")
