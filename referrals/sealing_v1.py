"""The v1.0 layout of this app's encrypted columns, and its conversion to sealed records (migration 0004,
``manage.py encryption_convert``)."""

from __future__ import annotations

from referral_api.sealing import DATE, JSON, TEXT, ConvertReport, legacy_convert_table

# member -> (v1.0 column, how it was encoded)
V1_COLUMNS = {
    "referrals.Referral": {
        "summary": ("summary", TEXT), "narrative": ("narrative", TEXT), "consent_scope": ("consent_scope", TEXT),
        "assignee": ("assignee", TEXT), "outcome": ("outcome", TEXT),
    },
    "referrals.Case": {
        "sender_case_number": ("sender_case_number", TEXT), "title": ("title", TEXT),
        "locations": ("locations", JSON), "organizations": ("organizations", JSON),
    },
    "referrals.Person": {
        "given_name": ("given_name", TEXT), "family_name": ("family_name", TEXT), "aliases": ("aliases", JSON),
        "date_of_birth": ("date_of_birth", DATE), "a_number": ("a_number", TEXT),
        "other_identifiers": ("other_identifiers", JSON), "safe_contact": ("safe_contact", JSON),
        "location": ("location", JSON),
    },
    "referrals.StatusEvent": {"reason": ("reason", TEXT)},
    "referrals.Note": {"body": ("body", TEXT)},
}  # fmt: skip


def convert_referrals(*, batch_size: int = 500, after_batch=None) -> list[ConvertReport]:
    """Convert every v1.0 row of this app; raise if a value could not be decrypted (after converting the rest)."""
    from django.apps import apps

    reports = [
        legacy_convert_table(model=apps.get_model(label), legacy=legacy, batch_size=batch_size, after_batch=after_batch)
        for label, legacy in V1_COLUMNS.items()
    ]
    failed = sum(r.rows_failed for r in reports)
    if failed:
        raise RuntimeError(
            f"{failed} v1.0 rows could not be decrypted with FIELD_ENCRYPTION_KEYS (logged with table and key); "
            "fix the key list and run again."
        )
    return reports
