"""``manage.py legal_hold_release --referral REFERENCE``: disposal may proceed under the referral's policy."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from records.management.commands._common import operator_name
from records.services import RecordsError, legal_hold_release


class Command(BaseCommand):
    help = "Release a referral's legal hold; disposal then follows its retention policy. Audited."

    def add_arguments(self, parser):
        parser.add_argument("--referral", required=True, help="The referral's reference, e.g. REF-2026-000042.")

    def handle(self, *args, referral, **options):
        try:
            hold = legal_hold_release(reference=referral, actor=operator_name())
        except RecordsError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Legal hold released on {hold.referral.reference} (hold {hold.pk}).")
