"""What the event and webhook services refuse with: each a kind of ``referral_api.errors``, mapped to HTTP in one
table (``referral_api.problems.DOMAIN_ERRORS``)."""

from __future__ import annotations

from referral_api.errors import Conflict, NotVisible


class SubscriptionLimit(Conflict):
    """The agency already has ``WEBHOOK_MAX_SUBSCRIPTIONS`` subscriptions (409, naming ``subscriptions``)."""

    def __init__(self, limit: int):
        super().__init__(
            f"Your agency already has the maximum of {limit} webhook subscriptions; delete or reuse one first.",
            field="subscriptions",
            code="limit_reached",
        )


__all__ = ["NotVisible", "SubscriptionLimit"]
