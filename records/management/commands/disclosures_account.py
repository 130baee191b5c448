"""``manage.py disclosures_account (--a-number A123456789 | --person-id UUID) [--json]``: the Privacy Act
accounting of disclosures of one person's record (5 U.S.C. 552a(c))."""

from __future__ import annotations

import orjson
from django.core.management.base import BaseCommand, CommandError

from audit.context import AuditContext
from audit.services import audit_record
from records.management.commands._common import operator_name
from records.selectors import InvalidQuery, disclosures_account


def _time(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class Command(BaseCommand):
    help = (
        "Every disclosure of a person's record (referral, from agency, to agency, when, purpose of use) and each "
        "read by the receiving agency, found by blind index (5 U.S.C. 552a(c)). Disposed referrals are listed from "
        "their tombstones. The query itself is audited (without the A-number)."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--a-number", help="A followed by 8 or 9 digits.")
        who.add_argument("--person-id", help="A person's id (UUID) from a referral.")
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")

    def handle(self, *args, a_number=None, person_id=None, json=False, **options):
        try:
            disclosures = disclosures_account(a_number=a_number, person_id=person_id)
        except InvalidQuery as exc:
            raise CommandError(str(exc)) from None
        audit_record(
            action="disclosures.accounted",
            object_type="person",
            object_id=person_id if person_id else None,
            context=AuditContext(client_id=operator_name(), client_name="records officer"),
            reason="by_person_id" if person_id else "by_a_number",
        )
        if json:
            payload = [
                {
                    "reference": d.reference,
                    "from_agency": d.from_agency,
                    "to_agency": d.to_agency,
                    "disclosed_at": _time(d.disclosed_at),
                    "purpose": d.purpose,
                    "reads": [{"agency": r["agency"], "at": _time(r["at"]), "purpose": r["purpose"]} for r in d.reads],
                }
                for d in disclosures
            ]
            self.stdout.write(orjson.dumps(payload).decode())
            return
        if not disclosures:
            self.stdout.write("No disclosure of this person's record.")
            return
        header = f"{'reference':<16}  {'from':<6}  {'to':<6}  {'disclosed at':<20}  purpose"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for d in disclosures:
            note = "  (disposed; from its tombstone)" if d.disposed else ""
            when = _time(d.disclosed_at)
            self.stdout.write(f"{d.reference:<16}  {d.from_agency:<6}  {d.to_agency:<6}  {when:<20}  {d.purpose}{note}")
            for r in d.reads:
                purpose = r["purpose"] or "(no purpose stated)"
                self.stdout.write(f"{'':<16}  read by {r['agency']:<6} {_time(r['at'])}  {r['action']}: {purpose}")
        self.stdout.write(f"{len(disclosures)} disclosure(s).")
