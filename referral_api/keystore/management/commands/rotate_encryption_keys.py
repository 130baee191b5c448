"""``manage.py rotate_encryption_keys``: rewrap data keys under the newest KEK, or re-encrypt (docs/privacy.md)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from referral_api.rotation import DEFAULT_BATCH_SIZE, encryption_keys_rotate, referrals_reencrypt


class Command(BaseCommand):
    help = (
        "Rewrap every referral's data key and re-encrypt the webhook secrets under the newest key of "
        "FIELD_ENCRYPTION_KEYS, in batches (no referral data is re-encrypted). With --reencrypt, seal every "
        "referral's records and files under a fresh data key instead (a suspected data-key compromise). "
        "Resumable: run it again after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what is still to do.")
        parser.add_argument(
            "--reencrypt",
            action="store_true",
            help="Re-encrypt every referral under a new data key and destroy the old ones.",
        )
        parser.add_argument(
            "--before",
            help="With --reencrypt: only referrals whose data key is older than this RFC 3339 time (to resume a "
            "run, pass the time the first run printed).",
        )

    def handle(self, *args, batch_size: int, dry_run: bool, reencrypt: bool, before: str | None, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if reencrypt:
            return self._reencrypt(batch_size=batch_size, dry_run=dry_run, before=before)
        if before:
            raise CommandError("--before is only for --reencrypt.")
        keys = len(settings.FIELD_ENCRYPTION_KEYS)
        self.stdout.write(f"{keys} key-encryption key(s) configured; wrapping under the first.")
        report = encryption_keys_rotate(batch_size=batch_size, dry_run=dry_run)
        verb = "to rewrap" if dry_run else "rewrapped"
        keys_report = report.data_keys
        line = f"data keys: {keys_report.rewrapped} {verb} in {keys_report.seconds:.2f} s"
        if keys_report.rewrapped and not dry_run:
            line += f" ({keys_report.seconds_per_10k:.2f} s per 10,000 referrals)"
        if keys_report.failed:
            line += f"; {keys_report.failed} no configured key unwraps (see the log)"
        self.stdout.write(line)
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        for t in report.tables:
            line = f"{t.table}: {t.rows_reencrypted} rows {verb} ({t.values_reencrypted} values) of {t.rows_scanned}"
            if t.values_failed:
                line += f"; {t.values_failed} values no key decrypts"
            if t.values_skipped_concurrent:
                line += f"; {t.values_skipped_concurrent} values changed concurrently (already current)"
            self.stdout.write(line)
        if report.files_v1:
            self.stdout.write(f"{report.files_v1} stored files are still in the v1.0 format (run `manage.py migrate`).")
        if not dry_run and not report.complete:
            raise CommandError(
                "Some keys or values are still under an older key (see above and the log): do not remove it yet."
            )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Everything is under the newest key; older keys may be removed."))

    def _reencrypt(self, *, batch_size: int, dry_run: bool, before: str | None):
        if before:
            try:
                moment = datetime.datetime.fromisoformat(before.replace("Z", "+00:00"))
            except ValueError:
                raise CommandError("--before must be an RFC 3339 time, e.g. 2026-12-02T03:00:00Z.") from None
            if moment.tzinfo is None:
                raise CommandError("--before needs a time zone, e.g. 2026-12-02T03:00:00Z.")
        else:
            moment = timezone.now()
        self.stdout.write(f"Re-encrypting referrals whose data key is older than {moment.isoformat()}")
        self.stdout.write(f"(to resume after an interruption: --reencrypt --before {moment.isoformat()})")
        report = referrals_reencrypt(before=moment, batch_size=batch_size, dry_run=dry_run)
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(f"referrals: {report.referrals} {verb} ({report.values} values and files)")
        if report.failed:
            raise CommandError(f"{report.failed} referrals could not be re-encrypted (see the log); run again.")
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Every referral is under a fresh data key."))
