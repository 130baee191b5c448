"""Bearer-token authentication for the API (RFC 6750): reads the header; the app owning tokens decides the token.

The kernel knows no app (docs/architecture.md), so the owner of access tokens (``agencies``, whose
``agencies.tokens.token_lookup`` holds the lookup, the cache and its invalidation) registers its lookup here
when Django starts (``AgenciesConfig.ready``). Until one is registered every bearer token is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from rest_framework.authentication import BaseAuthentication

from referral_api.cache import Count
from referral_api.problems import InvalidToken, bearer_challenge
from referral_api.throttling import client_count_for

_token_lookup: Callable[..., object | None] | None = None


def register_token_lookup(lookup: Callable[..., object | None]) -> None:
    """Install the function that returns the live access token for a raw bearer token, or ``None``.

    Called as ``lookup(raw, count=...)``: ``count`` is ``None`` or a function of a token the lookup is about to
    honour from its cache, returning a ``referral_api.cache.Count`` (or ``None``) to make in the same round trip
    as the cache check, only if the token is honoured (``referral_api.throttling.client_count_for``).
    """
    global _token_lookup
    _token_lookup = lookup


def token_lookup(raw: str, *, count: Callable[[object], Count | None] | None = None):
    if _token_lookup is None:
        raise ImproperlyConfigured("No access-token lookup registered (the agencies app is not installed).")
    return _token_lookup(raw, count=count)


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticate ``Authorization: Bearer <token>``; returns ``(None, AccessToken)``.

    A client-credentials token has no user, so ``request.user`` is ``None`` and nothing may depend on it;
    the caller is ``request.auth.application`` (an ``agencies.Client``), also set as ``request.api_client``.

    The token is read from the ``Authorization`` header only: RFC 6750 §2.3 query-string tokens end up in
    proxy and server logs, so a request carrying ``access_token`` in the URL is refused outright. Whether a
    token is live (and the cache that answers most requests) is decided by the registered lookup.
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
        view = (request.parser_context or {}).get("view")
        # The client rate limit's count rides on the token check's round trip to Redis (counted only if the
        # token is honoured): one round trip fewer per request.
        count = functools.partial(client_count_for, request, view) if view is not None else None
        token = token_lookup(raw, count=count)
        if token is None:
            raise InvalidToken("The access token is invalid, expired or revoked.")
        django_request.api_client = token.application
        return (None, token)

    def authenticate_header(self, request):
        return bearer_challenge()
