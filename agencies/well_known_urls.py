"""Well-known URIs (RFC 8615) served by the authorization server: its metadata (RFC 8414 §3)."""

from django.urls import path

from agencies.oauth import AuthorizationServerMetadataView

urlpatterns = [
    path(
        "oauth-authorization-server",
        AuthorizationServerMetadataView.as_view(),
        name="oauth-authorization-server-metadata",
    ),
]
