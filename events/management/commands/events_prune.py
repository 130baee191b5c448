"""``manage.py events_prune``: run the events and deliveries retention job once (``EVENT_RETENTION_DAYS``)."""

import orjson
from django.core.management.base import BaseCommand

from events.retention import events_prune


class Command(BaseCommand):
    help = (
        "Delete feed events, webhook deliveries and their attempts older than EVENT_RETENTION_DAYS (default 90), "
        "oldest first, never past an event that still has a pending delivery. The scheduler runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args, json=False, **options):
        counts = events_prune()
        if json:
            self.stdout.write(orjson.dumps(counts).decode())
        else:
            self.stdout.write(
                f"Pruned {counts['events']} events, {counts['deliveries']} deliveries and {counts['attempts']} "
                f"attempts older than {counts['retention_days']} days."
            )
