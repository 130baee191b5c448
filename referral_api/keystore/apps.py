from django.apps import AppConfig


class KeystoreConfig(AppConfig):
    name = "referral_api.keystore"
    label = "keystore"
    verbose_name = "Key store"

    def ready(self) -> None:
        from referral_api.keystore import keyring

        keyring.connect_signals()
