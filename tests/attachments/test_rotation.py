"""Key rotation covers attachments: every stored object is re-encrypted under the newest key, resumably."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from attachments.models import Attachment
from attachments.services import attachments_reencrypt
from attachments.storage import key_fingerprint
from tests.attachments.conftest import PDF_BYTES, TEXT_BYTES, upload

pytestmark = pytest.mark.django_db


def test_reencrypt_moves_every_object_to_the_newest_key(
    cbp, referral, settings, attachment_dir, django_capture_on_commit_callbacks
):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    metas = [
        upload(cbp, referral["id"], PDF_BYTES, name="Maria.pdf", description="Maria's form").json(),
        upload(cbp, referral["id"], TEXT_BYTES, name="notes.txt").json(),
    ]
    old_objects = {p.read_bytes() for p in attachment_dir.rglob("*") if p.is_file()}
    assert set(Attachment.objects.values_list("key_fingerprint", flat=True)) == {key_fingerprint(old_key)}

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    with django_capture_on_commit_callbacks(execute=True):  # old objects go once the swap has committed
        assert attachments_reencrypt(batch_size=1) == 2
    assert set(Attachment.objects.values_list("key_fingerprint", flat=True)) == {key_fingerprint(new_key)}
    assert attachments_reencrypt(batch_size=1) == 0  # nothing left: resumable, idempotent

    new_objects = {p.read_bytes() for p in attachment_dir.rglob("*") if p.is_file()}
    assert len(new_objects) == 2 and not new_objects & old_objects  # old objects removed

    # The old key can now be dropped: every file, name and description still reads.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    for meta, content in zip(metas, [PDF_BYTES, TEXT_BYTES], strict=True):
        got = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
        assert got.status_code == 200
        assert b"".join(got.streaming_content) == content
        assert cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/").json() == meta


def test_reencrypt_skips_and_reports_corrupt_objects(cbp, referral, settings, attachment_dir):
    meta = upload(cbp, referral["id"], TEXT_BYTES, name="n.txt").json()
    upload(cbp, referral["id"], PDF_BYTES, name="a.pdf")
    stored = Attachment.objects.get(pk=meta["id"]).storage_key
    (attachment_dir / stored).write_bytes(b"PRA1garbage")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    assert attachments_reencrypt(batch_size=10) == 1
    assert Attachment.objects.get(pk=meta["id"]).key_fingerprint != key_fingerprint()
