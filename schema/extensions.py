"""drf-spectacular extensions: the OAuth2 client-credentials scheme with per-operation scopes."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from referral_api.permissions import required_scopes


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "referral_api.authentication.BearerTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        scopes = required_scopes(auto_schema.view, auto_schema.method)
        return {self.name: scopes or []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": (
                "OAuth 2.0 client credentials (RFC 6749 §4.4). Authenticate your client with HTTP Basic at "
                "`POST /oauth/token/` (`grant_type=client_credentials`, optional `scope`); send the access token "
                "as `Authorization: Bearer <token>`. Tokens live "
                f"{settings.ACCESS_TOKEN_SECONDS} seconds; there are no refresh tokens."
            ),
            "flows": {
                "clientCredentials": {"tokenUrl": "/oauth/token/", "scopes": settings.PARTNER_SCOPES},
            },
        }
