"""``manage.py audit_verify``: exit 0 when the audit chain is intact, non-zero naming the first bad entry."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError

from audit.chain import audit_seal, audit_verify_chain

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Seal pending audit entries, then walk the hash chain from the first entry. Exit status 0: intact; "
        "1: broken (the first bad entry is named)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Verify only what is sealed already; report the unsealed count.",
        )
        parser.add_argument(
            "--anchor",
            metavar="SEQ:HASH",
            help="A head recorded elsewhere (audit_export's last line): it must still be in the chain.",
        )
        parser.add_argument(
            "--published-anchor",
            action="store_true",
            help="Also check the newest anchor published to the audit_anchors storage (audit/anchors.py).",
        )

    def handle(self, *args, no_seal=False, anchor=None, published_anchor=False, **options):
        parsed_anchor = None
        if published_anchor:
            from audit.anchors import latest_published_anchor

            parsed_anchor = latest_published_anchor()
            if parsed_anchor is None:
                raise CommandError("No chain anchor has been published yet.", returncode=2)
        if anchor:
            match = _ANCHOR.match(anchor.strip())
            if not match:
                raise CommandError("--anchor must be CHAIN_SEQ:ROW_HASH (64 hex digits).", returncode=2)
            parsed_anchor = (int(match[1]), match[2])
        if not no_seal:
            audit_seal()
        result = audit_verify_chain(anchor=parsed_anchor)
        if not result.intact:
            raise CommandError(f"Audit chain BROKEN at {result.first_break}", returncode=1)
        self.stdout.write(
            f"Audit chain intact: {result.checked} entries, head chain_seq={result.head_seq} "
            f"row_hash={result.head_hash}; {result.unsealed} not sealed yet."
        )
