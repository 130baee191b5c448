"""Referral test data: bodies, the path to each status through the API, and valid action bodies (the table's).

The referral fixtures (``cbp``, ``ice``, ``make_referral``) are in tests/conftest.py."""

from __future__ import annotations

from referrals.lifecycle import TRANSITIONS
from tests.factories import BASE_PERSON, referral_body
from tests.factories import PATHS as STATUS_PATHS

__all__ = ["ACTION_BODIES", "BASE_PERSON", "PATHS", "referral_body", "source_status"]


# The path through the lifecycle to reach each status: (actor side, action, body); bodies are the table's examples.
def _steps(*actions: str) -> list[tuple[str, str, dict]]:
    return [(TRANSITIONS[action].actor, action, TRANSITIONS[action].example_body()) for action in actions]


PATHS = {status: _steps(*actions) for status, actions in STATUS_PATHS.items()}

# A valid body for each action, from the lifecycle table (every field it takes, with its example value).
ACTION_BODIES = {action: transition.example_body() for action, transition in TRANSITIONS.items()}


def source_status(action: str) -> str:
    """The first status (in ``PATHS`` order) from which ``action`` may be taken."""
    return next(status for status in PATHS if status in TRANSITIONS[action].sources)
