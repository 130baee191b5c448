"""``manage.py audit_archive --before DATE --out FILE``: archive the sealed audit entries before DATE to a signed
file, then remove exactly those entries from the database (whole monthly partitions dropped)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit import archive_format
from audit.archive import ArchiveError, archive_public_key, audit_archive, partitions_ensure
from audit.management.commands.audit_export import parse_since


class Command(BaseCommand):
    help = (
        "Write the sealed audit entries that occurred before --before (the chain prefix) to --out with a manifest "
        "signed by AUDIT_ARCHIVE_KEY (Ed25519), verify the file, then remove exactly those entries: whole monthly "
        "partitions are dropped, the rest deleted through the owner role (DATABASE_OWNER_URL). audit_verify then "
        "passes from the first kept entry; audit_verify --archive FILE checks the file on its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="ISO 8601 date or time (UTC if a bare date), e.g. 2026-01-01.")
        parser.add_argument("--out", help="The archive file to write (never overwritten).")
        parser.add_argument(
            "--print-public-key", action="store_true", help="Print the public key auditors verify with, and stop."
        )

    def handle(self, *args, before=None, out=None, print_public_key=False, **options):
        try:
            if print_public_key:
                self.stdout.write(archive_format.b64url(archive_public_key()))
                return
            if not before or not out:
                raise CommandError("--before and --out are required.")
            cutoff = parse_since(before)
            result = audit_archive(before=cutoff, path=out)
            partitions_ensure()
        except (ArchiveError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if result.count == 0:
            self.stdout.write("Nothing to archive: no sealed entry before that time (the newest entry always stays).")
            return
        self.stdout.write(
            f"Archived {result.count} entries (chain_seq {result.first_seq}-{result.last_seq}) to {out}; "
            f"dropped partitions: {', '.join(result.partitions_dropped) or 'none'}; "
            f"deleted {result.rows_deleted} rows of partial months. Public key: "
            f"{archive_format.b64url(archive_public_key())}"
        )
