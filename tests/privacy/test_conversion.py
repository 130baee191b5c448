"""Conversion from v1.0 (per-field Fernet under the KEK, Fernet-chunked files) to sealed records under
per-referral data keys: rows written the v1.0 way read back identically after the conversion, which is batched,
resumable and idempotent, and leaves no v1.0 value behind."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from attachments.models import Attachment
from attachments.services import attachments_v1_count
from attachments.storage import MAGIC_V1, attachment_storage
from referral_api import crypto
from referral_api.encryption import v1_columns
from referral_api.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from referral_api.keystore.models import DataKey
from referral_api.sealing import DATE, JSON, legacy_convert_table
from tests.privacy.test_rotation import api_snapshot, content

pytestmark = pytest.mark.django_db

V1_FIELD = {"text": EncryptedTextField(), JSON: EncryptedJSONField(), DATE: EncryptedDateField()}


def write_the_v1_way(file_bytes: bytes | None = None) -> int:
    """Rewrite every sealed record as v1.0 stored it: each member its own Fernet token in its own column (made by
    the v1.0 field classes), no sealed column, no data keys; stored files as Fernet chunks (``PRA1``)."""
    qn = connection.ops.quote_name
    rows = 0
    for model, legacy in v1_columns():
        for obj in model.objects.all():
            values = {member: getattr(obj, member) for member in legacy}
            sets = {column: V1_FIELD[kind].get_prep_value(values[member]) for member, (column, kind) in legacy.items()}
            assignments = ", ".join(f"{qn(c)} = %s" for c in sets)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {qn(model._meta.db_table)} SET sealed = NULL, {assignments} WHERE {qn(model._meta.pk.column)} = %s",  # noqa: E501
                    [*sets.values(), obj.pk],
                )
            rows += 1
    for attachment in Attachment.objects.exclude(storage_key=""):
        plaintext = file_bytes
        with attachment_storage().open(attachment.storage_key, "wb") as out:
            out.write(MAGIC_V1)
            for start in range(0, len(plaintext), 64 * 1024):
                token = crypto.encrypt_bytes(plaintext[start : start + 64 * 1024])
                out.write(len(token).to_bytes(4, "big") + token)
        Attachment.objects.filter(pk=attachment.pk).update(key_fingerprint="0a1b2c3d")
    DataKey.objects.all().delete()
    return rows


def v1_values_left() -> int:
    qn = connection.ops.quote_name
    left = 0
    for model, legacy in v1_columns():
        condition = " OR ".join(f"{qn(column)} IS NOT NULL" for column, _kind in legacy.values())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {qn(model._meta.db_table)} WHERE {condition}")
            left += cursor.fetchone()[0]
    return left


def test_v1_rows_read_back_identically_after_conversion(dataset, cbp, attachment_dir):
    before = api_snapshot(cbp, dataset["referral_ids"])
    converted_rows = write_the_v1_way(dataset["attachment_content"])
    assert v1_values_left() > 0 and attachments_v1_count() == 1 and not DataKey.objects.exists()

    out = io.StringIO()
    call_command("encryption_convert", "--batch-size", "2", stdout=out)
    assert "Every value and file is sealed" in out.getvalue()

    assert v1_values_left() == 0 and attachments_v1_count() == 0
    assert DataKey.objects.count() >= len(dataset["referral_ids"])
    assert api_snapshot(cbp, dataset["referral_ids"]) == before
    assert content(cbp, dataset) == dataset["attachment_content"]
    assert converted_rows > 10

    # Idempotent: a second run has nothing to do.
    again = io.StringIO()
    call_command("encryption_convert", stdout=again)
    assert " 0 rows sealed" in again.getvalue() and "1 rows sealed" not in again.getvalue()


def test_an_interrupted_conversion_finishes_on_the_next_run(dataset, cbp):
    before = api_snapshot(cbp, dataset["referral_ids"])
    write_the_v1_way(dataset["attachment_content"])
    model, legacy = next((m, lg) for m, lg in v1_columns() if m._meta.model_name == "person")

    class Crash(Exception):
        pass

    def crash(report):
        raise Crash

    with pytest.raises(Crash):
        legacy_convert_table(model=model, legacy=legacy, batch_size=1, after_batch=crash)
    assert model.objects.exclude(sealed=None).count() == 1  # the first batch committed, the rest did not run
    call_command("encryption_convert", stdout=io.StringIO())
    assert v1_values_left() == 0
    assert api_snapshot(cbp, dataset["referral_ids"]) == before


def test_a_value_no_key_decrypts_is_reported_and_left(make_referral, settings, new_key):
    make_referral()
    write_the_v1_way()
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(CommandError, match="could not be converted"):
        call_command("encryption_convert", stdout=io.StringIO())
    assert v1_values_left() > 0  # nothing was lost: the v1.0 values are still there for a run with the right key
