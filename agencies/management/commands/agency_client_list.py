import json

from django.core.management.base import BaseCommand

from agencies.models import Client


class Command(BaseCommand):
    help = (
        "List clients: id, agency, active, 'keys' for private_key_jwt clients, name, scopes, last token issued "
        "(never credentials)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        rows = [
            {
                "client_id": c.client_id,
                "agency": c.agency.code,
                "name": c.name,
                "scopes": " ".join(c.scope_list),
                "active": c.active and c.agency.active,
                "operator": c.is_operator,
                "private_key_jwt": c.uses_private_key_jwt,
                "last_token_at": c.last_token_at.isoformat() if c.last_token_at else None,
            }
            for c in Client.objects.select_related("agency").order_by("agency__code", "name")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows))
            return
        if not rows:
            self.stdout.write("No clients. Create one with: manage.py agency_client_create --agency ICE ...")
        for r in rows:
            state = "active" if r["active"] else "INACTIVE"
            self.stdout.write(
                f"{r['client_id']}  {r['agency']:<6} {state:<8} {'keys' if r['private_key_jwt'] else '':<4} "
                f"{r['name']}  [{r['scopes']}]  "
                f"last token: {r['last_token_at'] or 'never'}"
            )
