"""``manage.py rotate_encryption_keys``: re-encrypt every stored value under the newest key (docs/privacy.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referrals.rotation import DEFAULT_BATCH_SIZE, encryption_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column, webhook secret and attachment under the newest key of "
        "FIELD_ENCRYPTION_KEYS, in batches. Resumable: run it again after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what is still under an older key.")

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        keys = len(settings.FIELD_ENCRYPTION_KEYS)
        self.stdout.write(f"{keys} key(s) configured; encrypting under the first.")
        report = encryption_keys_rotate(batch_size=batch_size, dry_run=dry_run)
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        width = max([len(t.table) for t in report.tables] + [len("attachments (objects)")])
        for t in report.tables:
            line = (
                f"{t.table:<{width}}  {t.rows_reencrypted:>8} rows {verb} "
                f"({t.values_reencrypted} values) of {t.rows_scanned}"
            )
            if t.values_failed:
                line += f"; {t.values_failed} values no key decrypts"
            if t.values_skipped_concurrent:
                line += f"; {t.values_skipped_concurrent} values changed concurrently (already current)"
            self.stdout.write(line)
        line = f"{'attachments (objects)':<{width}}  {report.attachments_reencrypted:>8} {verb}"
        if report.attachments_remaining:
            line += f"; {report.attachments_remaining} could not be re-encrypted (see the log)"
        self.stdout.write(line)
        total = sum(t.values_reencrypted for t in report.tables)
        self.stdout.write(f"Total: {total} values and {report.attachments_reencrypted} attachments {verb}.")
        if not dry_run and not report.complete:
            raise CommandError(
                "Some values are still under an older key (see above and the log): do not remove the old key yet."
            )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Every value is under the newest key; older keys may be removed."))
