"""``private_key_jwt`` client authentication: RFC 7523 §2.2 and §3, as SMART Backend Services profiles it.

A client sends ``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`` and
``client_assertion=<JWT>``, signed with a private key whose public half is in the client's JWK Set. The JWT is
verified with jwcrypto (signature, restricted to ``ALLOWED_ALGORITHMS``); its claims are then checked here,
each refusal carrying a reason code for the audit log (never shown to the caller, who gets ``invalid_client``,
RFC 6749 §5.2):

==================  =========================================================================================
``malformed``       not a compact JWS, or the payload is not a JSON object
``alg_not_allowed`` ``alg`` not RS256/RS384/ES256/ES384 (``none`` and HS* included: no key confusion), or the
                    selected key does not fit it
``wrong_issuer``    ``iss`` ≠ ``sub``, or a ``client_id`` parameter naming another client (RFC 7523 §3 items 1-2)
``unknown_client``  no client has that id
``inactive_client`` the client or its agency is deactivated
``wrong_auth_method`` the client authenticates with a secret, not with keys
``unknown_kid``     no key in the set has that ``kid`` (after one refetch of a URL, at most once a minute)
``jwks_unreachable`` the set's URL could not be fetched or served an invalid set
``bad_signature``   the signature does not verify
``wrong_audience``  ``aud`` names neither the token endpoint nor the issuer (RFC 7523 §3 item 3)
``missing_claim``   ``exp`` or ``jti`` missing or of the wrong type (item 4, SMART: ``jti`` required)
``expired``         ``exp`` in the past by more than ``CLOCK_SKEW_SECONDS`` (item 4)
``not_yet_valid``   ``nbf`` or ``iat`` in the future by more than ``CLOCK_SKEW_SECONDS`` (items 5-6)
``lifetime_too_long`` ``exp`` more than 5 minutes after ``iat`` (or after now, without ``iat``: SMART)
``replayed_jti``    this ``jti`` was already used by this client (item 7), kept until the assertion expires
==================  =========================================================================================

Clock skew: ``CLOCK_SKEW_SECONDS`` (30 s) is allowed on each time check, in the client's favour, so a partner
whose clock is off by a few seconds is not refused; the 5-minute lifetime bound is exact.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException

from agencies.jwks import ALLOWED_ALGORITHMS, JWKSUnreachable, UnknownKey, key_fits_algorithm, signing_key_for
from agencies.models import Client, UsedClientAssertion

logger = logging.getLogger(__name__)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_LIFETIME_SECONDS = 300
CLOCK_SKEW_SECONDS = 30
MAX_ASSERTION_CHARS = 16 * 1024
MAX_JTI_CHARS = 256
REFUSAL_REASONS = (
    "malformed",
    "alg_not_allowed",
    "wrong_issuer",
    "unknown_client",
    "inactive_client",
    "wrong_auth_method",
    "unknown_kid",
    "jwks_unreachable",
    "bad_signature",
    "wrong_audience",
    "missing_claim",
    "expired",
    "not_yet_valid",
    "lifetime_too_long",
    "replayed_jti",
)


class AssertionRefused(Exception):
    """The client assertion is refused; ``reason`` is one of ``REFUSAL_REASONS`` (for the audit log only)."""

    def __init__(self, reason: str, client: Client | None = None):
        assert reason in REFUSAL_REASONS, reason
        super().__init__(reason)
        self.reason = reason
        self.client = client


@dataclass(frozen=True)
class _Unverified:
    header: dict
    claims: dict


def _unverified(assertion: str) -> _Unverified:
    """Deserialize the compact JWS with jwcrypto, without trusting it yet (the key is chosen from it)."""
    if not isinstance(assertion, str) or not assertion or len(assertion) > MAX_ASSERTION_CHARS:
        raise AssertionRefused("malformed")
    if assertion.lstrip().startswith("{"):
        raise AssertionRefused("malformed")  # JWS JSON serialization: RFC 7523 §2.2 takes a compact JWT
    token = jws.JWS()
    try:
        token.deserialize(assertion)
        header = token.jose_header
        claims = json.loads(token.objects["payload"])
    except (JWException, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise AssertionRefused("malformed") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise AssertionRefused("malformed")
    return _Unverified(header=header, claims=claims)


def assertion_issuer(assertion: str) -> str | None:
    """The client id an assertion claims (its ``iss``), unverified: for rate limits and audit lookups only."""
    try:
        issuer = _unverified(assertion).claims.get("iss")
    except AssertionRefused:
        return None
    return issuer if isinstance(issuer, str) and 0 < len(issuer) <= 200 else None


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def client_assertion_verify(*, assertion: str, client_id: str | None, audiences: set[str], now=None) -> Client:
    """Return the client that signed ``assertion``; ``AssertionRefused`` with the reason otherwise.

    ``client_id`` is the ``client_id`` request parameter, if the client sent one; ``audiences`` the values
    ``aud`` may take (the token endpoint URL and the issuer identifier).
    """
    unverified = _unverified(assertion)
    alg = unverified.header.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise AssertionRefused("alg_not_allowed")
    issuer, subject = unverified.claims.get("iss"), unverified.claims.get("sub")
    if not isinstance(issuer, str) or not issuer or issuer != subject or len(issuer) > 100:
        raise AssertionRefused("wrong_issuer")
    if client_id is not None and client_id != issuer:
        raise AssertionRefused("wrong_issuer")
    client = Client.objects.select_related("agency").filter(client_id=issuer).first()
    if client is None:
        raise AssertionRefused("unknown_client")
    if not client.is_usable(None):
        raise AssertionRefused("inactive_client", client)
    if not client.uses_private_key_jwt:
        raise AssertionRefused("wrong_auth_method", client)
    kid = unverified.header.get("kid")
    if kid is not None and (not isinstance(kid, str) or len(kid) > 200):
        raise AssertionRefused("unknown_kid", client)
    try:
        public = signing_key_for(client, kid=kid, alg=alg)
    except UnknownKey:
        raise AssertionRefused("unknown_kid", client) from None
    except JWKSUnreachable:
        raise AssertionRefused("jwks_unreachable", client) from None
    if not key_fits_algorithm(public, alg):
        raise AssertionRefused("alg_not_allowed", client)
    try:
        verified = jwt.JWT(jwt=assertion, key=jwk.JWK(**public), algs=[alg], check_claims=False)
        claims = json.loads(verified.claims)
    except (JWException, ValueError, TypeError):
        raise AssertionRefused("bad_signature", client) from None
    if claims != unverified.claims:  # the same payload, now verified; anything else is not this assertion
        raise AssertionRefused("bad_signature", client)
    expires_at = _check_claims(claims, client=client, audiences=audiences, now=now or timezone.now())
    _claim_jti(client, claims["jti"], expires_at)
    return client


def _check_claims(claims: dict, *, client: Client, audiences: set[str], now) -> datetime.datetime:
    audience = claims.get("aud")
    values = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(v, str) and v.rstrip("/") in audiences for v in values):
        raise AssertionRefused("wrong_audience", client)
    exp, iat, nbf = _number(claims.get("exp")), claims.get("iat"), claims.get("nbf")
    jti = claims.get("jti")
    if exp is None or not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_CHARS:
        raise AssertionRefused("missing_claim", client)
    if (iat is not None and _number(iat) is None) or (nbf is not None and _number(nbf) is None):
        raise AssertionRefused("missing_claim", client)
    current = now.timestamp()
    if exp <= current - CLOCK_SKEW_SECONDS:
        raise AssertionRefused("expired", client)
    for moment in (iat, nbf):
        if moment is not None and _number(moment) > current + CLOCK_SKEW_SECONDS:
            raise AssertionRefused("not_yet_valid", client)
    issued = _number(iat) if iat is not None else current
    if exp - issued > MAX_LIFETIME_SECONDS or exp > current + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS:
        raise AssertionRefused("lifetime_too_long", client)
    return datetime.datetime.fromtimestamp(exp + CLOCK_SKEW_SECONDS, tz=datetime.UTC)


def _claim_jti(client: Client, jti: str, expires_at: datetime.datetime) -> None:
    """Record ``jti`` as used until ``expires_at``; ``replayed_jti`` if it already was (RFC 7523 §3 item 7).

    Two stores: Redis answers first (``SET NX``, no database lock taken for a replay), and a database row
    (unique per client and jti, inserted in the request's transaction) is the record that a Redis outage,
    flush or eviction cannot lose, so no replay window opens when Redis does. The same insert prunes the
    client's expired rows.
    """
    digest = hashlib.sha256(jti.encode("utf-8", "surrogatepass")).hexdigest()
    ttl = max(1, int((expires_at - timezone.now()).total_seconds()) + 1)
    try:
        if not cache.add(f"jti:{client.client_id}:{digest}", 1, timeout=ttl):
            raise AssertionRefused("replayed_jti", client)
    except AssertionRefused:
        raise
    except Exception:  # noqa: BLE001 - Redis down: the database below still refuses a replay
        logger.warning("jti replay cache unavailable; database store only")
    table = UsedClientAssertion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH pruned AS (DELETE FROM {table} WHERE client_id = %s AND expires_at < now())
            INSERT INTO {table} (client_id, jti_sha256, expires_at) VALUES (%s, %s, %s)
            ON CONFLICT (client_id, jti_sha256) DO NOTHING
            RETURNING 1
            """,  # noqa: S608 - the table name is ours; every value is a parameter
            [client.client_id, client.client_id, digest, expires_at],
        )
        inserted = cursor.fetchone()
    if inserted is None:
        raise AssertionRefused("replayed_jti", client)
