"""What the referral API has deprecated (api-contract.md v1.1, "Immigration relief"), in the shared registry of
``referral_api.deprecation``: answered with ``Deprecation`` (RFC 9745), ``Sunset`` (RFC 8594) once a date is set
and a ``Link`` to the docs, then refused with 422 code ``sunset``."""

from __future__ import annotations

import datetime

from agencies.models import DEPRECATED_REFERRAL_TYPES, ReferralType
from referral_api.deprecation import Deprecation, deprecation_note, deprecation_register, refuse_after_sunset

# Version 1.1 of the contract, which deprecates them.
V1_1 = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)

REFERRAL_TYPES: dict[str, Deprecation] = {
    referral_type: deprecation_register(
        Deprecation(
            key=f"referral_type:{referral_type}",
            what=f"`referral_type` `{referral_type}` on create and forward",
            instead=f"send `{successor}`: USCIS decides T and U eligibility on a filed application and does not "
            "screen referrals.",
            deprecated_at=V1_1,
            sunset_setting="DEPRECATED_TYPES_SUNSET",
        )
    )
    for referral_type, successor in DEPRECATED_REFERRAL_TYPES.items()
}
assert set(REFERRAL_TYPES) <= set(ReferralType.values)

SUPPLEMENT_B_KIND = deprecation_register(
    Deprecation(
        key="attachment_kind:supplement_b",
        what="attachment `kind` `supplement_b`",
        instead="upload `i914_supplement_b` (T visa declaration) or `i918_supplement_b` (U visa certification) "
        "with its `signed_on`.",
        deprecated_at=V1_1,
    )
)


def referral_type_refuse_after_sunset(referral_type: str, *, now: datetime.datetime | None = None) -> None:
    """422 on ``referral_type`` (code ``sunset``) for a deprecated type once ``DEPRECATED_TYPES_SUNSET`` passed."""
    deprecation = REFERRAL_TYPES.get(referral_type)
    if deprecation is not None:
        refuse_after_sunset(deprecation, field="referral_type", now=now)


def referral_type_note(request, referral_type: str | None) -> None:
    """Mark ``request``'s answer with the deprecation headers if it used a deprecated referral type."""
    deprecation = REFERRAL_TYPES.get(referral_type or "")
    if deprecation is not None:
        deprecation_note(request, deprecation)
