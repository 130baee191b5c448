"""Monthly partitions and signed archives: archiving drops whole partitions and deletes exactly the archived rest,
the kept chain still verifies, an archive verifies on its own, and tampering or a missing archive is caught."""

from __future__ import annotations

import base64
import datetime
import io
import json
import secrets
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.archive import partitions
from audit.chain import audit_seal, audit_verify_chain
from audit.context import AuditContext
from audit.models import AuditArchive, AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CTX = AuditContext(request_id="req-1", source_ip="192.0.2.10", purpose="archive test", agency_code="CBP")


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def archive_key(settings):
    settings.AUDIT_ARCHIVE_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    out = io.StringIO()
    call_command("audit_archive", "--print-public-key", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def history():
    """Sealed entries in September, October, early and late November 2026, and now (partitions made for them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_partitions_ensure(%s, %s)", [at(8, 1), at(12, 1)])
    when = [at(9, 3), at(9, 20), at(10, 2), at(10, 30), at(11, 2), at(11, 5), at(11, 20), at(11, 25)]
    rows = [
        audit_record(action="referral.read", object_type="referral", object_id=None, context=CTX, occurred_at=w)
        for w in when
    ]
    rows.append(audit_record(action="referral.read", object_type="referral", object_id=None, context=CTX))
    audit_seal()
    return rows


def archive(before: str, path) -> str:
    out = io.StringIO()
    call_command("audit_archive", "--before", before, "--out", str(path), stdout=out)
    return out.getvalue()


def verify(*args) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def partition_names() -> set[str]:
    with connection.cursor() as cursor:
        return {name for name, _, _ in partitions(cursor)}


def test_the_table_is_partitioned_by_month():
    names = partition_names()
    now = datetime.datetime.now(UTC)
    assert f"audit_auditentry_p{now:%Y_%m}" in names and "audit_auditentry_default" in names
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'audit_auditentry'")
        assert cursor.fetchone()[0] == "p"


def test_archive_drops_whole_months_deletes_the_rest_and_the_kept_chain_verifies(history, archive_key, tmp_path):
    path = tmp_path / "audit-2026-11.jsonl"
    output = archive("2026-11-10", path)
    assert "Archived 6 entries (chain_seq 1-6)" in output
    names = partition_names()
    assert "audit_auditentry_p2026_09" not in names and "audit_auditentry_p2026_10" not in names
    assert "audit_auditentry_p2026_11" in names  # partial month: its archived rows were deleted
    kept = list(AuditEntry.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert kept == [7, 8, 9]
    assert {r.pk for r in AuditEntry.objects.all()} == {r.pk for r in history[6:]}
    recorded = AuditArchive.objects.get()
    assert (recorded.first_seq, recorded.last_seq, recorded.entry_count) == (1, 6, 6)
    assert "Audit chain intact: 3 entries" in verify()
    assert "6 entries" in verify("--archive", str(path), f"--public-key={archive_key}")
    assert "6 entries" in verify("--archive", str(path))  # public key derived from AUDIT_ARCHIVE_KEY
    verify("--archive", str(path), "--with-database")
    # The chain goes on from the archived segment.
    audit_record(action="referral.read", object_type="referral", object_id=None, context=CTX)
    audit_seal()
    assert AuditEntry.objects.order_by("-chain_seq").first().chain_seq == 10
    assert audit_verify_chain().intact


def test_archive_file_is_readable_json_lines_with_a_signed_manifest(history, archive_key, tmp_path):
    path = tmp_path / "a.jsonl"
    archive("2026-10-01", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    entries, trailer = [json.loads(line) for line in lines[:-1]], json.loads(lines[-1])
    assert [e["chain_seq"] for e in entries] == [1, 2]
    assert entries[0]["occurred_at"] == "2026-09-03T12:00:00.000000Z" and entries[0]["purpose"] == "archive test"
    manifest = trailer["manifest"]
    assert manifest["algorithm"] == "Ed25519" and manifest["public_key"] == archive_key
    assert (manifest["first_seq"], manifest["last_seq"], manifest["count"]) == (1, 2, 2)
    assert manifest["last_hash"] == entries[-1]["row_hash"] and manifest["prev_hash"] == "0" * 64


@pytest.mark.parametrize("how", ["entry", "entry_and_hash", "drop_line", "manifest", "signature"])
def test_a_tampered_archive_is_detected(history, archive_key, tmp_path, how):
    from audit.archive_format import row_hash

    path = tmp_path / "a.jsonl"
    archive("2026-11-10", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    if how == "entry":
        entry["action"] = "referral.created"
        lines[2] = json.dumps(entry)
    elif how == "entry_and_hash":
        entry["client_id"] = "someone-else"
        entry["row_hash"] = row_hash(entry)
        lines[2] = json.dumps(entry)
    elif how == "drop_line":
        del lines[3]
    else:
        trailer = json.loads(lines[-1])
        if how == "manifest":
            trailer["manifest"]["count"] = 5
        else:
            trailer["signature"] = trailer["signature"][::-1]
        lines[-1] = json.dumps(trailer)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        verify("--archive", str(path), f"--public-key={archive_key}")
    assert excinfo.value.returncode == 1


def test_a_wrong_public_key_fails(history, archive_key, tmp_path):
    path = tmp_path / "a.jsonl"
    archive("2026-11-10", path)
    other = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    with pytest.raises(CommandError, match="signature"):
        verify("--archive", str(path), f"--public-key={other}")


def test_a_missing_archive_is_detected(history, archive_key, tmp_path):
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    archive("2026-10-01", first)
    archive("2026-11-10", second)
    assert audit_verify_chain().intact
    verify("--archive", str(first), "--archive", str(second), "--with-database")
    with pytest.raises(CommandError, match="missing"):
        verify("--archive", str(second), "--with-database")
    with pytest.raises(CommandError, match="missing"):
        verify("--archive", str(first), "--with-database")
    with pytest.raises(CommandError, match="missing or out of order"):
        verify("--archive", str(second), "--archive", str(first))
    second.write_bytes(second.read_bytes().replace(b"archive test", b"archive tesT"))
    with pytest.raises(CommandError):
        verify("--archive", str(first), "--archive", str(second), "--with-database")


def test_an_auditor_verifies_without_the_service(history, archive_key, tmp_path):
    path = tmp_path / "a.jsonl"
    archive("2026-11-10", path)
    script = ["audit/archive_format.py", str(path), f"--public-key={archive_key}", "--from-genesis"]
    result = subprocess.run([sys.executable, "-I", *script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK 1 archive(s), 6 entries")
    path.write_bytes(path.read_bytes().replace(b"referral.read", b"referral.xead", 1))
    result = subprocess.run([sys.executable, "-I", *script], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "FAIL" in result.stderr


def test_the_newest_entry_always_stays(archive_key, tmp_path):
    for _ in range(3):
        audit_record(action="referral.read", object_type="referral", object_id=None, context=CTX)
    audit_seal()
    archive("2999-01-01", tmp_path / "a.jsonl")
    assert list(AuditEntry.objects.values_list("chain_seq", flat=True)) == [3]
    assert "Nothing to archive" in archive("2999-01-01", tmp_path / "b.jsonl")
    assert audit_verify_chain().intact


def test_refusals_change_nothing(history, settings, tmp_path):
    settings.AUDIT_ARCHIVE_KEY = ""
    with pytest.raises(CommandError, match="AUDIT_ARCHIVE_KEY"):
        archive("2026-11-10", tmp_path / "a.jsonl")
    settings.AUDIT_ARCHIVE_KEY = base64.urlsafe_b64encode(b"short").decode()
    with pytest.raises(CommandError, match="32 random bytes"):
        archive("2026-11-10", tmp_path / "a.jsonl")
    settings.AUDIT_ARCHIVE_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    existing = tmp_path / "exists.jsonl"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="exists already"):
        archive("2026-11-10", existing)
    with pytest.raises(CommandError, match="ISO 8601"):
        archive("last tuesday", tmp_path / "b.jsonl")
    assert existing.read_text() == "keep me"
    assert AuditEntry.objects.count() == len(history) and not AuditArchive.objects.exists()


def _delete(where: str, params=(), *, archive_mode: bool = False, role: str | None = None):
    with transaction.atomic(), connection.cursor() as cursor:
        if role:
            cursor.execute(f"SET LOCAL ROLE {role}")
        if archive_mode:
            cursor.execute("SET LOCAL audit.archive_delete = 'on'")
        cursor.execute(f"DELETE FROM audit_auditentry WHERE {where}", params)


def test_the_trigger_still_refuses_update_and_delete(history, archive_key, tmp_path):
    with pytest.raises(DatabaseError, match="append-only"):
        _delete("true")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x'")
    # The archive exception covers only entries already in a recorded archive...
    with pytest.raises(DatabaseError, match="append-only"):
        _delete("chain_seq = 1", archive_mode=True)
    archive("2026-10-01", tmp_path / "a.jsonl")
    with pytest.raises(DatabaseError, match="append-only"):
        _delete("chain_seq = 3", archive_mode=True)
    # ...and only the table's owner: a role that does not own the table is refused even with the setting.
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE audit_archive_test_app NOLOGIN")
        cursor.execute("GRANT SELECT, DELETE ON audit_auditentry TO audit_archive_test_app")
        cursor.execute("GRANT SELECT ON audit_auditarchive TO audit_archive_test_app")
    with pytest.raises(DatabaseError, match="append-only"):
        _delete("chain_seq = 3", archive_mode=True, role="audit_archive_test_app")
    # The record of archives is append-only too.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditarchive")
    assert AuditEntry.objects.count() == len(history) - 2


def test_the_scheduler_creates_partitions_ahead():
    from audit.tasks import audit_partitions_ensure
    from referral_api.celery import app

    assert app.conf.beat_schedule["audit-partitions"]["task"] == "audit.tasks.audit_partitions_ensure"
    audit_partitions_ensure()
    ahead = datetime.datetime.now(UTC) + datetime.timedelta(days=62)
    assert f"audit_auditentry_p{ahead:%Y_%m}" in partition_names()
