"""Re-enqueue every webhook delivery left behind (lost broker message, dead worker, broker down at commit)."""

import orjson
from django.core.management.base import BaseCommand

from events.delivery import deliveries_sweep


class Command(BaseCommand):
    help = (
        "Number new feed events and enqueue every pending webhook delivery that is due and not held by a worker "
        "(the same job Celery beat runs every WEBHOOK_SWEEP_INTERVAL_SECONDS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=float,
            default=None,
            help="Only deliveries due for at least this many seconds (default: the sweep interval).",
        )
        parser.add_argument(
            "--deliver", action="store_true", help="Send the deliveries from this process instead of enqueuing."
        )
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, **options):
        result = deliveries_sweep(
            grace_seconds=options["grace"], deliver_inline=options["deliver"], limit=options["limit"]
        )
        self.stdout.write(orjson.dumps(result).decode())
