"""Referral test data: bodies, the path to each status through the API, and valid action bodies (the table's).

The referral fixtures (``cbp``, ``ice``, ``make_referral``) are in tests/conftest.py."""

from __future__ import annotations

from referrals.lifecycle import STATUS_ACTIONS, TRANSITIONS
from tests.factories import BASE_PERSON, referral_body
from tests.factories import PATHS as STATUS_PATHS

__all__ = ["ACTION_BODIES", "BASE_PERSON", "PATHS", "action_body", "create_and_walk", "referral_body", "source_status"]


# The path through the lifecycle to reach each status: (actor side, action, body); bodies are the table's examples.
def _steps(*actions: str) -> list[tuple[str, str, dict]]:
    return [(TRANSITIONS[action].actor, action, TRANSITIONS[action].example_body()) for action in actions]


PATHS = {status: _steps(*actions) for status, actions in STATUS_PATHS.items()}

# A valid body for each action, from the lifecycle table (every field it takes, with its example value).
# Status-changing actions; ``forward`` needs a person of the referral (``action_body``).
ACTION_BODIES = {action: TRANSITIONS[action].example_body() for action in STATUS_ACTIONS}


def source_status(action: str) -> str:
    """The first status (in ``PATHS`` order) from which ``action`` may be taken."""
    return next(status for status in PATHS if status in TRANSITIONS[action].sources)


def action_body(action: str, referral: dict) -> dict:
    """A valid body for ``action`` on ``referral`` (forward names the referral's first person)."""
    if action == "forward":
        return {
            "receiver": {"agency": "USCIS"},
            "referral_type": "relief_support",
            "person_ids": [referral["persons"][0]["id"]],
            "summary": "Victim cooperating with the investigation",
        }
    return ACTION_BODIES[action]


def create_and_walk(sender, receiver, status: str = "submitted", **overrides) -> dict:
    """Send a referral from ``sender`` to ``receiver`` through the API and walk it to ``status`` through the API
    (``make_referral`` builds it with the services instead); its JSON as the last actor saw it."""
    response = sender.post("/api/v1/referrals/", referral_body(**overrides), format="json")
    assert response.status_code == 201, response.content
    referral = response.json()
    for side, action, body in PATHS[status]:
        actor = receiver if side == "receiver" else sender
        response = actor.post(f"/api/v1/referrals/{referral['id']}/{action}/", body, format="json")
        assert response.status_code == 200, response.content
        referral = response.json()
    assert referral["status"] == status
    return referral
