"""Blind indexes of people: what is hashed (normalised A-number; names and date of birth), under which key.

Digests are HMAC-SHA256 (``referral_api.crypto``) under the newest of ``BLIND_INDEX_KEYS``; a lookup matches a
digest under any listed key, so an index key can be rotated while lookups keep working
(``manage.py blind_index_rotate`` recomputes stored digests under the newest key; docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings

from referral_api.crypto import blind_index, blind_indexes


def _normalise_name(value: str | None) -> str:
    value = unicodedata.normalize("NFKD", value or "")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.casefold().split())


def index_inputs(person) -> tuple[str | None, str | None]:
    """The normalised inputs of a person's two indexes (A-number; ``given|family|date of birth``), or ``None``."""
    a_number = person.a_number.upper() if person.a_number else None
    names = (_normalise_name(person.given_name), _normalise_name(person.family_name))
    name_dob = None
    if person.date_of_birth and any(names):
        name_dob = f"{names[0]}|{names[1]}|{person.date_of_birth.isoformat()}"
    return a_number, name_dob


def index_key_id() -> str:
    """Fingerprint of the newest blind-index key (which key a stored digest is under; never the key)."""
    return hashlib.sha256(b"blind-index-key\x00" + settings.BLIND_INDEX_KEYS[0].encode()).hexdigest()[:16]


def person_index(person) -> None:
    """Set a person's stored digests under the newest key, from its (decrypted) identifying fields."""
    a_number, name_dob = index_inputs(person)
    person.a_number_index = blind_index(a_number, purpose="a_number") if a_number else None
    person.name_dob_index = blind_index(name_dob, purpose="name_dob") if name_dob else None
    person.index_key_id = index_key_id()


def person_lookup_digests(person) -> tuple[set[str], set[str]]:
    """The digests a lookup for this person matches: its inputs under every listed key."""
    a_number, name_dob = index_inputs(person)
    return (
        set(blind_indexes(a_number, purpose="a_number")) if a_number else set(),
        set(blind_indexes(name_dob, purpose="name_dob")) if name_dob else set(),
    )
