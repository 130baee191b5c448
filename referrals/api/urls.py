from django.urls import path

from referrals.api import views

urlpatterns = [
    path("referrals/", views.ReferralListCreateView.as_view(), name="referral-list"),
    path("referrals/<uuid:pk>/", views.ReferralDetailView.as_view(), name="referral-detail"),
    path("referrals/<uuid:pk>/history/", views.ReferralHistoryView.as_view(), name="referral-history"),
    path("referrals/<uuid:pk>/notes/", views.ReferralNotesView.as_view(), name="referral-notes"),
    path("referrals/<uuid:pk>/access-log/", views.ReferralAccessLogView.as_view(), name="referral-access-log"),
    path(
        "referrals/<uuid:pk>/persons/<uuid:person_id>/protection/",
        views.PersonProtectionView.as_view(),
        name="referral-person-protection",
    ),
    path(
        "referrals/<uuid:pk>/hhs-notification/", views.HhsNotificationView.as_view(), name="referral-hhs-notification"
    ),
    path("referrals/<uuid:pk>/forward/", views.ReferralForwardView.as_view(), name="referral-forward"),
] + [
    path(f"referrals/<uuid:pk>/{action}/", view.as_view(), name=f"referral-{action}")
    for action, view in views.ACTION_VIEWS.items()
]
