"""``manage.py agency_route_set --referral-type TYPE --agencies A,B,...``: replace that type's receivers."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.directory import route_set
from agencies.management.commands._common import validation_message


class Command(BaseCommand):
    help = "Make the given agencies exactly the receivers of a referral type (idempotent, audited)."

    def add_arguments(self, parser):
        parser.add_argument("--referral-type", required=True, help="e.g. victim_assistance")
        parser.add_argument("--agencies", required=True, help="Comma list of agency codes, e.g. ICE,HHS")

    def handle(self, *args, referral_type, agencies, **options):
        try:
            changes = route_set(referral_type=referral_type, agency_codes=agencies.split(","))
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        if not changes:
            self.stdout.write(f"{referral_type}: unchanged.")
            return
        self.stdout.write(f"{referral_type}: " + "; ".join(changes) + ".")
