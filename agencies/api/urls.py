from django.urls import path

from agencies.api.views import AgencyDirectoryView, MeView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("agencies/", AgencyDirectoryView.as_view(), name="agencies"),
]
