"""The OAuth endpoints under /oauth/: token (RFC 6749 §4.4), revocation (RFC 7009), introspection (RFC 7662).

Only these are routed: no authorization endpoint, no dynamic client registration.
"""

from django.urls import path

from agencies.oauth import AuditedRevokeTokenView, AuditedTokenView, OperatorIntrospectTokenView

app_name = "oauth2_provider"  # django-oauth-toolkit reverses its views in this namespace

urlpatterns = [
    path("token/", AuditedTokenView.as_view(), name="token"),
    path("revoke_token/", AuditedRevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", OperatorIntrospectTokenView.as_view(), name="introspect"),
]
