from django.core.management.base import BaseCommand

from agencies.services import agencies_seed


class Command(BaseCommand):
    help = "Create ICE, CBP, USCIS, their offices and the routing table (idempotent; keeps admin edits)."

    def handle(self, *args, **options):
        created = agencies_seed()
        self.stdout.write(
            f"Seeded: {created['agencies']} new agencies, {created['offices']} new offices, "
            f"{created['routes']} new routes."
        )
