"""Create (or re-key) one demo client per agency for local runs, and print their credentials."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Client
from agencies.services import client_create, client_rotate_secret

DEMO = [
    ("CBP", "demo CBP case system", list(settings.PARTNER_SCOPES)),
    ("ICE", "demo ICE case system", list(settings.PARTNER_SCOPES)),
    ("USCIS", "demo USCIS case system", list(settings.PARTNER_SCOPES)),
    ("ICE", "demo ICE client without pii:read", ["referrals:read", "referrals:write", "events:read"]),
]


class Command(BaseCommand):
    help = "Development only: create or re-key the demo clients and print their credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_clients is for development (DJANGO_DEBUG=true) only.")
        self.stdout.write("\nDemo clients (new secrets on every run; the old ones stop working):\n")
        for agency, name, scopes in DEMO:
            existing = Client.objects.filter(name=name, agency__code=agency).first()
            if existing is None:
                issued = client_create(agency_code=agency, name=name, scopes=scopes)
            else:
                issued = client_rotate_secret(client_id=existing.client_id)
            self.stdout.write(f"  {name}  [{' '.join(issued.client.scope_list)}]")
            self.stdout.write(f"    client_id={issued.client.client_id}")
            self.stdout.write(f"    client_secret={issued.client_secret}")
        self.stdout.write(
            "\nGet a token:  curl -s -u CLIENT_ID:CLIENT_SECRET -d grant_type=client_credentials "
            "http://127.0.0.1:8000/oauth/token/\n"
        )
