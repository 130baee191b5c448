"""The key store: each referral's data key, wrapped by a key-encryption key, in a table of its own.

Public API (``referral_api.keystore.services``): ``data_key_get_or_create``, ``data_key_destroy``,
``data_key_is_destroyed``, ``data_keys_rewrap``. The table can live in its own database
(``KEYSTORE_DATABASE_URL``, routed by ``referral_api.keystore.routers.KeystoreRouter``): docs/privacy.md.
"""
