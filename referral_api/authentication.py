"""Bearer-token authentication for the API (RFC 6750): reads the header; ``agencies.tokens`` decides the token."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication

from agencies.tokens import token_lookup
from referral_api.problems import InvalidToken, bearer_challenge


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticate ``Authorization: Bearer <token>``; returns ``(None, AccessToken)``.

    A client-credentials token has no user, so ``request.user`` is ``None`` and nothing may depend on it;
    the caller is ``request.auth.application`` (an ``agencies.Client``), also set as ``request.api_client``.

    The token is read from the ``Authorization`` header only: RFC 6750 §2.3 query-string tokens end up in
    proxy and server logs, so a request carrying ``access_token`` in the URL is refused outright. Whether a
    token is live (and the cache that answers most requests) is decided in ``agencies.tokens``.
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
