"""Key rotation: every encrypted value is re-encrypted under the newest key, reads back identically once the old
key is gone, and an interrupted rotation finishes on the next run without encrypting anything twice."""

from __future__ import annotations

import io
import uuid

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from events.models import WebhookSubscription
from events.selectors import webhook_signing_secrets
from referral_api import crypto
from referrals.models import Case, Note, Person, Referral, StatusEvent
from referrals.rotation import encrypted_tables, encryption_keys_rotate, is_under_newest_key, table_reencrypt

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def raw_values(table) -> dict:
    """``{(pk, column): raw token}`` of every non-NULL encrypted value of a table."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(table.pk)}, {', '.join(qn(c.name) for c in table.columns)} FROM {qn(table.table)}")
        rows = cursor.fetchall()
    return {
        (row[0], column.name): bytes(raw) if column.binary else raw
        for row in rows
        for column, raw in zip(table.columns, row[1:], strict=True)
        if raw is not None
    }


def all_raw() -> dict:
    return {(t.table, *key): value for t in encrypted_tables() for key, value in raw_values(t).items()}


def decrypted_snapshot() -> dict:
    """Every encrypted field of every row, as the application reads it (through the model fields)."""
    out = {}
    for table in encrypted_tables():
        model = apps.get_model(table.label)
        fields = [c.field for c in table.columns if not c.binary]
        if fields:
            out[table.label] = list(model.objects.order_by("pk").values_list("pk", *fields))
    return out


def api_snapshot(client, ids) -> list:
    out = []
    for referral_id in ids:
        for suffix in ("", "history/", "notes/", "attachments/"):
            response = client.get(f"{URL}{referral_id}/{suffix}")
            assert response.status_code == 200, response.content
            out.append(response.json())
    return out


def test_every_encrypted_column_is_discovered():
    found = {(t.label, c.field) for t in encrypted_tables() for c in t.columns}
    expected = {
        ("referrals.Referral", name) for name in ("summary", "narrative", "consent_scope", "assignee", "outcome")
    }
    expected |= {("referrals.Case", n) for n in ("sender_case_number", "title", "locations", "organizations")}
    expected |= {
        ("referrals.Person", n)
        for n in ("given_name", "family_name", "aliases", "date_of_birth", "a_number", "other_identifiers",
                  "safe_contact", "location", "disclosure_authority")
    }  # fmt: skip
    expected |= {("referrals.StatusEvent", "reason"), ("referrals.Note", "body")}
    expected |= {("attachments.Attachment", "description"), ("attachments.Attachment", "file_name")}
    expected |= {("events.WebhookSubscription", n) for n in ("secret_encrypted", "previous_secret_encrypted")}
    expected |= {("records.LegalHold", "matter")}
    assert found == expected


def test_rotation_re_encrypts_everything_and_the_old_key_can_go(
    dataset, cbp, settings, new_key, django_capture_on_commit_callbacks
):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    assert Referral.objects.exists() and Case.objects.exists() and Person.objects.exists()
    assert StatusEvent.objects.exclude(reason=None).exists() and Note.objects.exists()
    before_api = api_snapshot(cbp, dataset["referral_ids"])
    before_db = decrypted_snapshot()
    before_raw = all_raw()
    assert before_raw and not any(v is None for v in before_raw.values())

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert not any(is_under_newest_key(v) for v in before_raw.values())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_encryption_keys", "--batch-size", "2", stdout=out)
    summary = out.getvalue()
    assert "referrals_person" in summary and "attachments (objects)" in summary
    assert "older keys may be removed" in summary

    after_raw = all_raw()
    assert after_raw.keys() == before_raw.keys()  # NULLs stayed NULL, nothing appeared
    assert all(is_under_newest_key(v) for v in after_raw.values())
    assert not set(after_raw.values()) & set(before_raw.values())

    # The old key removed: every value, file, name and secret still reads back identically.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypted_snapshot() == before_db
    assert api_snapshot(cbp, dataset["referral_ids"]) == before_api
    subscription = WebhookSubscription.objects.get(pk=dataset["webhook_id"])
    assert webhook_signing_secrets(subscription) == dataset["webhook_secrets"]
    attachment = dataset["attachment"]
    content = cbp.get(f"{URL}{dataset['victim']['id']}/attachments/{attachment['id']}/content/")
    assert content.status_code == 200
    assert b"".join(content.streaming_content) == dataset["attachment_content"]

    # A second run finds nothing to do.
    report = encryption_keys_rotate(batch_size=500)
    assert sum(t.values_reencrypted for t in report.tables) == 0 and report.attachments_reencrypted == 0
    assert all_raw() == after_raw


def test_dry_run_counts_and_writes_nothing(dataset, settings, new_key):
    before = all_raw()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert all_raw() == before
    report = encryption_keys_rotate(dry_run=True)
    assert sum(t.values_reencrypted for t in report.tables) == len(before)
    assert report.attachments_reencrypted == 1
    per_table = {t.table: t.rows_reencrypted for t in report.tables}
    assert per_table["referrals_referral"] == Referral.objects.count()
    assert f"{Referral.objects.count()} rows to re-encrypt" in out.getvalue()


def test_resumed_rotation_after_a_crash_between_batches(dataset, settings, new_key):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    snapshot = decrypted_snapshot()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    class Crash(Exception):
        pass

    def crash(report):
        raise Crash

    with pytest.raises(Crash):
        encryption_keys_rotate(batch_size=1, after_batch=crash)
    first = all_raw()
    done = {key: value for key, value in first.items() if is_under_newest_key(value)}
    # The attachment (run first) and exactly one row of the first table are done; nothing else is.
    table = encrypted_tables()[0]
    assert len({key[1] for key in done if key[0] == table.table}) == 1
    assert {key[0] for key in done} <= {table.table, "attachments_attachment"}
    assert len(done) < len(first)

    report = encryption_keys_rotate(batch_size=1)
    assert report.complete
    after = all_raw()
    assert all(is_under_newest_key(value) for value in after.values())
    for key, value in done.items():  # what the first run did is left alone: never encrypted twice
        assert after[key] == value
    assert sum(t.values_reencrypted for t in report.tables) == len(first) - len(done)

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypted_snapshot() == snapshot


def test_resumed_rotation_after_a_crash_inside_a_batch(dataset, settings, new_key, monkeypatch):
    """A failure while a batch is prepared writes nothing of that batch; the next run completes."""
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    snapshot = decrypted_snapshot()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    real = crypto.reencrypt_text
    calls = []

    def flaky(token):
        calls.append(token)
        if len(calls) == 5:
            raise RuntimeError("worker killed")
        return real(token)

    monkeypatch.setattr(crypto, "reencrypt_text", flaky)
    with pytest.raises(RuntimeError):
        encryption_keys_rotate(batch_size=3)
    monkeypatch.setattr(crypto, "reencrypt_text", real)
    report = encryption_keys_rotate(batch_size=3)
    assert report.complete
    assert all(is_under_newest_key(value) for value in all_raw().values())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypted_snapshot() == snapshot


def test_a_concurrent_write_is_not_overwritten(make_referral, settings, new_key, monkeypatch):
    referral = make_referral()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    real = crypto.reencrypt_text

    def with_concurrent_write(token):
        # A request saves the summary between the rotation's read and its write.
        Referral.objects.filter(pk=referral["id"]).update(summary="Changed meanwhile")
        return real(token)

    monkeypatch.setattr(crypto, "reencrypt_text", with_concurrent_write)
    table = next(t for t in encrypted_tables() if t.table == "referrals_referral")
    report = table_reencrypt(table, batch_size=10)
    assert report.values_skipped_concurrent == 1
    assert Referral.objects.get(pk=referral["id"]).summary == "Changed meanwhile"
    monkeypatch.setattr(crypto, "reencrypt_text", real)
    assert table_reencrypt(table).values_reencrypted == 0  # the concurrent write was already under the new key


def test_a_value_no_key_decrypts_is_reported_and_the_old_key_kept(make_referral, settings, new_key):
    referral = make_referral()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET narrative = %s WHERE id = %s",
            [Fernet(Fernet.generate_key()).encrypt(b"x").decode(), referral["id"]],
        )
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    out = io.StringIO()
    with pytest.raises(CommandError, match="do not remove the old key"):
        call_command("rotate_encryption_keys", stdout=out)
    assert "1 values no key decrypts" in out.getvalue()
    raw = all_raw()
    key = ("referrals_referral", uuid.UUID(referral["id"]))
    assert is_under_newest_key(raw[(*key, "summary")])  # the rest of the row was done
    assert not is_under_newest_key(raw[(*key, "narrative")])


def test_batch_size_must_be_positive():
    with pytest.raises(CommandError):
        call_command("rotate_encryption_keys", "--batch-size", "0")
