"""The encryption registry: what each app keeps encrypted, so key rotation and re-encryption find all of it.

* **Sealed columns** (``referral_api.fields.SealedField``) register themselves: every model that has one is found
  through ``apps.get_models()``; they belong to a referral and are sealed under its data key.
* **KEK columns**: ``bytea`` columns of Fernet tokens under ``FIELD_ENCRYPTION_KEYS`` directly, for values that
  belong to no referral (webhook signing secrets). An app registers them in its ``AppConfig.ready()`` with
  ``register_kek_columns("app.Model", "field", ...)``; KEK rotation re-encrypts them.
* **v1.0 columns**: the per-field Fernet columns an app had before data keys (``register_v1_columns``), which
  ``manage.py encryption_convert`` (and the apps' data migrations) seal under each referral's data key.
* **File hooks**: an app that stores files sealed under a referral's data key registers a ``FileHook``:
  ``reencrypt(referral_id)`` re-encrypts that referral's files under its current data key generation (used by
  ``rotate_encryption_keys --reencrypt``), ``convert(batch_size)`` moves files still in the v1.0 format.

The kernel imports no app: apps call in. ``referrals`` knows nothing of ``attachments``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from referral_api.fields import SealedField, sealed_fields

__all__ = [
    "FileHook",
    "file_hooks",
    "kek_columns",
    "register_file_hook",
    "register_kek_columns",
    "register_v1_columns",
    "sealed_models",
    "v1_columns",
]

_kek_columns: list[tuple[str, str]] = []
_v1_columns: dict[str, dict[str, tuple[str, str]]] = {}
_file_hooks: dict[str, FileHook] = {}


@dataclass(frozen=True)
class FileHook:
    """How an app's sealed files follow their referral's data key."""

    name: str
    # Re-encrypt one referral's files under its current data key generation; returns how many were rewritten.
    reencrypt: Callable[[object], int]
    # Convert files still in the v1.0 format (Fernet chunks); returns how many remain (0 when done).
    convert: Callable[..., int]
    # How many files are still in the v1.0 format.
    legacy_count: Callable[[], int]


def register_kek_columns(label: str, *fields: str) -> None:
    """Declare ``bytea`` columns of ``label`` holding Fernet tokens under the KEKs (idempotent)."""
    for name in fields:
        if (label, name) not in _kek_columns:
            _kek_columns.append((label, name))


def kek_columns() -> list[tuple[type, str]]:
    """``(model, field name)`` of every registered KEK column (fails loudly on a stale declaration)."""
    found = []
    for label, name in _kek_columns:
        model = apps.get_model(label)
        model._meta.get_field(name)
        found.append((model, name))
    return found


def register_v1_columns(columns: dict[str, dict[str, tuple[str, str]]]) -> None:
    """Declare an app's v1.0 per-field Fernet columns: ``{"app.Model": {member: (old column, text|json|date)}}``
    (read by ``manage.py encryption_convert``)."""
    _v1_columns.update(columns)


def v1_columns() -> list[tuple[type, dict[str, tuple[str, str]]]]:
    return [(apps.get_model(label), _v1_columns[label]) for label in sorted(_v1_columns)]


def register_file_hook(hook: FileHook) -> None:
    _file_hooks[hook.name] = hook


def file_hooks() -> list[FileHook]:
    return [_file_hooks[name] for name in sorted(_file_hooks)]


def sealed_models() -> list[tuple[type, SealedField]]:
    """Every installed model with a sealed column, and the column, in a stable order."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        found += [(model, field) for field in sealed_fields(model)]
    return sorted(found, key=lambda pair: pair[0]._meta.db_table)
