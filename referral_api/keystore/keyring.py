"""The data keys a request (or a task, or one batch of a command) has unwrapped, and only for its duration.

A scope opens on ``request_started`` (and a Celery ``task_prerun``) and is dropped on ``request_finished``
(``task_postrun``): plain data keys are never kept from one request to the next. Within a scope each referral's
key is unwrapped at most once, and rows loaded from the database announce their referral (``note_loaded``), so
the first decryption on a list page unwraps the keys of **every** referral on the page in one query.

Outside any scope (a shell, a test touching models directly) nothing is cached: each decryption unwraps its key.
"""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from referral_api.keystore import services


class Keyring:
    """Unwrapped data keys of one scope: ``{referral_id: {generation: AESGCM}}``; ``None`` = destroyed."""

    def __init__(self) -> None:
        self.keys: dict[uuid.UUID, dict[int, AESGCM] | None] = {}
        self.pending: set[uuid.UUID] = set()

    def _load(self, referral_id: uuid.UUID) -> None:
        ids = (self.pending | {referral_id}) - self.keys.keys()
        self.pending.clear()
        for rid, keys in services.data_keys_unwrap(ids).items():
            self.keys[rid] = None if keys is None else {g: AESGCM(k) for g, k in keys.items()}

    def for_read(self, referral_id, generation: int) -> AESGCM:
        referral_id = _uuid(referral_id)
        if referral_id not in self.keys:
            self._load(referral_id)
        keys = self.keys.get(referral_id, {})
        if keys is None:
            raise services.DataKeyDestroyed(str(referral_id))
        if generation not in keys:
            raise services.DataKeyUnavailable(str(referral_id))
        return keys[generation]

    def for_write(self, referral_id, *, new: bool = False) -> tuple[int, AESGCM]:
        referral_id = _uuid(referral_id)
        if referral_id not in self.keys and not new:
            self._load(referral_id)
        keys = self.keys.get(referral_id)
        if keys is None and referral_id in self.keys:
            raise services.DataKeyDestroyed(str(referral_id))
        if not keys:
            generation, key = services.data_key_get_or_create(referral_id=referral_id)
            keys = self.keys.setdefault(referral_id, {}) or {}
            keys[generation] = AESGCM(key)
            self.keys[referral_id] = keys
        generation = max(keys)
        return generation, keys[generation]

    def forget(self, referral_id) -> None:
        """Drop what is known of one referral's keys (after it got a new generation or was destroyed)."""
        self.keys.pop(_uuid(referral_id), None)


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


_current: ContextVar[Keyring | None] = ContextVar("referral_api_keyring", default=None)


def current() -> Keyring:
    """The scope's keyring, or a throwaway one (nothing cached) outside any scope."""
    return _current.get() or Keyring()


def note_loaded(referral_id) -> None:
    """Announce a referral whose rows were just read, so its key is unwrapped in the next batch."""
    ring = _current.get()
    if ring is not None and referral_id is not None:
        referral_id = _uuid(referral_id)
        if referral_id not in ring.keys:
            ring.pending.add(referral_id)


def forget(referral_id) -> None:
    ring = _current.get()
    if ring is not None:
        ring.forget(referral_id)


def open_scope(**_kwargs) -> None:
    _current.set(Keyring())


def close_scope(**_kwargs) -> None:
    _current.set(None)


@contextlib.contextmanager
def scope():
    """Run a block (a command's batch, a test) with its own keyring, dropped afterwards."""
    token = _current.set(Keyring())
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def connect_signals() -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(open_scope, dispatch_uid="keyring_open")
    request_finished.connect(close_scope, dispatch_uid="keyring_close")
    try:
        from celery.signals import task_postrun, task_prerun
    except ImportError:  # pragma: no cover - celery is a runtime requirement
        return
    task_prerun.connect(open_scope, dispatch_uid="keyring_task_open", weak=False)
    task_postrun.connect(close_scope, dispatch_uid="keyring_task_close", weak=False)
