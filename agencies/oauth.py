"""django-oauth-toolkit customisation: client credentials only, per-client allowed scopes, fail closed."""

from __future__ import annotations

import hashlib

from django.http import JsonResponse
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import IntrospectTokenView
from oauthlib.common import Request as OauthlibRequest


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
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return (
            get_access_token_model()
            .objects.select_related("application__agency", "user")
            .filter(token_checksum=checksum)
            .first()
        )

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
            checksum = hashlib.sha256(token_value.encode("utf-8")).hexdigest()
            token = (
                get_access_token_model()
                .objects.select_related("application__agency")
                .filter(token_checksum=checksum)
                .first()
            )
            if token is not None and token.application is not None and not token.application.is_usable(None):
                return JsonResponse({"active": False})
        return IntrospectTokenView.get_token_response(token_value)
