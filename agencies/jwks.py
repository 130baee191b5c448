"""Clients' JWK Sets (RFC 7517 §5): checked on submission, fetched from a URL under the SSRF guard, cached.

A client that authenticates with ``private_key_jwt`` publishes the public halves of its signing keys, either
submitted as a file (kept in the database) or at an https URL that this service fetches. JOSE handling is
jwcrypto's (maintained, already a django-oauth-toolkit dependency): nothing here parses keys by hand.

Rules for a set (``jwks_validate``): at most ``MAX_KEYS`` keys, each with a unique ``kid``, an RSA key of at
least 2048 bits or an EC key on P-256 or P-384, ``use`` absent or ``sig``, ``alg`` absent or one of
``ALLOWED_ALGORITHMS``; a set holding any private key (or a symmetric one) is refused as a whole, so a key
that leaked into a submission is never stored.

Fetching a URL (``signing_key_for``):

* the URL is checked by ``referral_api.ssrf`` (https only, public addresses only, unless
  ``JWKS_ALLOW_PRIVATE_URLS``), resolved again on every fetch and connected to at the checked address;
  no redirects; at most ``FETCH_MAX_BYTES`` read, within ``FETCH_TIMEOUT_SECONDS`` in all;
* a fetched set is cached in the shared cache for its ``Cache-Control: max-age`` (at most an hour; 5 minutes
  without one; ``no-store``/``no-cache`` count as a minute so a partner's server is not fetched per token);
* a ``kid`` not in the cached set (key rollover) triggers one refetch, at most once a minute per client;
  a fetch that fails is not retried for a minute either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time

import requests
from django.conf import settings
from django.core.cache import cache
from jwcrypto import jwk
from jwcrypto.common import JWException

from referral_api.ssrf import PinnedAddressAdapter, UnsafeURL, check_url, pinned_request_url

logger = logging.getLogger(__name__)

# RFC 7518 §3.1 names; SMART Backend Services requires support for RS384 and ES384. Never "none" or HS*.
ALLOWED_ALGORITHMS = ("RS256", "RS384", "ES256", "ES384")
_CURVE_FOR = {"ES256": "P-256", "ES384": "P-384"}
MIN_RSA_BITS = 2048
MAX_KEYS = 20
MAX_SUBMITTED_BYTES = 64 * 1024
FETCH_MAX_BYTES = 64 * 1024
FETCH_CONNECT_TIMEOUT_SECONDS = 3.0
FETCH_TIMEOUT_SECONDS = 5.0
CACHE_MAX_SECONDS = 3600
CACHE_DEFAULT_SECONDS = 300
REFETCH_INTERVAL_SECONDS = 60
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d{1,10})\"?\s*(?:,|$)", re.IGNORECASE)


class InvalidJWKS(ValueError):
    """A submitted or fetched JWK Set breaks a rule; the message names the rule (never key material)."""


class JWKSUnreachable(Exception):
    """The client's JWK Set URL could not be fetched, or answered something that is not a valid set."""


class UnknownKey(Exception):
    """No key in the client's set matches the assertion's ``kid``."""


def jwks_validate(source: str | bytes | dict) -> dict:
    """Return the public JWK Set in ``source`` as a dict, or raise ``InvalidJWKS`` saying what is wrong."""
    if isinstance(source, bytes | str):
        if len(source) > MAX_SUBMITTED_BYTES:
            raise InvalidJWKS(f"A JWK Set may be at most {MAX_SUBMITTED_BYTES} bytes.")
        try:
            data = json.loads(source)
        except (ValueError, UnicodeDecodeError):
            raise InvalidJWKS("The JWK Set is not JSON.") from None
    else:
        data = source
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or not data["keys"]:
        raise InvalidJWKS('A JWK Set is a JSON object {"keys": [...]} with at least one key (RFC 7517 §5).')
    if len(data["keys"]) > MAX_KEYS:
        raise InvalidJWKS(f"A JWK Set may hold at most {MAX_KEYS} keys.")
    public: list[dict] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["keys"]):
        where = f"keys[{index}]"
        if not isinstance(entry, dict):
            raise InvalidJWKS(f"{where} is not a JSON object.")
        try:
            key = jwk.JWK(**entry)
        except (JWException, ValueError, TypeError):
            raise InvalidJWKS(f"{where} is not a valid JWK.") from None
        if key.get("kty") == "oct" or key.has_private:
            # Never store a private or symmetric key, even alongside public ones: refuse the whole set.
            raise InvalidJWKS(f"{where} holds private key material: submit the public keys only.")
        _check_key(key, where)
        kid = key.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > 200:
            raise InvalidJWKS(f"{where} needs a kid (1-200 characters): assertions select their key by kid.")
        if kid in seen:
            raise InvalidJWKS(f"{where}: two keys share one kid.")
        seen.add(kid)
        public.append(json.loads(key.export_public()))
    return {"keys": public}


def _check_key(key: jwk.JWK, where: str) -> None:
    if key.get("use") not in (None, "sig"):
        raise InvalidJWKS(f'{where}: "use" must be "sig" when given.')
    kty = key.get("kty")
    if kty == "RSA":
        try:
            bits = key.get_op_key("verify").key_size
        except (JWException, ValueError):
            raise InvalidJWKS(f"{where} is not a usable RSA signing key.") from None
        if bits < MIN_RSA_BITS:
            raise InvalidJWKS(f"{where}: RSA keys need at least {MIN_RSA_BITS} bits.")
    elif kty == "EC":
        if key.get("crv") not in _CURVE_FOR.values():
            raise InvalidJWKS(f"{where}: EC keys must be on P-256 or P-384.")
    else:
        raise InvalidJWKS(f"{where}: only RSA and EC keys are accepted.")
    if key.get("alg") is not None and key.get("alg") not in ALLOWED_ALGORITHMS:
        raise InvalidJWKS(f"{where}: alg must be one of {', '.join(ALLOWED_ALGORITHMS)}.")


def key_fits_algorithm(key: dict, alg: str) -> bool:
    """Whether a public JWK may verify ``alg`` (RFC 7518 §3.1: RS* needs RSA; ES256 P-256; ES384 P-384)."""
    if key.get("alg") not in (None, alg):
        return False
    if alg.startswith("RS"):
        return key.get("kty") == "RSA"
    return key.get("kty") == "EC" and key.get("crv") == _CURVE_FOR.get(alg)


def jwks_summary(jwks: dict | None) -> list[dict]:
    """Key ids and algorithms of a set, for people (admin, commands): no key material."""
    rows = []
    for key in (jwks or {}).get("keys", []):
        alg = key.get("alg") or (
            "RS256/RS384" if key.get("kty") == "RSA" else {"P-256": "ES256", "P-384": "ES384"}.get(key.get("crv"), "")
        )
        rows.append({"kid": key.get("kid"), "kty": key.get("kty"), "alg": alg})
    return rows


def jwks_url_check(url: str) -> str:
    """Return ``url`` if a JWK Set may be fetched from it now; ``InvalidJWKS`` naming the SSRF rule otherwise."""
    try:
        check_url(url, allow_private=settings.JWKS_ALLOW_PRIVATE_URLS, label="JWK Set")
    except UnsafeURL as exc:
        raise InvalidJWKS(str(exc)) from None
    return url.strip()


# --- Fetching and caching ---------------------------------------------------------------------------------


def _cache_key(client_id: str, url: str) -> str:
    return f"jwks:set:{client_id}:{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}"


def _cache_seconds(cache_control: str) -> int:
    value = cache_control.lower()
    if "no-store" in value or "no-cache" in value:
        return REFETCH_INTERVAL_SECONDS
    match = _MAX_AGE.search(value)
    if match is None:
        return CACHE_DEFAULT_SECONDS
    return max(REFETCH_INTERVAL_SECONDS, min(CACHE_MAX_SECONDS, int(match.group(1))))


def jwks_fetch(url: str) -> tuple[dict, int]:
    """Fetch and check the JWK Set at ``url``; return it and how long it may be cached (seconds)."""
    try:
        resolved = check_url(url, allow_private=settings.JWKS_ALLOW_PRIVATE_URLS, label="JWK Set")
    except UnsafeURL as exc:
        raise JWKSUnreachable(f"unsafe url: {exc}") from None
    request_url, host_header = pinned_request_url(resolved)
    deadline = time.monotonic() + FETCH_TIMEOUT_SECONDS
    body = bytearray()
    try:
        with requests.Session() as session:
            session.trust_env = False  # no proxy or .netrc from the environment
            session.mount(f"{resolved.scheme}://", PinnedAddressAdapter(resolved))
            with session.get(
                request_url,
                headers={"Host": host_header, "Accept": "application/jwk-set+json, application/json"},
                timeout=(FETCH_CONNECT_TIMEOUT_SECONDS, FETCH_TIMEOUT_SECONDS),
                allow_redirects=False,
                stream=True,
            ) as response:
                if response.status_code != 200:
                    raise JWKSUnreachable(f"status {response.status_code}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > FETCH_MAX_BYTES:
                    raise JWKSUnreachable("too large")
                for chunk in response.iter_content(chunk_size=8192):
                    body += chunk
                    if len(body) > FETCH_MAX_BYTES:
                        raise JWKSUnreachable("too large")
                    if time.monotonic() > deadline:
                        raise JWKSUnreachable("too slow")
                cache_control = response.headers.get("Cache-Control", "")
    except requests.RequestException as exc:
        raise JWKSUnreachable(type(exc).__name__) from None
    try:
        return jwks_validate(bytes(body)), _cache_seconds(cache_control)
    except InvalidJWKS as exc:
        raise JWKSUnreachable(f"invalid set: {exc}") from None


def _fetch_and_cache(client_id: str, url: str) -> dict:
    try:
        keys, seconds = jwks_fetch(url)
    except JWKSUnreachable as exc:
        logger.warning("jwks fetch failed", extra={"client_id": client_id, "jwks_error": str(exc)[:200]})
        _cache_call("add", f"jwks:failed:{client_id}", 1, REFETCH_INTERVAL_SECONDS)
        raise
    _cache_call("set", _cache_key(client_id, url), keys, seconds)
    return keys


def _cache_call(method: str, *args):
    try:
        return getattr(cache, method)(*args)
    except Exception:  # noqa: BLE001 - without the cache every lookup fetches (bounded by the token rate limit)
        logger.warning("jwks cache unavailable")
        return None


def jwks_cached(client) -> dict | None:
    """The set last fetched from a client's URL, if still cached (for the admin page)."""
    return _cache_call("get", _cache_key(client.client_id, client.jwks_uri)) if client.jwks_uri else None


def jwks_forget(client_id: str, url: str) -> None:
    """Drop a client's cached set and fetch limits (its JWK Set source changed)."""
    for key in (_cache_key(client_id, url), f"jwks:refetch:{client_id}", f"jwks:failed:{client_id}"):
        _cache_call("delete", key)


def _find(keys: dict, kid: str | None, alg: str) -> dict | None:
    candidates = [k for k in keys.get("keys", []) if key_fits_algorithm(k, alg)]
    if kid is None:
        # RFC 7515 §4.1.4: kid is optional; without one, only a set with a single fitting key is unambiguous.
        return candidates[0] if len(candidates) == 1 else None
    return next((k for k in keys.get("keys", []) if k.get("kid") == kid), None)


def signing_key_for(client, *, kid: str | None, alg: str) -> dict:
    """Return the public JWK of ``client`` that ``kid`` names (``UnknownKey``; ``JWKSUnreachable`` for a URL)."""
    if client.jwks is not None:
        key = _find(client.jwks, kid, alg)
        if key is None:
            raise UnknownKey
        return key
    if not client.jwks_uri:
        raise UnknownKey
    keys = _cache_call("get", _cache_key(client.client_id, client.jwks_uri))
    fetched_now = keys is None
    if keys is None:
        if _cache_call("get", f"jwks:failed:{client.client_id}"):
            raise JWKSUnreachable("failed less than a minute ago")
        keys = _fetch_and_cache(client.client_id, client.jwks_uri)
    key = _find(keys, kid, alg)
    if key is None and fetched_now:
        raise UnknownKey
    if key is None:
        # Key rollover: refetch once, at most once a minute per client, however many unknown kids arrive.
        if _cache_call("add", f"jwks:refetch:{client.client_id}", 1, REFETCH_INTERVAL_SECONDS) is False:
            raise UnknownKey
        key = _find(_fetch_and_cache(client.client_id, client.jwks_uri), kid, alg)
        if key is None:
            raise UnknownKey
    return key
