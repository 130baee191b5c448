"""``manage.py deadlines_run``: run every deadline job once (the same jobs the scheduler runs)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from referrals.deadlines import deadlines_run


class Command(BaseCommand):
    help = (
        "Run every deadline job once (referrals.deadlines.DEADLINE_JOBS: acknowledgement overdue, HHS notice "
        "overdue, ...). Idempotent: each job acts once per referral and deadline."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help='Print {"job": count, ...}.')

    def handle(self, *args, as_json: bool = False, **options):
        results = deadlines_run()
        if as_json:
            self.stdout.write(json.dumps(results, sort_keys=True))
            return
        for name, count in results.items():
            self.stdout.write(f"{name}: {count} referral(s)")
