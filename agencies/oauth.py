"""django-oauth-toolkit customisation: client credentials only, per-client allowed scopes, fail closed.

Client authentication (RFC 6749 §2.3) is by secret (``client_secret_basic``: HTTP Basic or form body, checked
against a keyed hash, ``agencies.client_secrets``) or by signed JWT (``private_key_jwt``, RFC 7523,
``agencies.assertions``), whichever the client is registered for; the other is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from contextvars import ContextVar
from urllib.parse import unquote_plus

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import IntrospectTokenView, RevokeTokenView, TokenView
from oauthlib.common import Request as OauthlibRequest

from agencies.assertions import ASSERTION_TYPE, AssertionRefused, assertion_issuer, client_assertion_verify
from agencies.client_secrets import client_secret_check, client_secret_hash
from agencies.jwks import ALLOWED_ALGORITHMS
from agencies.models import Client
from agencies.oauth_errors import explain
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


# --- Issuer (RFC 8414 §2) -----------------------------------------------------------------------------------

TOKEN_PATH = "/oauth/token/"
# The issuer of the request being served (set by the OAuth views, which have the Django request).
_request_issuer: ContextVar[str | None] = ContextVar("request_issuer", default=None)


def oauth_issuer(request) -> str:
    """The issuer identifier: ``OAUTH_ISSUER``, or in development the scheme and host the request came to."""
    if settings.OAUTH_ISSUER:
        return settings.OAUTH_ISSUER
    return request.build_absolute_uri("/").rstrip("/")


def assertion_audiences() -> set[str]:
    """What ``aud`` may say in a client assertion: the token endpoint URL or the issuer (contract v1.1)."""
    issuer = settings.OAUTH_ISSUER or _request_issuer.get()
    if not issuer:
        return set()  # no issuer known: no audience can match (fail closed)
    return {issuer, (issuer + TOKEN_PATH).rstrip("/")}


class IssuerFromRequestMixin:
    """Makes the request's issuer known to the validator, which only sees oauthlib's request (a path)."""

    # The OAuth endpoints take no cookies, so no CSRF check (as django-oauth-toolkit's own dispatch declares).
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        marker = _request_issuer.set(oauth_issuer(request))
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            _request_issuer.reset(marker)


# Why the last client authentication in this request failed (a reason code for the audit log), or None.
client_auth_refusal: ContextVar[str | None] = ContextVar("client_auth_refusal", default=None)
# A secret that matched a hash to rewrite (stored, provided), and the clients a secret attempt loaded.
_secret_to_rehash: ContextVar[tuple[str, str] | None] = ContextVar("secret_to_rehash", default=None)
_loaded_clients: ContextVar[tuple] = ContextVar("loaded_clients", default=())


class AgencyClientValidator(OAuth2Validator):
    """Token endpoint validation for agency clients (RFC 6749 §4.4, client credentials)."""

    # django-oauth-toolkit keeps one validator per view class, shared by every request and thread: per-request
    # state lives in context variables, never on the instance.

    def client_authentication_required(self, request, *args, **kwargs):
        if _assertion_params(request) != (None, None):
            return True
        return super().client_authentication_required(request, *args, **kwargs)

    def authenticate_client(self, request, *args, **kwargs):
        """Authenticate by the one method the client is registered for (RFC 6749 §2.3, RFC 7523 §2.2).

        Sending an assertion together with a secret is refused (RFC 6749 §2.3: one method per request).
        A failure's reason goes to ``client_auth_refusal`` for the audit log; the caller only learns
        ``invalid_client``.
        """
        assertion_type, assertion = _assertion_params(request)
        if (assertion_type, assertion) != (None, None):
            if self._extract_basic_auth(request) or getattr(request, "client_secret", None):
                return _refuse("invalid-client-assertion:malformed")
            if assertion_type != ASSERTION_TYPE or not assertion:
                return _refuse("invalid-client-assertion:malformed")
            try:
                client = client_assertion_verify(
                    assertion=assertion,
                    client_id=getattr(request, "client_id", None) or None,
                    audiences=assertion_audiences(),
                )
            except AssertionRefused as refused:
                return _refuse(f"invalid-client-assertion:{refused.reason}")
            request.client = client
            request.client_id = client.client_id
            return True
        _secret_to_rehash.set(None)
        _loaded_clients.set(())
        if not super().authenticate_client(request, *args, **kwargs):
            if any(client.uses_private_key_jwt for client in _loaded_clients.get()):
                return _refuse("invalid_client:wrong_auth_method")
            return _refuse("invalid_client")
        client = request.client
        if client.uses_private_key_jwt:  # such a client has no secret; never reached, but never trusted either
            return _refuse("invalid_client:wrong_auth_method")
        if _secret_to_rehash.get() is not None:
            # Upgrade a PBKDF2 hash (or one under an older key) now that the plaintext is known to be right.
            stored, provided = _secret_to_rehash.get()
            _secret_to_rehash.set(None)
            client.client_secret = client_secret_hash(provided)
            Client.objects.filter(pk=client.pk, client_secret=stored).update_without_invalidation(
                client_secret=client.client_secret
            )
        return True

    def _load_application(self, client_id, request):
        client = super()._load_application(client_id, request)
        if isinstance(client, Client):
            _loaded_clients.set((*_loaded_clients.get(), client))  # the secret attempts' clients, for the reason
        return client

    def _check_secret(self, provided_secret, stored_secret):
        matches, rehash = client_secret_check(provided_secret, stored_secret)
        if matches and rehash:
            _secret_to_rehash.set((stored_secret, provided_secret))
        return matches

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
        # Not a change that can invalidate a token: the client's cached tokens stay cached.
        type(client).objects.filter(pk=client.pk).update_without_invalidation(last_token_at=client.last_token_at)


def _assertion_params(request) -> tuple[str | None, str | None]:
    return getattr(request, "client_assertion_type", None), getattr(request, "client_assertion", None)


def _refuse(reason: str) -> bool:
    client_auth_refusal.set(reason)
    return False


class AuditedRevokeTokenView(IssuerFromRequestMixin, RevokeTokenView):
    """RFC 7009 revocation; a failed client authentication (secret or assertion) is audited with its reason."""

    def post(self, request, *args, **kwargs):
        refusal = client_auth_refusal.set(None)
        try:
            response = super().post(request, *args, **kwargs)
            reason = client_auth_refusal.get()
        finally:
            client_auth_refusal.reset(refusal)
        if reason is not None and response.status_code >= 400:
            client_id = claimed_client_id(request)
            client = (
                Client.objects.select_related("agency").filter(client_id=client_id).first()
                if client_id and len(client_id) <= 100
                else None
            )
            audit_record(
                action="token.revoke_refused",
                object_type="client",
                object_id=client.client_id if client else None,
                outcome=OUTCOME_DENIED,
                reason=reason,
                context=audit_context(request),
                agency_code=client.agency.code if client else None,
                client_id=client.client_id if client else None,
                client_name=client.name if client else None,
            )
        return response


class AuthorizationServerMetadataView(View):
    """``GET /.well-known/oauth-authorization-server``: RFC 8414 §2 metadata, public (no authentication)."""

    def get(self, request):
        issuer = oauth_issuer(request)
        return JsonResponse(
            {
                "issuer": issuer,
                "token_endpoint": issuer + TOKEN_PATH,
                "revocation_endpoint": issuer + "/oauth/revoke_token/",
                "introspection_endpoint": issuer + "/oauth/introspect/",
                "grant_types_supported": ["client_credentials"],
                "token_endpoint_auth_methods_supported": [m.value for m in Client.AuthMethod],
                "token_endpoint_auth_signing_alg_values_supported": list(ALLOWED_ALGORITHMS),
                "revocation_endpoint_auth_methods_supported": [m.value for m in Client.AuthMethod],
                "revocation_endpoint_auth_signing_alg_values_supported": list(ALLOWED_ALGORITHMS),
                "scopes_supported": sorted(settings.PARTNER_SCOPES),
                "response_types_supported": [],
                "service_documentation": issuer + "/api/docs/",
            },
            headers={"Cache-Control": "public, max-age=3600"},
        )


class OperatorIntrospectTokenView(IssuerFromRequestMixin, IntrospectTokenView):
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
    """Return the client id the caller claims (HTTP Basic, else the form body, else an assertion's ``iss``).

    Not trusted: for rate limits and for naming a known client in the audit log only.
    """
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        client_id, _, _secret = decoded.partition(":")
        return unquote_plus(client_id) or None
    if request.POST.get("client_id"):
        return request.POST["client_id"]
    assertion = request.POST.get("client_assertion")
    return assertion_issuer(assertion) if assertion else None


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


class AuditedTokenView(IssuerFromRequestMixin, TokenView):
    """The token endpoint (RFC 6749 §4.4), with every answer audited: ``token.issued`` or ``token.refused``.

    The audit row is written in the same transaction as the token: if it cannot be written, no token is issued.
    A refusal records the OAuth error code as the reason (``invalid_client`` for a bad secret,
    ``invalid_scope``, ``unsupported_grant_type``...); a refused client assertion records
    ``invalid-client-assertion:<reason>`` (``agencies.assertions``), while the caller only gets ``invalid_client``.
    The client is recorded only when the claimed client id
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

        refusal = client_auth_refusal.set(None)
        with transaction.atomic():
            if request.POST.get("grant_type") == _DEVICE_GRANT:
                response = JsonResponse({"error": "unsupported_grant_type"}, status=400)
            else:
                response = super().post(request, *args, **kwargs)
            response = explain(request, response)
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
                # Only the RFC 6749 §5.2 error codes are recorded, never other text from the answer; a failed
                # client authentication records why (e.g. invalid-client-assertion:expired).
                reason = reason if reason in _OAUTH_ERRORS else f"http_{response.status_code}"
                if reason == "invalid_client" and client_auth_refusal.get():
                    reason = client_auth_refusal.get()
            client_auth_refusal.reset(refusal)
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
