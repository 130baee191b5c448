"""``manage.py audit_benchmark --i-understand-this-writes-audit-rows``: compare the two chaining designs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.benchmark import HEADER, run_benchmark
from audit.chain import audit_seal, audit_verify_chain


class Command(BaseCommand):
    help = (
        "Measure chaining under a lock held to commit vs. a background sealer, with concurrent writer threads. "
        "Writes permanent audit rows (agency BENCH): run it on a scratch database only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--i-understand-this-writes-audit-rows", action="store_true", dest="confirmed")
        parser.add_argument("--threads", type=int, nargs="+", default=[1, 8, 32])
        parser.add_argument("--per-thread", type=int, default=200)
        parser.add_argument("--work-ms", type=float, nargs="+", default=[0, 5])
        parser.add_argument("--seal-interval", type=float, default=1.0)

    def handle(self, *args, confirmed, threads, per_thread, work_ms, seal_interval, **options):
        if not confirmed:
            raise CommandError(
                "This writes audit rows that can never be deleted; pass --i-understand-this-writes-audit-rows."
            )
        self.stdout.write(HEADER)
        for work in work_ms:
            for count in threads:
                for mode in ("lock", "sealer"):
                    audit_seal()
                    result = run_benchmark(
                        mode=mode, threads=count, per_thread=per_thread, work_ms=work, seal_interval=seal_interval
                    )
                    self.stdout.write(result.row())
        audit_seal()
        verified = audit_verify_chain()
        self.stdout.write(
            f"Chain after the runs: {'intact' if verified.intact else verified.first_break}, "
            f"{verified.checked} entries."
        )
