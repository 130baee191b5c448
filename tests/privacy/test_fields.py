"""Sealed records: values round-trip exactly, None stays NULL, one ciphertext per record, bound to its referral
and record, and an unused (deferred) column is never decrypted."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from referral_api import crypto
from referral_api.keystore import keyring
from referral_api.keystore.services import DataKeyDestroyed, data_key_destroy
from referrals.models import PERSON_IDENTIFYING_FIELDS, Note, Person, Referral

pytestmark = pytest.mark.django_db

# (member, value): edge values of each kind a member holds.
CASES = [
    ("given_name", ""),
    ("given_name", "0"),
    ("given_name", " "),
    ("given_name", "Zoë 李 \u200b"),
    ("given_name", None),
    ("safe_contact", ""),
    ("safe_contact", []),
    ("safe_contact", {}),
    ("safe_contact", 0),
    ("safe_contact", 0.0),
    ("safe_contact", False),
    ("safe_contact", [None, "", 0, False, {}]),
    ("safe_contact", None),
    ("aliases", []),
    ("aliases", {}),
    ("date_of_birth", datetime.date(2000, 1, 1)),
    ("date_of_birth", None),
]


def raw(table: str, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sealed FROM {table} WHERE id = %s", [pk])
        value = cursor.fetchone()[0]
    return None if value is None else bytes(value)


@pytest.fixture
def referral_id(make_referral):
    return make_referral()["id"]


@pytest.fixture
def person_of(referral_id):
    positions = iter(range(1, 100))

    def _make(**values):
        return Person.objects.create(referral_id=referral_id, position=next(positions), role="victim", **values)

    return _make


@pytest.mark.parametrize(("field", "value"), CASES, ids=[f"{f}={v!r}" for f, v in CASES])
def test_value_round_trips_exactly(person_of, field, value):
    person = person_of(**{field: value})
    stored = raw("referrals_person", person.pk)
    assert stored[0] == crypto.SEALED_FORMAT  # one sealed value (the record has list members, never all None)
    got = getattr(Person.objects.get(pk=person.pk), field)
    assert got == value and type(got) is type(value)


def test_a_record_whose_members_are_all_none_is_null(referral_id):
    note = Note.objects.create(
        referral_id=referral_id, author_agency_id=Referral.objects.get(pk=referral_id).sender_agency_id,
        author_client_id="c", author_client_name="n", information_source="other",
    )  # fmt: skip
    assert raw("referrals_note", note.pk) is None
    assert Note.objects.get(pk=note.pk).body is None


def test_all_identifying_fields_are_one_ciphertext(person_of):
    person = person_of(given_name="Maria", family_name="Lopez", a_number="A123456789", aliases=["Mari"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM referrals_person WHERE id = %s", [person.pk])
        row = dict(zip([c.name for c in cursor.description], cursor.fetchone(), strict=True))
    # The v1.0 per-field columns stay empty; the sealed column holds everything.
    assert all(row.get(name) is None for name in PERSON_IDENTIFYING_FIELDS if name in row)
    assert b"Maria" not in bytes(row["sealed"]) and b"A123456789" not in bytes(row["sealed"])


def test_equal_values_encrypt_differently(person_of):
    a, b = person_of(given_name="Maria"), person_of(given_name="Maria")
    assert raw("referrals_person", a.pk) != raw("referrals_person", b.pk)


def test_a_ciphertext_cannot_move_to_another_record_or_referral(person_of, make_referral):
    a, b = person_of(given_name="Maria"), person_of(given_name="Ana")
    other = Person.objects.create(referral_id=make_referral()["id"], position=1, role="victim", given_name="Eva")
    blob = raw("referrals_person", a.pk)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_person SET sealed = %s WHERE id IN (%s, %s)", [blob, b.pk, other.pk])
    assert Person.objects.get(pk=a.pk).given_name == "Maria"
    with pytest.raises(crypto.InvalidTag):
        Person.objects.get(pk=b.pk).given_name  # same referral, same key: another record
    with pytest.raises(crypto.InvalidTag):
        Person.objects.get(pk=other.pk).given_name  # another referral's key


def test_without_pii_the_identities_are_never_decrypted(person_of, referral_id, monkeypatch):
    person_of(given_name="Maria")
    opened = []
    real = crypto.open_sealed
    monkeypatch.setattr(crypto, "open_sealed", lambda blob, **kw: opened.append(kw["associated"]) or real(blob, **kw))
    from referrals.selectors import with_representation

    with keyring.scope():
        referral = with_representation(Referral.objects.filter(pk=referral_id), pii=False).get()
        persons = list(referral.persons.all())
        assert referral.summary
    assert persons and not any(b"referrals.person" in a for a in opened)


def test_a_destroyed_key_makes_the_record_unreadable_and_unwritable(referral_id):
    data_key_destroy(referral_id=referral_id)
    with pytest.raises(DataKeyDestroyed):
        Referral.objects.get(pk=referral_id).summary
    referral = Referral.objects.get(pk=referral_id)
    referral.__dict__["sealed"] = None
    referral.summary = "new text"
    with pytest.raises(DataKeyDestroyed):
        referral.save()
