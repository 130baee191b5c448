"""``manage.py audit_seal [--watch SECONDS]``: chain the audit rows committed since the last run."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from audit.chain import audit_seal


class Command(BaseCommand):
    help = "Seal committed audit entries into the hash chain (once, or every --watch seconds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch", type=float, metavar="SECONDS", help="Keep running, sealing every SECONDS (e.g. 2)."
        )

    def handle(self, *args, watch=None, **options):
        if watch is None:
            sealed = audit_seal()
            self.stdout.write(f"Sealed {sealed} audit entries.")
            return
        while True:  # pragma: no cover - a long-running process, stopped by a signal
            sealed = audit_seal()
            if sealed:
                self.stdout.write(f"Sealed {sealed} audit entries.")
            time.sleep(max(watch, 0.1))
