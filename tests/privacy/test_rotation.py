"""Key rotation: a KEK rotation rewraps data keys (no data re-encrypted) and re-encrypts the KEK columns; the old
KEK can then go and everything reads back identically; ``--reencrypt`` moves every referral to a fresh data key;
interrupted runs finish on the next one."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from attachments.models import Attachment
from events.models import WebhookSubscription
from events.selectors import webhook_signing_secrets
from referral_api import crypto
from referral_api.encryption import file_hooks, kek_columns, sealed_models, v1_columns
from referral_api.keystore.models import DataKey
from referral_api.keystore.services import data_keys_rewrap
from referral_api.rotation import encrypted_tables, encryption_keys_rotate, is_under_newest_key, table_reencrypt
from referrals.models import Case, Note, Person, Referral, StatusEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def sealed_blobs() -> dict:
    """``{(table, pk): sealed bytes}`` of every non-NULL sealed column."""
    out = {}
    for model, field in sealed_models():
        for pk, blob in model.objects.exclude(**{f"{field.attname}__isnull": True}).values_list("pk", field.attname):
            out[(model._meta.db_table, pk)] = bytes(blob)
    return out


def secrets_raw() -> dict:
    qn = connection.ops.quote_name
    out = {}
    for table in encrypted_tables():
        with connection.cursor() as cursor:
            columns = ", ".join(qn(c.name) for c in table.columns)
            cursor.execute(f"SELECT {qn(table.pk)}, {columns} FROM {qn(table.table)}")
            for row in cursor.fetchall():
                for column, raw in zip(table.columns, row[1:], strict=True):
                    if raw is not None:
                        out[(table.table, row[0], column.name)] = bytes(raw)
    return out


def api_snapshot(client, ids) -> list:
    out = []
    for referral_id in ids:
        for suffix in ("", "history/", "notes/", "attachments/"):
            response = client.get(f"{URL}{referral_id}/{suffix}")
            assert response.status_code == 200, response.content
            out.append(response.json())
    return out


def content(client, dataset) -> bytes:
    attachment = dataset["attachment"]
    response = client.get(f"{URL}{dataset['victim']['id']}/attachments/{attachment['id']}/content/")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def test_the_registry_holds_every_encrypted_value():
    assert {model for model, _field in sealed_models()} == {Referral, Case, Person, StatusEvent, Note, Attachment}
    assert {(m._meta.label, n) for m, n in kek_columns()} == {
        ("events.WebhookSubscription", "secret_encrypted"),
        ("events.WebhookSubscription", "previous_secret_encrypted"),
        ("records.LegalHold", "matter_encrypted"),
    }
    assert [hook.name for hook in file_hooks()] == ["attachments"]
    assert {m for m, _legacy in v1_columns()} == {Referral, Case, Person, StatusEvent, Note, Attachment}


def test_referrals_does_not_import_attachments():
    import pathlib

    for path in pathlib.Path("referrals").rglob("*.py"):
        assert "attachments" not in path.read_text().replace("attachments/", ""), path


def test_rotation_rewraps_data_keys_and_the_old_kek_can_go(
    dataset, cbp, settings, new_key, django_capture_on_commit_callbacks
):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    before_api = api_snapshot(cbp, dataset["referral_ids"])
    before_blobs = sealed_blobs()
    before_secrets = secrets_raw()
    assert before_blobs and before_secrets

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--batch-size", "2", stdout=out)
    summary = out.getvalue()
    live = DataKey.objects.filter(destroyed_at__isnull=True)
    assert f"data keys: {live.count()} rewrapped" in summary and "per 10,000 referrals" in summary
    assert "events_webhooksubscription" in summary and "older keys may be removed" in summary

    # No data was re-encrypted: every sealed value is byte for byte what it was; only the key store changed.
    assert sealed_blobs() == before_blobs
    assert set(live.values_list("kek_id", flat=True)) == {crypto.newest_kek().kek_id}
    after_secrets = secrets_raw()
    assert all(is_under_newest_key(v) for v in after_secrets.values())

    # The old KEK removed: every value, file, name and secret still reads back identically.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert api_snapshot(cbp, dataset["referral_ids"]) == before_api
    assert content(cbp, dataset) == dataset["attachment_content"]
    subscription = WebhookSubscription.objects.get(pk=dataset["webhook_id"])
    assert webhook_signing_secrets(subscription) == dataset["webhook_secrets"]

    # A second run finds nothing to do.
    report = encryption_keys_rotate(batch_size=500)
    assert report.data_keys.rewrapped == 0 and sum(t.values_reencrypted for t in report.tables) == 0
    assert secrets_raw() == after_secrets


def test_dry_run_counts_and_writes_nothing(dataset, settings, new_key):
    wrapped = set(DataKey.objects.values_list("kek_id", "wrapped"))
    secrets = secrets_raw()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert f"data keys: {DataKey.objects.count()} to rewrap" in out.getvalue()
    assert set(DataKey.objects.values_list("kek_id", "wrapped")) == wrapped
    assert secrets_raw() == secrets


def test_resumed_rotation_after_a_crash_between_batches(dataset, cbp, settings, new_key):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    before = api_snapshot(cbp, dataset["referral_ids"])
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    newest = crypto.newest_kek().kek_id

    class Crash(Exception):
        pass

    def crash(report):
        raise Crash

    with pytest.raises(Crash):
        data_keys_rewrap(batch_size=1, after_batch=crash)
    done = dict(DataKey.objects.filter(kek_id=newest).values_list("id", "wrapped"))
    assert len(done) == 1 and DataKey.objects.exclude(kek_id=newest).exists()

    report = encryption_keys_rotate(batch_size=1)
    assert report.complete and report.data_keys.rewrapped == DataKey.objects.count() - 1
    for pk, wrapped in done.items():  # what the first run did is left alone
        assert bytes(DataKey.objects.get(pk=pk).wrapped) == bytes(wrapped)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert api_snapshot(cbp, dataset["referral_ids"]) == before


def test_a_concurrent_secret_write_is_not_overwritten(dataset, settings, new_key, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    real = crypto.reencrypt_bytes
    written = crypto.encrypt_str("changed meanwhile")

    def with_concurrent_write(token):
        # A secret rotation by the API lands between the rotation's read and its write.
        WebhookSubscription.objects.filter(pk=dataset["webhook_id"]).update(secret_encrypted=written)
        return real(token)

    monkeypatch.setattr(crypto, "reencrypt_bytes", with_concurrent_write)
    table = encrypted_tables()[0]
    report = table_reencrypt(table, batch_size=10)
    assert report.values_skipped_concurrent == 1
    assert bytes(WebhookSubscription.objects.get(pk=dataset["webhook_id"]).secret_encrypted) == written


def test_a_data_key_no_kek_unwraps_is_reported_and_the_old_kek_kept(make_referral, settings, new_key):
    make_referral()
    DataKey.objects.update(kek_id="0123456789abcdef")  # wrapped by a KEK that is not configured
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    out = io.StringIO()
    with pytest.raises(CommandError, match="do not remove it yet"):
        call_command("rotate_encryption_keys", stdout=out)
    assert "1 no configured key unwraps" in out.getvalue()


def test_reencrypt_moves_every_referral_to_a_fresh_data_key(
    dataset, cbp, django_capture_on_commit_callbacks, attachment_dir
):
    before_api = api_snapshot(cbp, dataset["referral_ids"])
    before_blobs = sealed_blobs()
    before_keys = {(k.referral_id, k.generation): bytes(k.wrapped) for k in DataKey.objects.all()}
    old_objects = {p.read_bytes() for p in attachment_dir.rglob("*") if p.is_file()}
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_encryption_keys", "--reencrypt", "--batch-size", "2", stdout=out)
    assert f"referrals: {Referral.objects.count()} re-encrypted" in out.getvalue()

    after_blobs = sealed_blobs()
    assert after_blobs.keys() == before_blobs.keys()
    assert all(crypto.sealed_generation(b) == 2 for b in after_blobs.values())
    # The old generation is destroyed: nothing sealed under it could be read even with the KEKs.
    assert not DataKey.objects.filter(generation=1, wrapped__isnull=False).exists()
    assert DataKey.objects.filter(generation=2, wrapped__isnull=False).count() == len(before_keys)
    new_objects = {p.read_bytes() for p in attachment_dir.rglob("*") if p.is_file()}
    assert new_objects and not new_objects & old_objects
    assert api_snapshot(cbp, dataset["referral_ids"]) == before_api
    assert content(cbp, dataset) == dataset["attachment_content"]

    # Resuming with the first run's --before finds nothing left.
    before = out.getvalue().split("--before ")[1].split(")")[0]
    again = io.StringIO()
    call_command("rotate_encryption_keys", "--reencrypt", "--before", before, stdout=again)
    assert "referrals: 0 re-encrypted" in again.getvalue()
    assert sealed_blobs() == after_blobs


def test_reencrypt_dry_run_writes_nothing(dataset):
    blobs = sealed_blobs()
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--reencrypt", "--dry-run", stdout=out)
    assert f"referrals: {Referral.objects.count()} to re-encrypt" in out.getvalue()
    assert sealed_blobs() == blobs


@pytest.mark.parametrize(
    "args",
    [["--batch-size", "0"], ["--before", "2026-01-01T00:00:00Z"], ["--reencrypt", "--before", "yesterday"],
     ["--reencrypt", "--before", "2026-01-01T00:00:00"]],
)  # fmt: skip
def test_bad_arguments_are_refused(args):
    with pytest.raises(CommandError):
        call_command("rotate_encryption_keys", *args)
