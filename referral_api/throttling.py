"""Per-client rate limits, counted in the shared cache (Redis) so every worker sees the same count."""

from __future__ import annotations

import logging

from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` per OAuth client (per address for unauthenticated requests)."""

    scope = "client"

    def get_cache_key(self, request, view):
        token = request.auth
        ident = f"client:{token.application_id}" if token is not None else f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - the cache being down must not take the API down with it
            # Fail open: rate limiting protects capacity; refusing every request when Redis is down would turn a
            # cache outage into a full outage. Logged so operators see it.
            logger.warning("rate limit cache unavailable; request allowed")
            return True


class TokenEndpointThrottle(ClientRateThrottle):
    """``TOKEN_RATE_LIMIT`` requests per caller address at ``POST /oauth/token/`` (each secret check costs CPU)."""

    scope = "token"

    def get_rate(self):
        from django.conf import settings

        return settings.TOKEN_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenClientThrottle(TokenEndpointThrottle):
    """``TOKEN_RATE_LIMIT`` requests per claimed client id at ``POST /oauth/token/``, whatever the address.

    The per-address limit alone lets a secret be guessed from many addresses; this one caps the guesses against
    any one client. The claimed id is caller-typed text, so only its hash names the counter.
    """

    scope = "token-client"

    def get_cache_key(self, request, view):
        import hashlib

        from agencies.oauth import claimed_client_id

        client_id = claimed_client_id(request)
        if not client_id:
            return None  # no client named: the per-address limit applies
        digest = hashlib.sha256(client_id[:200].encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}
