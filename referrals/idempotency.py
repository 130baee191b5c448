"""``Idempotency-Key`` for POSTs (IETF draft-ietf-httpapi-idempotency-key-header).

Per client, for 24 hours: the same key with the same request replays the first response (same status, same
resource, ``Idempotent-Replayed: true``); with a different request it is 422 ``idempotency-key-reuse``; while
the first request is still running it is 409 ``idempotency-key-in-use``. Only a fingerprint of the request and
the id of the resulting resource are stored, never the body (it holds PII).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from referral_api.problems import IdempotencyKeyInUse, IdempotencyKeyReuse
from referrals.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# A first request that has not finished after this long is taken to have died: gunicorn kills a request after
# 35 s (gunicorn.conf.py) and PostgreSQL cancels a statement after 30 s, so a claim this old has no live owner.
ABANDONED_AFTER = datetime.timedelta(seconds=60)


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not all(0x20 <= ord(ch) <= 0x7E for ch in key):
        raise ValidationError({HEADER: ["Must be 1 to 255 printable ASCII characters."]})
    return key


def _fingerprint(request) -> str:
    body = orjson.dumps(request.data, option=orjson.OPT_SORT_KEYS) if request.data else b""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _claim(client_id: str, key: str, fingerprint: str) -> bool:
    """Insert the record, committed at once (one statement, autocommit); False if a live record has the key.

    An expired record of the key is replaced by the same statement (``ON CONFLICT ... DO UPDATE ... WHERE``
    expired), so a key can be reused after 24 hours: one round trip where a transaction of its own (BEGIN,
    DELETE expired, INSERT, COMMIT) cost four, with the same outcome under concurrency (a second claim of a key
    waits for the first INSERT to commit, then finds it live).
    """
    now = timezone.now()
    expires = now + datetime.timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)
    table = IdempotencyRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS r "  # noqa: S608
            "(client_id, key, fingerprint, state, created_at, expires_at) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (client_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = EXCLUDED.state, "
            "response_status = NULL, resource_id = NULL, created_at = EXCLUDED.created_at, "
            "expires_at = EXCLUDED.expires_at WHERE r.expires_at < EXCLUDED.created_at RETURNING r.id",
            [client_id, key, fingerprint, IdempotencyRecord.State.IN_PROGRESS, now, expires],
        )
        return cursor.fetchone() is not None


def idempotent(
    request,
    *,
    client_id: str,
    handler: Callable[[], tuple[Response, object | None]],
    replay: Callable[[IdempotencyRecord], Response],
) -> Response:
    """Run ``handler`` at most once per (client, key); ``handler`` returns ``(response, resource_id)``."""
    key = _key(request)
    if key is None:
        return handler()[0]
    fingerprint = _fingerprint(request)
    if not _claim(client_id, key, fingerprint):
        record = IdempotencyRecord.objects.filter(client_id=client_id, key=key).first()
        if record is None:  # expired and deleted between the two statements: claim again
            if not _claim(client_id, key, fingerprint):
                raise IdempotencyKeyInUse()
        else:
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReuse()
            if record.state == IdempotencyRecord.State.DONE:
                response = replay(record)
                response["Idempotent-Replayed"] = "true"
                return response
            stale = record.created_at < timezone.now() - ABANDONED_AFTER
            taken = stale and IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).update(
                created_at=timezone.now()
            )
            if not taken:
                raise IdempotencyKeyInUse()
    try:
        # The work and the record of its answer commit together: if the database goes away in between, neither
        # happened, and the retry (once the claim is taken as abandoned) does the work instead of finding it done
        # but unrecorded (it would then collide with its own first attempt and never learn the resource's id).
        with transaction.atomic():
            response, resource_id = handler()
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.filter(client_id=client_id, key=key).update(
                    state=IdempotencyRecord.State.DONE, response_status=response.status_code, resource_id=resource_id
                )
    except BaseException:
        # Nothing was done (the transaction rolled back): the key may be retried.
        IdempotencyRecord.objects.filter(client_id=client_id, key=key).delete()
        raise
    if not 200 <= response.status_code < 300:
        IdempotencyRecord.objects.filter(client_id=client_id, key=key).delete()
    return response
