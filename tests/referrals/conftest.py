"""Referral fixtures: bodies, and referrals in each lifecycle status created through the real services."""

from __future__ import annotations

import copy
import uuid

import pytest

from referrals.lifecycle import STATUS_ACTIONS, TRANSITIONS

BASE_PERSON = {
    "role": "victim",
    "given_name": "Maria",
    "family_name": "Lopez",
    "aliases": ["Mari"],
    "date_of_birth": "1999-04-01",
    "sex": "female",
    "citizenships": ["HN"],
    "languages": ["es"],
    "a_number": "A123456789",
    "safe_contact": {"phone": "+15555550100", "instructions": "text only", "do_not_contact": False},
    "location": {"city": "San Diego", "state": "CA", "country": "US"},
    "protected_1367": False,
}


def referral_body(**overrides) -> dict:
    body = {
        "referral_type": "victim_assistance",
        "receiver": {"agency": "ICE", "office": "VAP"},
        "priority": "routine",
        "external_reference": "EXT-" + uuid.uuid4().hex[:12],
        "summary": "Adult encountered at a port of entry with indicators of labor trafficking",
        "narrative": "Reports a debt owed to a recruiter.",
        "trafficking_types": ["labor"],
        "indicators": ["debt_bondage"],
        "persons": [copy.deepcopy(BASE_PERSON)],
        "case": None,
        "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share with VAP"},
        "related_referral": None,
    }
    body.update(overrides)
    return body


# The path through the lifecycle to reach each status: (actor side, action, body); bodies are the table's examples.
def _steps(*actions: str) -> list[tuple[str, str, dict]]:
    return [(TRANSITIONS[action].actor, action, TRANSITIONS[action].example_body()) for action in actions]


PATHS = {
    "submitted": [],
    "acknowledged": _steps("acknowledge"),
    "info_requested": _steps("request-info"),
    "accepted": _steps("accept"),
    "rejected": _steps("reject"),
    "in_progress": _steps("accept", "start"),
    "on_hold": _steps("accept", "start", "hold"),
    "completed": _steps("accept", "complete"),
    "withdrawn": _steps("withdraw"),
}

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


@pytest.fixture
def cbp(api):
    return api("CBP")


@pytest.fixture
def ice(api):
    return api("ICE")


@pytest.fixture
def uscis(api):
    return api("USCIS")


def create_and_walk(sender, receiver, status: str = "submitted", **overrides) -> dict:
    """Send a referral from ``sender`` to ``receiver`` through the API and walk it to ``status``; its JSON."""
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


@pytest.fixture
def make_referral(cbp, ice):
    """Create a CBP -> ICE referral through the API and walk it to ``status``; returns its JSON."""

    def _make(status: str = "submitted", sender=None, receiver=None, **overrides):
        return create_and_walk(sender or cbp, receiver or ice, status, **overrides)

    return _make
