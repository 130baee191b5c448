"""What the event and webhook services refuse with: each a kind of ``referral_api.errors``, mapped to HTTP in one
table (``referral_api.problems.DOMAIN_ERRORS``)."""

from __future__ import annotations

from referral_api.errors import NotVisible

__all__ = ["NotVisible"]
