"""Encrypted model fields of the shared kernel.

``SealedField`` is how a record's sensitive values are stored: its members (``summary``, ``given_name`` ...) are
ordinary attributes of the model instance, kept together as **one** AES-256-GCM ciphertext (``bytea``) under the
data key of the referral the record belongs to, with the referral id, the record type and the record id as
associated data (``referral_api.crypto``). Members are read together, so one decryption serves them all: it
happens on the first member access (never for rows whose members are not used, or whose column was deferred), and
one encryption happens on save when a member changed.

``None`` in every member is stored as SQL ``NULL``; otherwise every value, ``""``, ``[]``, ``{}``, ``0`` and
``False`` included, round-trips with its JSON type (dates listed in ``dates`` come back as ``datetime.date``).
Members cannot be filtered, sorted or indexed (use a blind index), nor named in ``values()``, ``only()`` or
``update()``.

``ChoiceField`` is the serializer field every app's API uses for a published list of choices.

The three ``Encrypted*Field`` classes are the per-field Fernet format of v1.0, kept because the historical
migrations name them (``referrals.fields`` re-exports them) and so that data written in that format can be read
by the conversion (``referral_api.sealing.legacy_convert``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import orjson
from django.db import models
from django.db.models.signals import post_init
from rest_framework import serializers

from referral_api import crypto
from referral_api.keystore import keyring

__all__ = [
    "ENCRYPTED_FIELD_TYPES",
    "ChoiceField",
    "EncryptedDateField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "SealedField",
    "sealed_fields",
]


# --- v1.0 per-field Fernet (historical migrations and the conversion read these) ----------------------------
class EncryptedTextField(models.TextField):
    """A string stored as a Fernet token (v1.0 format)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt_text(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return crypto.decrypt_text(value)


class EncryptedJSONField(models.TextField):
    """A JSON value stored as a Fernet token (v1.0 format)."""

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt_text(orjson.dumps(value).decode("utf-8"))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return orjson.loads(crypto.decrypt_text(value))

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return orjson.dumps(self.value_from_object(obj)).decode("utf-8")


class EncryptedDateField(models.TextField):
    """A date stored as a Fernet token of its ISO 8601 text (v1.0 format)."""

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return crypto.encrypt_text(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return datetime.date.fromisoformat(crypto.decrypt_text(value))

    def to_python(self, value):
        if value is None or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(value)


ENCRYPTED_FIELD_TYPES = (EncryptedTextField, EncryptedJSONField, EncryptedDateField)


# --- one ciphertext per record ---------------------------------------------------------------------------------
@dataclass
class _State:
    blob: bytes | None
    values: dict
    dirty: bool = False


def _member(field: SealedField, name: str) -> property:
    """One sensitive attribute of a record, stored inside the record's sealed column (a ``property``, so that
    ``Model(name=value)`` and ``objects.create(name=value)`` accept it)."""

    def get(instance):
        return field.values(instance)[name]

    def set_(instance, value) -> None:
        if isinstance(value, datetime.datetime) and name in field.dates:
            value = value.date()
        state = field.state(instance)
        state.values[name] = value
        state.dirty = True

    return property(get, set_, doc=f"Sealed member {name!r} of {field.name!r}.")


class SealedField(models.BinaryField):
    """Sensitive members of one record as one AES-256-GCM ciphertext under its referral's data key."""

    description = "Sealed members (AES-256-GCM under the referral's data key)"

    def __init__(self, *args, members=(), dates=(), lists=(), referral="referral_id", **kwargs):
        self.members = tuple(members)
        self.dates = tuple(dates)
        self.lists = tuple(lists)
        self.referral_attname = referral
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(members=self.members, referral=self.referral_attname)
        if self.dates:
            kwargs["dates"] = self.dates
        if self.lists:
            kwargs["lists"] = self.lists
        for default in ("null", "blank"):
            kwargs.pop(default, None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if cls._meta.abstract:
            return
        for member in self.members:
            setattr(cls, member, _member(self, member))
        post_init.connect(self._announce, sender=cls, weak=False, dispatch_uid=f"sealed:{cls._meta.label}:{id(cls)}")

    # --- what it is and whose ---------------------------------------------------------------------------------
    @property
    def record(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def referral_id(self, instance):
        return instance.__dict__.get(self.referral_attname)

    def associated(self, instance) -> bytes:
        return crypto.aad(referral_id=self.referral_id(instance), record=self.record, record_id=instance.pk)

    def _announce(self, sender, instance, **kwargs) -> None:
        # A row read from the database: its referral's key joins the next batch unwrap of this scope.
        keyring.note_loaded(self.referral_id(instance))

    # --- values -----------------------------------------------------------------------------------------------
    def empty(self) -> dict:
        return {m: ([] if m in self.lists else None) for m in self.members}

    def decode(self, payload: dict) -> dict:
        values = self.empty()
        for member in self.members:
            if member in payload:
                values[member] = payload[member]
        for member in self.dates:
            if values[member] is not None:
                values[member] = datetime.date.fromisoformat(values[member])
        return values

    def encode(self, values: dict) -> bytes | None:
        if all(values[m] is None for m in self.members):
            return None
        payload = {m: values[m] for m in self.members}
        for member in self.dates:
            if isinstance(payload[member], datetime.date):
                payload[member] = payload[member].isoformat()
        return orjson.dumps(payload)

    def open(self, blob: bytes, *, referral_id, associated: bytes) -> dict:
        """Decrypt a sealed blob of this field into its members (one unwrap per referral per scope)."""
        key = keyring.current().for_read(referral_id, crypto.sealed_generation(blob))
        return self.decode(orjson.loads(crypto.open_sealed(blob, data_key=key, associated=associated)))

    def seal_values(self, values: dict, *, referral_id, associated: bytes, new_referral: bool = False):
        plaintext = self.encode(values)
        if plaintext is None:
            return None
        generation, key = keyring.current().for_write(referral_id, new=new_referral)
        return crypto.seal(plaintext, data_key=key, generation=generation, associated=associated)

    def state(self, instance) -> _State:
        key = f"_sealed_{self.attname}"
        state = instance.__dict__.get(key)
        if state is not None and (state.dirty or state.blob is instance.__dict__.get(self.attname, state.blob)):
            return state
        blob = getattr(instance, self.attname)  # loads a deferred column
        if blob is None:
            values = self.empty()
        else:
            blob = bytes(blob)
            instance.__dict__[self.attname] = blob
            values = self.open(blob, referral_id=self.referral_id(instance), associated=self.associated(instance))
        state = instance.__dict__[key] = _State(blob=blob, values=values)
        return state

    def values(self, instance) -> dict:
        return self.state(instance).values

    def pre_save(self, model_instance, add):
        state = model_instance.__dict__.get(f"_sealed_{self.attname}")
        if state is not None and state.dirty:
            blob = self.seal_values(
                state.values,
                referral_id=self.referral_id(model_instance),
                associated=self.associated(model_instance),
                new_referral=add and self.referral_attname == self.model._meta.pk.attname,
            )
            model_instance.__dict__[self.attname] = blob
            state.blob, state.dirty = blob, False
        return getattr(model_instance, self.attname)


def sealed_fields(model) -> list[SealedField]:
    """The sealed fields of a model (the registry of referral-owned ciphertexts is every model's list)."""
    return [f for f in model._meta.local_concrete_fields if isinstance(f, SealedField)]


# --- serializer fields -----------------------------------------------------------------------------------------
class ChoiceField(serializers.ChoiceField):
    """A choice from a published list whose refusal names the allowed values (never the value sent).

    DRF's own message quotes the input (``"x" is not a valid choice.``), which the problem handler must then
    withhold, leaving the caller with "not one of the allowed values" and no list (api-contract v1.1,
    *Conventions (changed)*: name the allowed values of a choice).
    """

    default_error_messages = {"invalid_choice": "Must be one of: {allowed}."}

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            kwargs = {"allowed": ", ".join(str(choice) for choice in self.choices)}
        super().fail(key, **kwargs)
