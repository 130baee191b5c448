"""What the referral services refuse with: each a kind of ``referral_api.errors``, mapped to HTTP in one table
(``referral_api.problems.DOMAIN_ERRORS``)."""

from __future__ import annotations

from referral_api.errors import (
    Conflict,
    DisclosureBasisRequired,
    Gone,
    InvalidInput,
    InvalidTransition,
    NotVisible,
    PreconditionFailed,
    RuleViolation,
    WaiverRequiresAdults,
    WrongSide,
)


class PersonNotFound(NotVisible):
    """No such person in this referral (404, like a referral the caller cannot see)."""


__all__ = [
    "Conflict", "DisclosureBasisRequired", "Gone", "InvalidInput", "InvalidTransition", "NotVisible", "PersonNotFound",
    "PreconditionFailed", "RuleViolation", "WaiverRequiresAdults", "WrongSide",
]  # fmt: skip
