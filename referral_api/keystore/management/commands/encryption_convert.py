"""``manage.py encryption_convert``: move v1.0 per-field values and files under per-referral data keys."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from referral_api.encryption import file_hooks, v1_columns
from referral_api.sealing import legacy_convert_table


class Command(BaseCommand):
    help = (
        "Seal values and files still in the v1.0 format (per-field Fernet under FIELD_ENCRYPTION_KEYS) under each "
        "referral's data key, in batches. `migrate` runs this too; use it to finish a conversion that stopped. "
        "Resumable and idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        failed = 0
        for model, legacy in v1_columns():
            report = legacy_convert_table(model=model, legacy=legacy, batch_size=batch_size)
            failed += report.rows_failed
            self.stdout.write(f"{report.table}: {report.rows_converted} rows sealed, {report.rows_failed} failed")
        for hook in file_hooks():
            remaining = hook.convert(batch_size=batch_size)
            failed += remaining
            self.stdout.write(f"{hook.name} (files): {remaining} left in the v1.0 format")
        if failed:
            raise CommandError(f"{failed} values or files could not be converted (see the log).")
        self.stdout.write(self.style.SUCCESS("Every value and file is sealed under its referral's data key."))
