from django.urls import path

from events.api import views

urlpatterns = [
    path("events/", views.EventFeedView.as_view(), name="events"),
    path("webhooks/", views.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<uuid:subscription_id>/", views.WebhookDetailView.as_view(), name="webhook"),
    path(
        "webhooks/<uuid:subscription_id>/rotate-secret/",
        views.WebhookRotateSecretView.as_view(),
        name="webhook-rotate-secret",
    ),
    path(
        "webhooks/<uuid:subscription_id>/deliveries/",
        views.WebhookDeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<uuid:subscription_id>/deliveries/<uuid:delivery_id>/redeliver/",
        views.WebhookRedeliverView.as_view(),
        name="webhook-redeliver",
    ),
]
