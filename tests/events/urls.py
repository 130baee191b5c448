"""The OAuth and events routes only: used while another app's in-progress routes do not import."""

from django.urls import include, path, re_path
from oauth2_provider import views as oauth_views

from referral_api import problems

handler404 = "referral_api.problems.handler404"
handler500 = "referral_api.problems.handler500"

oauth_patterns = [path("token/", oauth_views.TokenView.as_view(), name="token")]

urlpatterns = [
    path("oauth/", include((oauth_patterns, "oauth2_provider"))),
    path("api/v1/", include("events.api.urls")),
    re_path(r"^(api|oauth)/", problems.handler404),
]
