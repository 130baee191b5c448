from django.urls import path

from stats.api import views

urlpatterns = [
    path("stats/referrals/", views.ReferralStatsView.as_view(), name="stats-referrals"),
]
