from django.urls import path

from attachments.api import views

urlpatterns = [
    path("referrals/<uuid:pk>/attachments/", views.AttachmentListCreateView.as_view(), name="attachment-list"),
    path(
        "referrals/<uuid:pk>/attachments/<uuid:attachment_id>/",
        views.AttachmentDetailView.as_view(),
        name="attachment-detail",
    ),
    path(
        "referrals/<uuid:pk>/attachments/<uuid:attachment_id>/content/",
        views.AttachmentContentView.as_view(),
        name="attachment-content",
    ),
]
