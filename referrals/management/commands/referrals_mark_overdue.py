from django.core.management.base import BaseCommand

from referrals.tasks import referrals_mark_overdue


class Command(BaseCommand):
    help = "Emit referral.overdue for referrals past their acknowledgement deadline (once each)."

    def handle(self, *args, **options):
        self.stdout.write(f"{referrals_mark_overdue()} referral(s) newly overdue.")
