"""django-oauth-toolkit customisation: client credentials only, per-client allowed scopes, fail closed."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import unquote_plus

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import IntrospectTokenView, TokenView
from oauthlib.common import Request as OauthlibRequest

from agencies.tokens import token_checksum, token_for_checksum
from audit.context import audit_context
from audit.services import OUTCOME_DENIED, OUTCOME_SUCCESS, audit_record
from referral_api.problems import problem_response
from referral_api.throttling import SlidingWindowThrottle


class ClientScopes(BaseScopes):
    """Scopes come from the client, not from a global list.

    RFC 6749 §3.3: a token request without ``scope`` gets the client's allowed scopes; a request for a scope
    outside them fails with ``invalid_scope``. django-oauth-toolkit's default would hand every scope to every
    client.
    """

    def get_all_scopes(self):
        return oauth2_settings.SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return application.scope_list if application is not None else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return application.scope_list if application is not None else []


class AgencyClientValidator(OAuth2Validator):
    """Token endpoint validation for agency clients (RFC 6749 §4.4, client credentials)."""

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type == "client_credentials" and super().validate_grant_type(
            client_id, grant_type, client, request, *args, **kwargs
        )

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        return bool(scopes) and set(scopes) <= set(client.scope_list)

    def _load_access_token(self, token):
        # One query for the token, its client and the client's agency (is_usable reads the agency).
        return token_for_checksum(token_checksum(token))

    def save_bearer_token(self, token, request, *args, **kwargs):
        super().save_bearer_token(token, request, *args, **kwargs)
        client = request.client
        client.last_token_at = timezone.now()
        type(client).objects.filter(pk=client.pk).update(last_token_at=client.last_token_at)


class OperatorIntrospectTokenView(IntrospectTokenView):
    """RFC 7662 token introspection, for operator clients only.

    django-oauth-toolkit's view lets any client that authenticates with its own credentials (HTTP Basic or
    form body) introspect any token, skipping the ``introspection`` scope check; here client authentication
    counts only for an operator client. A token whose client or agency is inactive is reported inactive.
    """

    def authenticate_client(self, request):
        core = self.get_oauthlib_core()
        uri, http_method, body, headers = core._extract_params(request)
        oauth_request = OauthlibRequest(uri, http_method, body, headers)
        if not core.server.request_validator.authenticate_client(oauth_request):
            return False
        return bool(getattr(oauth_request.client, "is_operator", False))

    @staticmethod
    def get_token_response(token_value=None):
        if token_value is not None:
            token = token_for_checksum(token_checksum(token_value))
            if token is not None and token.application is not None and not token.application.is_usable(None):
                return JsonResponse({"active": False})
        return IntrospectTokenView.get_token_response(token_value)


# --- Token endpoint audit --------------------------------------------------------------------------------

# Grant types refused before any client check: answered here so nothing reaches a code path we do not use.
_DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# RFC 6749 §5.2 error codes: the only refusal reasons recorded.
_OAUTH_ERRORS = {
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
}


def claimed_client_id(request) -> str | None:
    """Return the client id the caller claims (HTTP Basic, else the form body), without trusting it."""
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        client_id, _, _secret = decoded.partition(":")
        return unquote_plus(client_id) or None
    return request.POST.get("client_id") or None


# --- Token endpoint rate limits ---------------------------------------------------------------------------


class TokenEndpointThrottle(SlidingWindowThrottle):
    """``TOKEN_RATE_LIMIT`` requests per caller address at ``POST /oauth/token/`` (each secret check costs CPU)."""

    scope = "token"

    def get_rate(self):
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
        client_id = claimed_client_id(request)
        if not client_id:
            return None  # no client named: the per-address limit applies
        digest = hashlib.sha256(client_id[:200].encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class AuditedTokenView(TokenView):
    """The token endpoint (RFC 6749 §4.4), with every answer audited: ``token.issued`` or ``token.refused``.

    The audit row is written in the same transaction as the token: if it cannot be written, no token is issued.
    A refusal records the OAuth error code as the reason (``invalid_client`` for a bad secret,
    ``invalid_scope``, ``unsupported_grant_type``...). The client is recorded only when the claimed client id
    exists, so caller-typed text never lands in the audit log; the secret and the token never do.
    """

    def post(self, request, *args, **kwargs):
        # TOKEN_RATE_LIMIT per caller address and per claimed client id, both counted (each secret check costs
        # CPU, and a secret must not be guessable from many addresses). A refusal is a 429 problem, not audited:
        # a flood of refusals must not become a flood of audit rows (the access log has them).
        for throttle in (TokenEndpointThrottle(), TokenClientThrottle()):
            if not throttle.allow_request(request, self):
                wait = max(1, int(throttle.wait() or 1))
                return problem_response(
                    request,
                    429,
                    "rate-limited",
                    f"Too many token requests; retry in {wait} seconds.",
                    headers={"Retry-After": str(wait)},
                )

        with transaction.atomic():
            if request.POST.get("grant_type") == _DEVICE_GRANT:
                response = JsonResponse({"error": "unsupported_grant_type"}, status=400)
            else:
                response = super().post(request, *args, **kwargs)
            client_id = claimed_client_id(request)
            client = (
                get_application_model().objects.select_related("agency").filter(client_id=client_id).first()
                if client_id and len(client_id) <= 100
                else None
            )
            issued = response.status_code == 200
            reason = None
            if not issued:
                try:
                    reason = str(json.loads(response.content).get("error") or "")
                except (ValueError, AttributeError):
                    reason = ""
                # Only the RFC 6749 §5.2 error codes are recorded, never other text from the answer.
                reason = reason if reason in _OAUTH_ERRORS else f"http_{response.status_code}"
            audit_record(
                action="token.issued" if issued else "token.refused",
                object_type="client",
                object_id=client.client_id if client else None,
                outcome=OUTCOME_SUCCESS if issued else OUTCOME_DENIED,
                reason=reason,
                context=audit_context(request),
                agency_code=client.agency.code if client else None,
                client_id=client.client_id if client else None,
                client_name=client.name if client else None,
            )
        return response
