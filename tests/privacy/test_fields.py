"""Encrypted fields: empty and falsy values round-trip exactly, None stays NULL, and rotation keeps them so."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from referrals.models import Person
from referrals.rotation import encryption_keys_rotate, is_under_newest_key

pytestmark = pytest.mark.django_db

# (field, value): one encrypted field of each type, each holding an empty, falsy or edge value.
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


def raw(person_id, column: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM referrals_person WHERE id = %s", [person_id])
        return cursor.fetchone()[0]


@pytest.fixture
def person_of(make_referral):
    referral_id = make_referral()["id"]
    positions = iter(range(1, 100))

    def _make(field, value):
        return Person.objects.create(referral_id=referral_id, position=next(positions), role="victim", **{field: value})

    return _make


@pytest.mark.parametrize(("field", "value"), CASES, ids=[f"{f}={v!r}" for f, v in CASES])
def test_value_round_trips_exactly_and_rotates(person_of, field, value, settings, new_key):
    person = person_of(field, value)
    stored = raw(person.pk, field)
    if value is None:
        assert stored is None  # NULL, not an encrypted "null"
    else:
        assert isinstance(stored, str) and stored.startswith("gAAAA")  # a Fernet token, never the value
    got = getattr(Person.objects.get(pk=person.pk), field)
    assert got == value and type(got) is type(value)

    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    assert encryption_keys_rotate(batch_size=1).complete
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    after = raw(person.pk, field)
    assert (after is None) if value is None else is_under_newest_key(after)
    got = getattr(Person.objects.get(pk=person.pk), field)
    assert got == value and type(got) is type(value)


def test_equal_values_encrypt_differently(person_of):
    a, b = person_of("given_name", "Maria"), person_of("family_name", "Maria")
    assert raw(a.pk, "given_name") != raw(b.pk, "family_name")
