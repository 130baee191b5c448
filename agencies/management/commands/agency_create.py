"""``manage.py agency_create --code HHS --name "..." [--may-receive-1367] [--office CODE:NAME ...] [--json]``."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.directory import agency_create, parse_office
from agencies.management.commands._common import validation_message


class Command(BaseCommand):
    help = (
        "Create an agency with its offices (idempotent, audited). A new agency may not receive people protected "
        "by 8 U.S.C. 1367 unless --may-receive-1367 is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Agency code, e.g. HHS")
        parser.add_argument("--name", required=True, help='e.g. "HHS Office on Trafficking in Persons"')
        parser.add_argument(
            "--may-receive-1367", action="store_true",
            help="May receive information about people protected by 8 U.S.C. 1367 (DHS, DOJ, DOS: 1367(a)(2)).",
        )  # fmt: skip
        parser.add_argument("--office", action="append", default=[], metavar="CODE:NAME", help="Repeatable.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the agency as JSON.")

    def handle(self, *args, code, name, may_receive_1367, office, as_json, **options):
        try:
            offices = [parse_office(value) for value in office]
            result = agency_create(code=code, name=name, may_receive_1367=may_receive_1367, offices=offices)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        data = result.as_dict()
        verb = "Created" if result.created else ("Updated" if result.changes else "Unchanged:")
        self.stdout.write(f"{verb} {data['code']} ({data['name']}); may_receive_1367_protected="
                          f"{str(data['may_receive_1367_protected']).lower()}")  # fmt: skip
        for change in result.changes:
            self.stdout.write(f"  {change}")
