"""The hash chain: sealing, verification, tampering, the append-only trigger, export."""

from __future__ import annotations

import io
import json

import psycopg2
import pytest
from django.core.management import CommandError, call_command

from audit.chain import GENESIS_HASH, audit_seal, audit_verify_chain, chain_head, compute_row_hash
from audit.context import AuditContext
from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many

pytestmark = pytest.mark.django_db

CTX = AuditContext(request_id="req-1", source_ip="192.0.2.10", purpose="case review", agency_code="CBP")


def write(n: int, action: str = "referral.read") -> list[AuditEntry]:
    return [
        audit_record(action=action, object_type="referral", object_id=f"00000000-0000-0000-0000-{i:012d}", context=CTX)
        for i in range(n)
    ]


def verify(*args) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def tamper(owner_cursor, sql: str, params) -> None:
    """Change a row the way the table's owner could: trigger off, change, trigger on (committed: the tests that
    tamper use a transactional database, emptied afterwards)."""
    owner_cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
    try:
        owner_cursor.execute(sql, params)
    finally:
        owner_cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def test_rows_are_written_unsealed_then_sealed_in_a_chain():
    rows = write(3)
    assert all(AuditEntry.objects.get(pk=r.pk).row_hash is None for r in rows)
    assert audit_seal() == 3
    sealed = list(AuditEntry.objects.filter(pk__in=[r.pk for r in rows]).order_by("chain_seq"))
    assert [e.chain_seq for e in sealed] == [1, 2, 3]
    assert sealed[0].prev_hash == GENESIS_HASH
    assert sealed[1].prev_hash == sealed[0].row_hash
    assert sealed[2].prev_hash == sealed[1].row_hash
    assert chain_head() == (3, sealed[2].row_hash)
    assert audit_seal() == 0
    result = audit_verify_chain()
    assert result.intact and result.checked == 3 and result.unsealed == 0


def test_hash_covers_every_field_and_the_previous_hash():
    (entry,) = write(1)
    audit_seal()
    entry.refresh_from_db()
    values = {name: getattr(entry, name) for name in ("chain_seq", "public_id", "occurred_at", "agency_code")}
    base = {
        **values,
        **{
            name: getattr(entry, name)
            for name in (
                "client_id",
                "client_name",
                "action",
                "object_type",
                "object_id",
                "outcome",
                "reason",
                "request_id",
                "source_ip",
                "purpose",
                "prev_hash",
            )
        },
    }
    assert compute_row_hash(base) == entry.row_hash
    for name, other in [("action", "referral.updated"), ("prev_hash", "f" * 64), ("purpose", "x"), ("chain_seq", 9)]:
        assert compute_row_hash({**base, name: other}) != entry.row_hash


def test_verify_passes_and_reports_head_and_unsealed():
    write(2)
    assert "intact: 2 entries" in verify()
    write(1)
    out = verify("--no-seal")
    assert "intact: 2 entries" in out and "1 not sealed yet" in out


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "referral.created"), ("agency_code", "ICE"), ("object_id", "other"), ("outcome", "denied")],
)
def test_changing_a_sealed_row_makes_verify_fail_naming_it(owner_cursor, column, value):
    rows = write(5)
    audit_seal()
    victim = AuditEntry.objects.get(pk=rows[2].pk)
    tamper(owner_cursor, f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, victim.pk])
    with pytest.raises(CommandError) as excinfo:
        verify()
    assert excinfo.value.returncode == 1
    message = str(excinfo.value)
    assert f"id={victim.pk}" in message and str(victim.public_id) in message and "changed" in message


def test_recomputing_the_hash_of_a_changed_row_breaks_the_next_link(owner_cursor):
    rows = write(4)
    audit_seal()
    victim = AuditEntry.objects.get(pk=rows[1].pk)
    victim.action = "referral.created"
    forged = compute_row_hash({name: getattr(victim, name) for name in _hashed()})
    tamper(
        owner_cursor,
        "UPDATE audit_auditentry SET action = %s, row_hash = %s WHERE id = %s",
        [victim.action, forged, victim.pk],
    )
    result = audit_verify_chain()
    assert result.first_break.entry_id == rows[2].pk
    assert "prev_hash" in result.first_break.problem


def test_deleting_a_sealed_row_makes_verify_fail_at_the_next_one(owner_cursor):
    rows = write(4)
    audit_seal()
    tamper(owner_cursor, "DELETE FROM audit_auditentry WHERE id = %s", [rows[1].pk])
    result = audit_verify_chain()
    assert result.first_break.entry_id == rows[2].pk
    assert "missing" in result.first_break.problem


def test_anchor_catches_a_chain_cut_short(owner_cursor):
    write(3)
    audit_seal()
    seq, head = chain_head()
    assert "intact" in verify("--anchor", f"{seq}:{head}")
    tamper(owner_cursor, "DELETE FROM audit_auditentry WHERE chain_seq = %s", [seq])
    with pytest.raises(CommandError, match="cut"):
        verify("--anchor", f"{seq}:{head}")


def _hashed():
    from audit.chain import HASHED_FIELDS

    return HASHED_FIELDS


# --- The append-only trigger ---------------------------------------------------------------------------


# These run as the table's owner: the application role may not even try (tests/audit/test_roles.py), and the
# trigger still holds against the owner's ordinary statements.


def _refused(owner_cursor, sql: str, params=()):
    with pytest.raises(psycopg2.Error, match="append-only"):
        owner_cursor.execute(sql, params)


@pytest.mark.parametrize("sealed", [False, True])
def test_trigger_refuses_update_and_delete(owner_cursor, sealed):
    (entry,) = write(1)
    if sealed:
        audit_seal()
    _refused(owner_cursor, "UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    _refused(owner_cursor, "UPDATE audit_auditentry SET purpose = NULL WHERE id = %s", [entry.pk])
    _refused(owner_cursor, "DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="referral.read").exists()


def test_trigger_refuses_truncate(owner_cursor):
    write(1)
    # A connection that has not asked for the test runner's permission to reset the database.
    with pytest.raises(psycopg2.Error, match="TRUNCATE refused"):
        owner_cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.exists()


def test_trigger_allows_sealing_only_once_and_only_the_chain_columns(owner_cursor):
    (entry,) = write(1)
    # Sealing together with any other change is refused.
    _refused(
        owner_cursor,
        "UPDATE audit_auditentry SET chain_seq = 1, prev_hash = %s, row_hash = %s, action = 'x' WHERE id = %s",
        [GENESIS_HASH, "a" * 64, entry.pk],
    )
    # Half a seal is refused.
    _refused(owner_cursor, "UPDATE audit_auditentry SET row_hash = %s WHERE id = %s", ["a" * 64, entry.pk])
    audit_seal()
    # Re-sealing a sealed row is refused.
    _refused(owner_cursor, "UPDATE audit_auditentry SET row_hash = %s WHERE id = %s", ["b" * 64, entry.pk])
    _refused(
        owner_cursor,
        "UPDATE audit_auditentry SET chain_seq = NULL, prev_hash = NULL, row_hash = NULL WHERE id = %s",
        [entry.pk],
    )


# --- Export --------------------------------------------------------------------------------------------


def test_export_writes_json_lines_ending_with_the_head(owner_cursor, tmp_path):
    old = write(1, action="referral.created")[0]
    tamper(owner_cursor, "UPDATE audit_auditentry SET occurred_at = '2020-01-01T00:00:00Z' WHERE id = %s", [old.pk])
    write(2)
    out = io.StringIO()
    call_command("audit_export", "--since", "2021-01-01T00:00:00Z", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    entries, head = lines[:-1], lines[-1]
    assert [e["action"] for e in entries] == ["referral.read", "referral.read"]
    assert head == {"head": {"chain_seq": 3, "row_hash": chain_head()[1], "entries_exported": 2}}
    assert entries[-1]["row_hash"] == head["head"]["row_hash"]
    assert entries[1]["prev_hash"] == entries[0]["row_hash"]
    assert "id" not in entries[0] and entries[0]["public_id"]
    # The same to a file.
    target = tmp_path / "audit.jsonl"
    call_command("audit_export", "--since", "2021-01-01", "--output", str(target), stderr=io.StringIO())
    assert target.read_text().splitlines()[-1] == out.getvalue().splitlines()[-1]


def test_export_refuses_a_bad_since():
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("audit_export", "--since", "yesterday")


def test_audit_record_many_writes_one_row_per_object():
    rows = audit_record_many(action="referral.list_read", object_type="referral", object_ids=["a", "b"], context=CTX)
    assert [r.object_id for r in rows] == ["a", "b"]
    assert audit_record_many(action="referral.list_read", object_type="referral", object_ids=[]) == []
