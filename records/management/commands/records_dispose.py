"""``manage.py records_dispose [--dry-run] [--json]``: dispose of every referral past its retention period."""

from __future__ import annotations

import time

import orjson
from django.core.management.base import BaseCommand

from records.services import DISPOSAL_BATCH_SIZE, records_dispose


class Command(BaseCommand):
    help = (
        "Dispose of every terminal referral past its retention policy's period and not on legal hold: its data "
        "key is destroyed, its people, narrative, notes and attachments deleted, a tombstone kept. Idempotent and "
        "resumable. --dry-run lists what would be disposed of."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be disposed of; change nothing.")
        parser.add_argument("--json", action="store_true", help='Print [{"reference", "referral_type", ...}].')
        parser.add_argument("--batch-size", type=int, default=DISPOSAL_BATCH_SIZE, help="Referrals per transaction.")

    def handle(self, *args, dry_run=False, json=False, batch_size=DISPOSAL_BATCH_SIZE, **options):
        started = time.monotonic()
        results = records_dispose(dry_run=dry_run, batch_size=max(1, batch_size))
        if json:
            self.stdout.write(orjson.dumps([r.as_json() for r in results]).decode())
            return
        verb = "would dispose of" if dry_run else "disposed of"
        for r in results:
            self.stdout.write(f"{r.reference}  {r.referral_type}  {verb} under {r.citation}")
        self.stdout.write(
            f"{'Dry run: ' if dry_run else ''}{len(results)} referral(s) {verb} in {time.monotonic() - started:.1f} s."
        )
