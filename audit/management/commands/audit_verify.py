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
            "--archive",
            action="append",
            metavar="FILE",
            help="Verify an archive written by audit_archive on its own (no database needed); repeat for several, "
            "oldest first: they must follow each other.",
        )
        parser.add_argument(
            "--public-key",
            help="The archives' Ed25519 public key, base64url (default: derived from AUDIT_ARCHIVE_KEY).",
        )
        parser.add_argument(
            "--with-database",
            action="store_true",
            help="With --archive: the archives must start the chain and lead into the entries kept in the database, "
            "and every archive recorded in the database must be among them (a missing archive is detected).",
        )
        parser.add_argument(
            "--anchor",
            metavar="SEQ:HASH",
            help="A head recorded elsewhere (audit_export's last line): it must still be in the chain.",
        )

    def handle(self, *args, no_seal=False, anchor=None, archive=None, public_key=None, with_database=False, **options):
        if archive:
            return self._verify_archives(archive, public_key=public_key, with_database=with_database)
        parsed_anchor = None
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

    def _verify_archives(self, paths: list[str], *, public_key: str | None, with_database: bool) -> None:
        from audit import archive_format

        if public_key:
            key = archive_format.b64url_decode(public_key)
        else:
            from audit.archive import ArchiveError, archive_public_key

            try:
                key = archive_public_key()
            except (ArchiveError, ValueError):
                raise CommandError("Give --public-key (or set AUDIT_ARCHIVE_KEY).", returncode=2) from None
        report = archive_format.verify_sequence(paths, public_key=key)
        if report.ok and with_database:
            self._against_database(paths, report)
        if not report.ok:
            raise CommandError("Audit archive BROKEN: " + "; ".join(report.problems), returncode=1)
        self.stdout.write(
            f"Audit archive(s) intact: {len(paths)} file(s), {report.count} entries, "
            f"last chain_seq {report.manifest['last_seq']} row_hash={report.manifest['last_hash']}."
        )

    def _against_database(self, paths: list[str], report) -> None:
        import hashlib

        from audit.chain import GENESIS_HASH, chain_start
        from audit.models import AuditArchive

        first = archive_format_manifest(paths[0])
        if first["first_seq"] != 1 or first["prev_hash"] != GENESIS_HASH:
            report.fail(f"{paths[0]}: the first archive does not start the chain: an older archive is missing")
        start_seq, start_prev = chain_start()
        last = report.manifest
        if last["last_seq"] + 1 != start_seq or last["last_hash"] != start_prev:
            report.fail(
                f"the archives end at chain_seq {last['last_seq']} but the database continues from {start_seq - 1}: "
                "an archive is missing"
            )
        digests = set()
        for path in paths:
            with open(path, "rb") as handle:
                digests.add(hashlib.file_digest(handle, "sha256").hexdigest())
        for recorded in AuditArchive.objects.order_by("first_seq"):
            if recorded.file_sha256 not in digests:
                report.fail(
                    f"archive {recorded.file_name} (chain_seq {recorded.first_seq}-{recorded.last_seq}) recorded in "
                    "the database was not given or its file changed"
                )
        result = audit_verify_chain()
        if not result.intact:
            report.fail(f"database chain: {result.first_break}")


def archive_format_manifest(path: str) -> dict:
    import orjson

    with open(path, "rb") as handle:
        lines = handle.read().rstrip(b"\n").split(b"\n")
    return orjson.loads(lines[-1])["manifest"]
