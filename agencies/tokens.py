"""Access tokens: lookup, the shared token cache, and its invalidation. The one place that decides all three.

The API's authenticator (``referral_api/authentication.py``) parses the ``Authorization`` header and calls
``token_lookup``; nothing else reads or writes the cache.

Validated tokens are kept in the shared cache (Redis), keyed by the token's SHA-256, for at most
``TOKEN_CACHE_SECONDS`` (never past the token's own expiry). An entry holds the "generations" of its client and
agency read *before* the database row was; every change that can invalidate a token replaces those generations
with new random numbers, so the entry stops matching at once and the next request reads the database again.
Because the generations must be read before the row, a token is cached from its second use.

What bumps the generations:

* ``post_save`` (except creation) and ``post_delete`` of a client, an agency or an access token (revocation,
  rotation, admin edits), connected by ``connect_signals`` from the app config;
* ``QuerySet.update()``, which sends no signal: clients, agencies and access tokens all use
  ``TokenCacheInvalidatingQuerySet``, which bumps the generations of the rows it is about to change.
  django-oauth-toolkit's access token model is not ours to declare, so ``connect_signals`` gives its default
  manager a queryset class with the same mixin.

Only raw SQL bypasses all of this; cached entries then still expire within ``TOKEN_CACHE_SECONDS``.

Each worker process also keeps the entries it has read (pickled, as in Redis) for the rest of their
``TOKEN_CACHE_SECONDS``: a request then makes one Redis round trip (the two generations) instead of two (the
entry, then its generations). The generations are still read from Redis on every request, so a change
invalidates a worker's copy exactly as it invalidates the shared entry. That read also carries the client's
rate-limit count for the request (``token_lookup(count=...)``), made in the same script only if the generations
still match: a token that is not honoured from the cache never counts against its client there.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from referral_api.cache import Count, get_many_and_count_if_unchanged

logger = logging.getLogger(__name__)

TOKEN_CACHE_SECONDS = 300
GENERATION_SECONDS = 24 * 3600
TOKEN_KEY = "auth:token:{}"
CLIENT_GENERATION_KEY = "auth:gen:client:{}"
AGENCY_GENERATION_KEY = "auth:gen:agency:{}"


# Worker-local copies of shared entries: {cache key: (valid until, pickled entry)}, least recently used first.
LOCAL_ENTRIES = 4096
_local: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> dict | None:
    with _local_lock:
        found = _local.get(key)
        if found is None:
            return None
        if found[0] <= time.time():
            del _local[key]
            return None
        _local.move_to_end(key)
    # A fresh object per request (never one instance shared between threads), as a read from Redis gives.
    return pickle.loads(found[1])  # noqa: S301 - written by this process from an entry it cached itself


def _local_put(key: str, entry: dict) -> None:
    until = entry.get("until")
    if until is None or entry.get("token") is None:
        return
    data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        _local[key] = (until, data)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def _local_drop(key: str) -> None:
    with _local_lock:
        _local.pop(key, None)


def token_checksum(raw: str) -> str:
    """Return the SHA-256 under which a token is stored (RFC 9700 §4.14, ``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


# --- Invalidation -----------------------------------------------------------------------------------------


def _generation_keys(client_id: str, agency_id) -> list[str]:
    return [CLIENT_GENERATION_KEY.format(client_id), AGENCY_GENERATION_KEY.format(agency_id)]


def token_cache_invalidate(*, client_ids=(), agency_ids=()) -> None:
    """Make cached tokens of these clients and agencies stale: now, and again when the transaction commits.

    The bump after commit closes the race where a request reads the old row before the commit and caches it
    under the generation current then; the bump at once covers readers inside this transaction.
    """
    keys = [CLIENT_GENERATION_KEY.format(c) for c in client_ids if c is not None]
    keys += [AGENCY_GENERATION_KEY.format(a) for a in agency_ids if a is not None]
    if not keys:
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    try:
        cache.set_many({key: secrets.randbits(62) for key in keys}, timeout=GENERATION_SECONDS)
    except Exception:  # noqa: BLE001 - cached entries still expire on their own (TOKEN_CACHE_SECONDS)
        logger.error("token cache generations could not be bumped")


class TokenCacheInvalidatingQuerySet(models.QuerySet):
    """``update()`` makes cached tokens of the changed rows stale (an UPDATE sends no signal).

    Used by clients, agencies and access tokens alike; each names the column that identifies its rows to the
    token cache: deactivating a client or an agency, or expiring a token, with ``.update()`` stops them at once.
    """

    token_cache_target = ""  # "client_ids" or "agency_ids"
    token_cache_column = ""

    def update_without_invalidation(self, **kwargs):
        """``update()`` for columns that cannot make a token invalid (``last_token_at``, a rehashed secret)."""
        return super().update(**kwargs)

    def update(self, **kwargs):
        ids = [value for value in self.values_list(self.token_cache_column, flat=True) if value is not None]
        rows = super().update(**kwargs)
        token_cache_invalidate(**{self.token_cache_target: ids})
        return rows


class AgencyQuerySet(TokenCacheInvalidatingQuerySet):
    token_cache_target = "agency_ids"
    token_cache_column = "pk"


class ClientQuerySet(TokenCacheInvalidatingQuerySet):
    token_cache_target = "client_ids"
    token_cache_column = "client_id"


def _client_changed(sender, instance, created=False, **kwargs):
    if not created:
        token_cache_invalidate(client_ids=[instance.client_id])


def _agency_changed(sender, instance, created=False, **kwargs):
    if not created:
        token_cache_invalidate(agency_ids=[instance.pk])


def _token_changed(sender, instance, created=False, **kwargs):
    if created or instance.application_id is None:
        return
    if kwargs.get("signal") is post_delete and instance.expires is not None and instance.expires <= timezone.now():
        return  # an expired token is refused from the cache anyway (e.g. cleartokens removing old rows)
    client = instance._state.fields_cache.get("application")
    if client is not None:
        client_id = client.client_id
    else:
        client_model = instance._meta.get_field("application").related_model
        client_id = client_model.objects.filter(pk=instance.application_id).values_list("client_id", flat=True).first()
    token_cache_invalidate(client_ids=[client_id])


def connect_signals(*, agency_model, client_model) -> None:
    """Connect the invalidation signals and give the access token manager the invalidating queryset."""
    access_token = get_access_token_model()
    post_save.connect(_client_changed, sender=client_model, dispatch_uid="token_cache_client_saved")
    post_delete.connect(_client_changed, sender=client_model, dispatch_uid="token_cache_client_deleted")
    post_save.connect(_agency_changed, sender=agency_model, dispatch_uid="token_cache_agency_saved")
    post_delete.connect(_agency_changed, sender=agency_model, dispatch_uid="token_cache_agency_deleted")
    post_save.connect(_token_changed, sender=access_token, dispatch_uid="token_cache_token_saved")
    post_delete.connect(_token_changed, sender=access_token, dispatch_uid="token_cache_token_deleted")
    manager = access_token._default_manager
    base = manager._queryset_class
    if not issubclass(base, TokenCacheInvalidatingQuerySet):
        manager._queryset_class = type(
            f"TokenCacheInvalidating{base.__name__}",
            (TokenCacheInvalidatingQuerySet, base),
            {"token_cache_target": "client_ids", "token_cache_column": "application__client_id"},
        )


# --- Lookup -----------------------------------------------------------------------------------------------


def token_lookup(raw: str, *, count: Callable[[object], Count | None] | None = None):
    """Return the live ``AccessToken`` for a raw bearer token, or ``None``.

    Tokens are stored hashed: look up by SHA-256. A token whose client or agency has been deactivated is refused
    at once (no grace period): a cached entry is trusted only while its client's and agency's generations are
    unchanged (see the module docstring).

    ``count``: called with the cached token before its generations are read; the ``Count`` it returns (the
    client's rate-limit count) is made in the same round trip, atomically, only if the generations still match,
    so a token that is not honoured from the cache counts nothing here.
    """
    checksum = token_checksum(raw)
    key = TOKEN_KEY.format(checksum)
    now = timezone.now()
    entry, generations = None, None
    try:
        entry = _local_get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                _local_put(key, entry)
        if entry is not None:
            gen_keys = _generation_keys(entry["client"], entry["agency"])
            token = entry["token"]
            live = token is not None and token.expires > now
            riding = count(token) if live and count is not None and entry["generations"] is not None else None
            if riding is None:
                found = cache.get_many(gen_keys)
            else:
                found = get_many_and_count_if_unchanged(dict(zip(gen_keys, entry["generations"], strict=True)), riding)
            generations = tuple(found.get(k) for k in gen_keys)
            if live and entry["generations"] == generations:
                return token
            _local_drop(key)
    except Exception:  # noqa: BLE001 - without the cache, the database answers (as before the cache existed)
        _local_drop(key)
        key = None
    token = _token_from_database(checksum, now)
    if token is None or key is None:
        return token
    client = token.application
    owner = {"client": client.client_id, "agency": str(client.agency_id)}
    try:
        ttl = min(TOKEN_CACHE_SECONDS, int((token.expires - now).total_seconds()))
        if ttl <= 0:
            return token
        if (
            entry is not None
            and generations is not None
            and None not in generations
            and owner == {"client": entry["client"], "agency": entry["agency"]}
        ):
            # The generations were read before the row: cache the token under them. ``until`` bounds the
            # workers' own copies by the same TTL as the shared entry.
            cache.set(
                key,
                {**owner, "generations": generations, "token": token, "until": time.time() + ttl},
                timeout=ttl,
            )
        else:
            # First use: remember whose token it is and make sure both generations exist; cached from next use.
            for gen_key in _generation_keys(owner["client"], owner["agency"]):
                cache.add(gen_key, secrets.randbits(62), timeout=GENERATION_SECONDS)
            cache.set(key, {**owner, "generations": None, "token": None}, timeout=ttl)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs the next request a query
        logger.warning("token cache unavailable")
    return token


def _token_from_database(checksum: str, now):
    token = (
        get_access_token_model()
        .objects.select_related("application__agency")
        # The client's secret hash and key set never go into the cache (deferred: loaded only if read).
        .defer("application__client_secret")
        .filter(token_checksum=checksum)
        .first()
    )
    if token is None or token.expires <= now:
        return None
    client = token.application
    if client is None or not client.is_usable(None):
        return None
    return token


def token_for_checksum(checksum: str):
    """Return the access token (with its client and agency) stored under ``checksum``, or ``None`` (1 query)."""
    return (
        get_access_token_model()
        .objects.select_related("application__agency", "user")
        .filter(token_checksum=checksum)
        .first()
    )
