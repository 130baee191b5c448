"""Encrypted values of this app that key rotation must visit (read by ``referrals.rotation``).

Webhook signing secrets are Fernet tokens of ``referral_api.crypto.encrypt_str`` in ``bytea`` columns, not
``referrals.fields`` fields, so they are declared here: ``(app_label.Model, field name)``.
"""

ENCRYPTED_BINARY_FIELDS = [
    ("events.WebhookSubscription", "secret_encrypted"),
    ("events.WebhookSubscription", "previous_secret_encrypted"),
]
