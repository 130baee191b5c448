"""Writing audit rows: same transaction as the caller, denied access, the access-log selector and serializer."""

from __future__ import annotations

import contextlib
import datetime
import uuid

import pytest
from django.db import DatabaseError
from django.test import RequestFactory

from agencies.models import Client
from agencies.services import client_create
from audit.api.serializers import AccessLogEntrySerializer
from audit.chain import audit_seal
from audit.context import AuditContext
from audit.models import AuditEntry
from audit.selectors import audit_entries_for_object
from audit.services import audit_denied, audit_record, audit_record_many

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def failing_audit_inserts(owner_cursor):
    """Make every INSERT into the audit table fail (as a full disk or a lost permission would); installed by the
    table's owner (the application role may not create triggers)."""
    owner_cursor.execute(
        "CREATE FUNCTION test_audit_insert_fails() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit insert failed'; END; $$"
    )
    owner_cursor.execute(
        "CREATE TRIGGER test_audit_insert_fails BEFORE INSERT ON audit_auditentry "
        "FOR EACH ROW EXECUTE FUNCTION test_audit_insert_fails()"
    )
    try:
        yield
    finally:
        owner_cursor.execute("DROP TRIGGER test_audit_insert_fails ON audit_auditentry")
        owner_cursor.execute("DROP FUNCTION test_audit_insert_fails()")


def test_when_the_audit_row_cannot_be_written_the_callers_work_is_rolled_back(seeded, owner_cursor):
    with failing_audit_inserts(owner_cursor), pytest.raises(DatabaseError, match="audit insert failed"):
        client_create(agency_code="CBP", name="never saved", scopes=["referrals:read"])
    assert not Client.objects.filter(name="never saved").exists()
    assert not AuditEntry.objects.filter(action="client.created").exists()


def test_reason_must_be_a_code_not_text():
    with pytest.raises(ValueError, match="short code"):
        audit_record(action="x.y", object_type="referral", object_id=None, reason="Maria Lopez said so")


def _request(**headers):
    request = RequestFactory().get("/api/v1/referrals/x/", REMOTE_ADDR="198.51.100.7", **headers)
    request.request_id = "req-denied"
    return request


def test_audit_denied_records_caller_object_and_status(make_client):
    issued = make_client("CBP", "referrals:read")
    request = _request(HTTP_X_PURPOSE_OF_USE="case review")
    request.api_client = issued.client
    referral_id = uuid.uuid4()
    row = audit_denied(request, object_type="referral", object_id=referral_id, status=404)
    row.refresh_from_db()
    assert (row.action, row.outcome, row.reason) == ("referral.access_denied", "denied", "http_404")
    assert (row.object_type, row.object_id) == ("referral", str(referral_id))
    assert (row.agency_code, row.client_id, row.client_name) == ("CBP", issued.client.client_id, issued.client.name)
    assert (row.request_id, row.source_ip, row.purpose) == ("req-denied", "198.51.100.7", "case review")


def test_audit_denied_without_a_caller_and_with_a_non_uuid_id():
    row = audit_denied(_request(), object_type="referral", object_id="Maria Lopez", status=401, action="referral.read")
    assert (row.action, row.object_id, row.client_id, row.reason) == ("referral.read", None, None, "http_401")


def test_access_log_selector_and_serializer():
    referral_id = str(uuid.uuid4())
    ctx = AuditContext(request_id="r1", agency_code="ICE", client_id="c1", client_name="HSI", purpose="triage")
    first = audit_record(action="referral.created", object_type="referral", object_id=referral_id, context=ctx)
    second = audit_record(action="referral.read", object_type="referral", object_id=referral_id, context=ctx)
    audit_record(action="referral.read", object_type="referral", object_id=str(uuid.uuid4()), context=ctx)
    audit_record(action="note.created", object_type="note", object_id=referral_id, context=ctx)
    audit_seal()
    rows = list(audit_entries_for_object(object_type="referral", object_id=referral_id))
    assert [r.pk for r in rows] == [second.pk, first.pk]
    data = AccessLogEntrySerializer(rows, many=True).data
    assert set(data[0]) == {
        "id",
        "occurred_at",
        "agency",
        "client_name",
        "action",
        "outcome",
        "purpose",
        "request_id",
    }
    assert data[0]["id"] == str(second.public_id)
    assert (data[0]["agency"], data[0]["client_name"], data[0]["action"]) == ("ICE", "HSI", "referral.read")
    assert data[0]["occurred_at"].endswith("Z")
    assert str(second.pk) != data[0]["id"]


def test_access_log_selector_query_count(django_assert_num_queries):
    referral_id = str(uuid.uuid4())
    for _ in range(3):
        audit_record(action="referral.read", object_type="referral", object_id=referral_id)
    with django_assert_num_queries(1):
        assert len(list(audit_entries_for_object(object_type="referral", object_id=referral_id))) == 3


def test_celery_task_seals():
    from audit.tasks import audit_seal as task

    audit_record(action="referral.read", object_type="referral", object_id="x")
    assert task.apply().get() == 1
    assert not AuditEntry.objects.filter(chain_seq__isnull=True).exists()


def test_audit_record_many_writes_every_column_of_every_row_in_the_order_given(django_assert_num_queries):
    """One INSERT for the whole list; each row has exactly the values the caller gave, the ids follow the order of
    ``object_ids`` (the order the sealer chains them in), and what comes back is what the table holds."""
    when = datetime.datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    context = AuditContext(
        request_id="req-many", source_ip="2001:DB8::7", purpose="case review", agency_code="ICE",
        client_id="cid-1", client_name="ICE case system",
    )  # fmt: skip
    third = uuid.uuid4()
    with django_assert_num_queries(1):
        returned = audit_record_many(
            action="referral.list_read", object_type="referral", object_ids=["b", None, third, "a"],
            context=context, occurred_at=when, reason="page",
        )  # fmt: skip
    stored = list(AuditEntry.objects.filter(request_id="req-many").order_by("id"))
    columns = [field.attname for field in AuditEntry._meta.concrete_fields]
    assert [[getattr(e, c) for c in columns] for e in returned] == [[getattr(e, c) for c in columns] for e in stored]
    assert [e.object_id for e in stored] == ["b", None, str(third), "a"]
    for entry in stored:
        assert (entry.occurred_at, entry.agency_code, entry.client_id, entry.client_name) == (
            when, "ICE", "cid-1", "ICE case system"
        )  # fmt: skip
        assert (entry.action, entry.object_type, entry.outcome, entry.reason) == (
            "referral.list_read", "referral", "success", "page"
        )  # fmt: skip
        # The address as the model's field stores it (IPv6 normalised, as bulk_create did).
        assert (entry.request_id, entry.source_ip, entry.purpose) == ("req-many", "2001:db8::7", "case review")
        assert (entry.chain_seq, entry.prev_hash, entry.row_hash) == (None, None, None)
        assert isinstance(entry.public_id, uuid.UUID) and entry.public_id.version == 4
    assert len({e.public_id for e in stored}) == 4
    assert all(not e._state.adding and e._state.db == "default" for e in returned)
    assert audit_seal() == 4
    chained = AuditEntry.objects.filter(request_id="req-many").order_by("chain_seq")
    assert [e.object_id for e in chained] == ["b", None, str(third), "a"]


def test_audit_record_many_refuses_a_long_value_as_the_column_would():
    """Values are assigned to the columns, never cast: a value too long fails rather than being cut short."""
    with pytest.raises(DatabaseError, match="too long"):
        audit_record_many(action="referral.list_read", object_type="referral", object_ids=["a"], client_id="x" * 256)
