"""URL map. Only the OAuth token, revoke and introspect views are routed (no authorize, no app registration)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from referral_api import health, problems

handler400 = "referral_api.problems.handler400"
handler403 = "referral_api.problems.handler403"
handler404 = "referral_api.problems.handler404"
handler500 = "referral_api.problems.handler500"

api_v1 = [
    path("", include("agencies.api.urls")),
    path("", include("referrals.api.urls")),
    path("", include("attachments.api.urls")),
    path("", include("stats.api.urls")),
    path("", include("events.api.urls")),
]

urlpatterns = [
    # Apps' routes are included by module name, like the API's: the kernel imports no app (docs/architecture.md).
    path("oauth/", include("agencies.oauth_urls")),
    path(".well-known/", include("agencies.well_known_urls")),
    path("api/v1/", include(api_v1)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.API_DOCS_ENABLED:
    urlpatterns += [
        path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
        # Our own Redoc page: drf-spectacular's template also loads Google Fonts, a third-party request.
        path("api/redoc/", TemplateView.as_view(template_name="redoc.html"), name="redoc"),
    ]

if settings.ADMIN_ENABLED:
    urlpatterns += [path("admin/", admin.site.urls)]

# Unknown paths under the API answer a problem, whatever DEBUG says (Django's debug 404 page is HTML).
urlpatterns += [re_path(r"^(api|oauth)/", problems.handler404)]
