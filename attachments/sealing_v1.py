"""The v1.0 layout of this app's encrypted values, and its conversion (migration 0003, ``encryption_convert``)."""

from __future__ import annotations

from referral_api.sealing import TEXT, ConvertReport, legacy_convert_table

V1_COLUMNS = {
    "attachments.Attachment": {"description": ("description", TEXT), "file_name": ("file_name", TEXT)},
}


def convert_attachments(*, batch_size: int = 500, after_batch=None) -> list[ConvertReport]:
    """Seal v1.0 rows, then re-seal v1.0 stored objects; raise if anything could not be converted."""
    from django.apps import apps

    from attachments.services import attachments_convert_v1

    reports = [
        legacy_convert_table(model=apps.get_model(label), legacy=legacy, batch_size=batch_size, after_batch=after_batch)
        for label, legacy in V1_COLUMNS.items()
    ]
    remaining = attachments_convert_v1(batch_size=batch_size)
    failed = sum(r.rows_failed for r in reports) + remaining
    if failed:
        raise RuntimeError(f"{failed} v1.0 attachment values or objects could not be converted (logged); run again.")
    return reports
