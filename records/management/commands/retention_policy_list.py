"""``manage.py retention_policy_list [--json]``: every retention policy; types without one are kept forever."""

from __future__ import annotations

import orjson
from django.core.management.base import BaseCommand

from agencies.models import ReferralType
from records.management.commands.retention_policy_set import policy_json
from records.models import RetentionPolicy


class Command(BaseCommand):
    help = "List the retention policies. Referral types without a policy are kept forever."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print a JSON list of policies.")

    def handle(self, *args, json=False, **options):
        policies = list(RetentionPolicy.objects.order_by("record", "referral_type"))
        if json:
            self.stdout.write(orjson.dumps([policy_json(p) for p in policies]).decode())
            return
        if not policies:
            self.stdout.write("No retention policy: every referral is kept forever.")
        else:
            width = max(len(p.referral_type) for p in policies)
            self.stdout.write(f"{'record':<8}  {'referral_type':<{width}}  {'days':>6}  citation")
            for p in policies:
                self.stdout.write(f"{p.record:<8}  {p.referral_type:<{width}}  {p.days:>6}  {p.citation}")
        kept = sorted(set(ReferralType.values) - {p.referral_type for p in policies})
        if kept and policies:
            self.stdout.write("Kept forever (no policy): " + ", ".join(kept))
