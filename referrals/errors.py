"""What the referral services refuse with: each a kind of ``referral_api.errors``, mapped to HTTP in one table
(``referral_api.problems.DOMAIN_ERRORS``)."""

from __future__ import annotations

from referral_api.errors import (
    Conflict,
    Gone,
    InvalidTransition,
    NotVisible,
    PreconditionFailed,
    RuleViolation,
    WrongSide,
)

__all__ = ["Conflict", "Gone", "InvalidTransition", "NotVisible", "PreconditionFailed", "RuleViolation", "WrongSide"]
