"""The key store: per-referral data keys, wrapped under the KEKs, destroyed for good, routed by the router."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings as django_settings

from referral_api import crypto
from referral_api.keystore import keyring
from referral_api.keystore.models import DataKey
from referral_api.keystore.routers import KeystoreRouter
from referral_api.keystore.services import (
    DataKeyDestroyed,
    DataKeyUnavailable,
    data_key_destroy,
    data_key_get_or_create,
    data_key_is_destroyed,
    data_key_renew,
    data_keys_rewrap,
    data_keys_unwrap,
)

pytestmark = pytest.mark.django_db


def test_get_or_create_returns_the_same_key_and_stores_it_only_wrapped():
    referral_id = uuid.uuid4()
    generation, key = data_key_get_or_create(referral_id=referral_id)
    assert generation == 1 and len(key) == 32
    assert data_key_get_or_create(referral_id=referral_id) == (1, key)
    row = DataKey.objects.get(referral_id=referral_id)
    assert key not in bytes(row.wrapped)
    assert row.kek_id == crypto.newest_kek().kek_id
    assert DataKey.objects.count() == 1


def test_each_referral_gets_its_own_key():
    keys = {data_key_get_or_create(referral_id=uuid.uuid4())[1] for _ in range(5)}
    assert len(keys) == 5


def test_a_new_referral_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        data_key_get_or_create(referral_id=uuid.uuid4())


def test_wrapped_key_is_bound_to_its_referral():
    a, b = uuid.uuid4(), uuid.uuid4()
    data_key_get_or_create(referral_id=a)
    data_key_get_or_create(referral_id=b)
    # Swapping wrapped keys between referrals in the key store makes both unusable, not interchangeable.
    wa = bytes(DataKey.objects.get(referral_id=a).wrapped)
    wb = bytes(DataKey.objects.get(referral_id=b).wrapped)
    DataKey.objects.filter(referral_id=a).update(wrapped=wb)
    DataKey.objects.filter(referral_id=b).update(wrapped=wa)
    with pytest.raises(DataKeyUnavailable):
        data_keys_unwrap([a])


def test_destroy_is_final_and_idempotent():
    referral_id = uuid.uuid4()
    data_key_get_or_create(referral_id=referral_id)
    assert data_key_destroy(referral_id=referral_id) is True
    assert data_key_destroy(referral_id=referral_id) is False
    assert data_key_is_destroyed(referral_id=referral_id)
    row = DataKey.objects.get(referral_id=referral_id)
    assert row.wrapped is None and row.kek_id == "" and row.destroyed_at is not None
    with pytest.raises(DataKeyDestroyed):
        data_key_get_or_create(referral_id=referral_id)
    assert data_keys_unwrap([referral_id]) == {referral_id: None}


def test_destroying_a_referral_without_key_leaves_a_tombstone():
    referral_id = uuid.uuid4()
    assert data_key_destroy(referral_id=referral_id) is False
    assert data_key_is_destroyed(referral_id=referral_id)
    with pytest.raises(DataKeyDestroyed):
        data_key_get_or_create(referral_id=referral_id)


def test_destroy_covers_every_generation():
    referral_id = uuid.uuid4()
    data_key_get_or_create(referral_id=referral_id)
    assert data_key_renew(referral_id=referral_id)[0] == 2
    data_key_destroy(referral_id=referral_id)
    assert not DataKey.objects.filter(referral_id=referral_id, wrapped__isnull=False).exists()
    with pytest.raises(DataKeyDestroyed):
        data_key_renew(referral_id=referral_id)


def test_unwrap_of_a_page_is_one_query(django_assert_num_queries):
    ids = [uuid.uuid4() for _ in range(50)]
    keys = {i: data_key_get_or_create(referral_id=i)[1] for i in ids}
    with django_assert_num_queries(1):
        found = data_keys_unwrap(ids)
    assert {i: found[i][1] for i in ids} == keys


def test_keyring_unwraps_once_per_scope(django_assert_num_queries):
    ids = [uuid.uuid4() for _ in range(3)]
    for i in ids:
        data_key_get_or_create(referral_id=i)
    with keyring.scope() as ring:
        for i in ids:
            keyring.note_loaded(i)
        with django_assert_num_queries(1):
            for i in ids:
                ring.for_read(i, 1)
                ring.for_read(i, 1)
    assert keyring._current.get() is None


def test_rewrap_moves_every_key_under_the_newest_kek_without_changing_it(new_key, settings):
    ids = [uuid.uuid4() for _ in range(7)]
    keys = {i: data_key_get_or_create(referral_id=i)[1] for i in ids}
    data_key_destroy(referral_id=ids[0])
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    report = data_keys_rewrap(batch_size=2)
    assert report.rewrapped == 6 and report.failed == 0 and report.remaining == 0
    assert data_keys_rewrap().rewrapped == 0  # done: a second run has nothing to do
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old KEK is removed
    found = data_keys_unwrap(ids)
    assert found[ids[0]] is None
    assert all(found[i][1] == keys[i] for i in ids[1:])


def test_rewrap_dry_run_writes_nothing(new_key, settings):
    referral_id = uuid.uuid4()
    data_key_get_or_create(referral_id=referral_id)
    before = bytes(DataKey.objects.get(referral_id=referral_id).wrapped)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    assert data_keys_rewrap(dry_run=True).rewrapped == 1
    assert bytes(DataKey.objects.get(referral_id=referral_id).wrapped) == before


def test_a_removed_kek_is_reported_not_guessed(new_key, settings):
    referral_id = uuid.uuid4()
    data_key_get_or_create(referral_id=referral_id)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(DataKeyUnavailable):
        data_keys_unwrap([referral_id])
    report = data_keys_rewrap()
    assert report.failed == 1 and report.remaining == 1


def test_sealed_values_are_bound_to_key_and_associated_data():
    key = AESGCM(AESGCM.generate_key(bit_length=256))
    blob = crypto.seal(b"secret", data_key=key, generation=3, associated=b"r1|person|p1")
    assert crypto.sealed_generation(blob) == 3
    assert crypto.open_sealed(blob, data_key=key, associated=b"r1|person|p1") == b"secret"
    with pytest.raises(crypto.InvalidTag):
        crypto.open_sealed(blob, data_key=key, associated=b"r2|person|p1")
    with pytest.raises(crypto.InvalidTag):
        crypto.open_sealed(blob[:1] + (4).to_bytes(4, "big") + blob[5:], data_key=key, associated=b"r1|person|p1")
    with pytest.raises(crypto.InvalidTag):
        crypto.open_sealed(blob, data_key=AESGCM(AESGCM.generate_key(bit_length=256)), associated=b"r1|person|p1")


def test_kek_is_derived_not_the_fernet_key_itself(settings):
    kek = crypto.newest_kek()
    assert len(kek.kek_id) == 16
    assert settings.FIELD_ENCRYPTION_KEYS[0] not in kek.kek_id


def test_router_sends_the_key_store_to_its_own_database_when_configured(monkeypatch):
    router = KeystoreRouter()
    assert router.db_for_write(DataKey) == "default"
    assert router.allow_migrate("default", "keystore") is None
    monkeypatch.setitem(django_settings.DATABASES, "keystore", django_settings.DATABASES["default"])
    assert router.db_for_read(DataKey) == "keystore"
    assert router.db_for_write(DataKey) == "keystore"
    assert router.allow_migrate("keystore", "keystore") is True
    assert router.allow_migrate("default", "keystore") is False
    assert router.allow_migrate("keystore", "referrals") is False
