from django.apps import AppConfig


class KeyManagementConfig(AppConfig):
    name = "referral_api.keymanagement"
    label = "keymanagement"
    verbose_name = "Key management"
