"""``manage.py retention_policy_set --record referral --referral-type TYPE --days N --citation "schedule item"``."""

from __future__ import annotations

import orjson
from django.core.management.base import BaseCommand, CommandError

from records.management.commands._common import operator_name
from records.models import RecordKind
from records.services import RecordsError, retention_policy_set


class Command(BaseCommand):
    help = (
        "Set how long referrals of a type are kept after their terminal status, and the records schedule item "
        "that says so. No policy for a type means keep forever. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--record", required=True, choices=RecordKind.values, help="The kind of record.")
        parser.add_argument("--referral-type", required=True, help="A referral type code, e.g. victim_assistance.")
        parser.add_argument("--days", required=True, type=int, help="Days after the terminal status (0: at once).")
        parser.add_argument("--citation", required=True, help='The schedule item, e.g. "DHS RCS N1-563-08-4 item 2".')
        parser.add_argument("--json", action="store_true", help="Print the policy as JSON.")

    def handle(self, *args, referral_type, days, citation, json=False, **options):
        try:
            policy, created = retention_policy_set(
                referral_type=referral_type, days=days, citation=citation, actor=operator_name()
            )
        except RecordsError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(orjson.dumps(policy_json(policy)).decode())
        else:
            verb = "Created" if created else "Updated"
            self.stdout.write(
                f"{verb} retention policy: {policy.referral_type} referrals are disposed of {policy.days} days "
                f"after their terminal status ({policy.citation})."
            )


def policy_json(policy) -> dict:
    return {
        "record": policy.record,
        "referral_type": policy.referral_type,
        "days": policy.days,
        "citation": policy.citation,
        "updated_at": policy.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
