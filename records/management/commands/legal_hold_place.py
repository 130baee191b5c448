"""``manage.py legal_hold_place --referral REFERENCE --matter "text"``: no disposal until released."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from records.management.commands._common import operator_name
from records.services import RecordsError, legal_hold_place


class Command(BaseCommand):
    help = "Place a legal hold (litigation, investigation, oversight) on a referral: it is not disposed of. Audited."

    def add_arguments(self, parser):
        parser.add_argument("--referral", required=True, help="The referral's reference, e.g. REF-2026-000042.")
        parser.add_argument("--matter", required=True, help="The matter the hold is for.")

    def handle(self, *args, referral, matter, **options):
        try:
            hold = legal_hold_place(reference=referral, matter=matter, actor=operator_name())
        except RecordsError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Legal hold placed on {hold.referral.reference} (hold {hold.pk}).")
