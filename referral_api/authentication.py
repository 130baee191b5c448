"""Bearer-token authentication for the API (RFC 6750), on django-oauth-toolkit's token table."""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication

from referral_api.problems import InvalidToken, bearer_challenge


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticate ``Authorization: Bearer <token>``; returns ``(None, AccessToken)``.

    A client-credentials token has no user, so ``request.user`` is ``None`` and nothing may depend on it;
    the caller is ``request.auth.application`` (an ``agencies.Client``), also set as ``request.api_client``.

    The token is read from the ``Authorization`` header only: RFC 6750 §2.3 query-string tokens end up in
    proxy and server logs, so a request carrying ``access_token`` in the URL is refused outright.
    """

    www_authenticate_realm = "api"

    def authenticate(self, request):
        django_request = request._request
        if "access_token" in request.query_params:
            django_request.has_bearer = True
            raise InvalidToken("Access tokens in the URL are refused (RFC 6750 §5.3); use the Authorization header.")
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        django_request.has_bearer = True
        scheme, _, raw = header.partition(" ")
        raw = raw.strip()
        if scheme.lower() != "bearer" or not raw or len(raw) > 512:
            raise InvalidToken("Send the token as 'Authorization: Bearer <token>'.")
        token = token_lookup(raw)
        if token is None:
            raise InvalidToken("The access token is invalid, expired or revoked.")
        django_request.api_client = token.application
        return (None, token)

    def authenticate_header(self, request):
        return bearer_challenge()


logger = logging.getLogger(__name__)

# Validated tokens are kept in the shared cache (Redis), keyed by the token's SHA-256, for at most
# TOKEN_CACHE_SECONDS (never past the token's own expiry). An entry holds the "generations" of its client and
# agency read *before* the database row was; every change that can invalidate a token (the client or agency
# saved, updated or deleted, a token revoked, rotated or changed: see agencies/signals.py) replaces those
# generations with new random numbers, so the entry stops matching at once and the next request reads the
# database again. Because the generations must be read before the row, a token is cached from its second use.
TOKEN_CACHE_SECONDS = 300
GENERATION_SECONDS = 24 * 3600
TOKEN_KEY = "auth:token:{}"
CLIENT_GENERATION_KEY = "auth:gen:client:{}"
AGENCY_GENERATION_KEY = "auth:gen:agency:{}"


def _generation_keys(client_id: str, agency_id) -> list[str]:
    return [CLIENT_GENERATION_KEY.format(client_id), AGENCY_GENERATION_KEY.format(agency_id)]


def token_cache_invalidate(*, client_ids=(), agency_ids=()) -> None:
    """Make cached tokens of these clients and agencies stale: now, and again when the transaction commits.

    The bump after commit closes the race where a request reads the old row before the commit and caches it
    under the generation current then; the bump at once covers readers inside this transaction.
    """
    keys = [CLIENT_GENERATION_KEY.format(c) for c in client_ids] + [AGENCY_GENERATION_KEY.format(a) for a in agency_ids]
    if not keys:
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    try:
        cache.set_many({key: secrets.randbits(62) for key in keys}, timeout=GENERATION_SECONDS)
    except Exception:  # noqa: BLE001 - cached entries still expire on their own (TOKEN_CACHE_SECONDS)
        logger.error("token cache generations could not be bumped")


def token_lookup(raw: str):
    """Return the live ``AccessToken`` for a raw bearer token, or ``None``.

    Tokens are stored hashed (RFC 9700 §4.14 ``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``): look up by SHA-256.
    A token whose client or agency has been deactivated is refused at once (no grace period): a cached entry
    is trusted only while its client's and agency's generations are unchanged (see above).
    """
    checksum = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    key = TOKEN_KEY.format(checksum)
    now = timezone.now()
    entry, generations = None, None
    try:
        entry = cache.get(key)
        if entry is not None:
            gen_keys = _generation_keys(entry["client"], entry["agency"])
            found = cache.get_many(gen_keys)
            generations = tuple(found.get(k) for k in gen_keys)
            token = entry["token"]
            if token is not None and entry["generations"] == generations and token.expires > now:
                return token
    except Exception:  # noqa: BLE001 - without the cache, the database answers (as before the cache existed)
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
            and owner
            == {
                "client": entry["client"],
                "agency": entry["agency"],
            }
        ):
            # The generations were read before the row: cache the token under them.
            cache.set(key, {**owner, "generations": generations, "token": token}, timeout=ttl)
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
        # The client's secret hash never goes into the cache (deferred: loaded only if something reads it).
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
