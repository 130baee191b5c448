import json

from django.core.management.base import BaseCommand

from referrals.tasks import deadlines_run


class Command(BaseCommand):
    help = (
        "Run every deadline job once (acknowledgement overdue, HHS notice overdue, Continued Presence reminders): "
        "the same jobs the scheduler runs. Idempotent: each event is emitted once whatever the number of runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help='Print {"job": count, ...}.')

    def handle(self, *args, **options):
        done = deadlines_run()
        if options["json"]:
            self.stdout.write(json.dumps(done))
            return
        for name, count in done.items():
            self.stdout.write(f"{name}: {count}")
