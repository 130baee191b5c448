"""The project's URLs with the audited token view on /oauth/token/ (until referral_api/urls.py routes it)."""

from django.urls import include, path

from agencies.oauth import AuditedTokenView
from referral_api import urls as project_urls

oauth_patterns = [
    path("token/", AuditedTokenView.as_view(), name="token"),
    *[pattern for pattern in project_urls.oauth_patterns if pattern.name != "token"],
]

urlpatterns = [
    path("oauth/", include((oauth_patterns, "oauth2_provider"))),
    *[pattern for pattern in project_urls.urlpatterns if str(pattern.pattern) != "oauth/"],
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
