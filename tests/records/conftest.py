"""Records fixtures: referrals walked to a terminal status through the API, a private attachment store."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.attachments.conftest import TEXT_BYTES, upload

CITATION = "DHS RCS N1-563-08-4 item 2"


@pytest.fixture(autouse=True)
def _private_attachment_store(attachment_dir):
    """Every records test stores attachments in its own directory (``attachment_dir``, tests/conftest.py)."""
    return attachment_dir


@pytest.fixture
def policy(seeded):
    """A policy disposing of victim_assistance referrals 30 days after their terminal status."""

    def _policy(referral_type: str = "victim_assistance", days: int = 30, citation: str = CITATION):
        call_command("retention_policy_set", "--record", "referral", "--referral-type", referral_type,
                     "--days", str(days), "--citation", citation, stdout=_Sink())  # fmt: skip

    return _policy


class _Sink:
    def write(self, *_):
        pass

    def flush(self):
        pass


def age(referral_id, days: int) -> None:
    """Move a referral's terminal status ``days`` into the past (as if it had ended then)."""
    from referrals.models import Referral

    Referral.objects.filter(pk=referral_id).update(closed_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def full_referral(make_referral, cbp, ice):
    """A completed CBP -> ICE referral with a person, a case, a note from each side and an attachment."""

    def _make(**overrides):
        referral = make_referral(
            "accepted",
            case={
                "sender_case_number": "CBP-CASE-77",
                "title": "Farm labor case",
                "locations": [],
                "organizations": [],
            },
            **overrides,
        )
        rid = referral["id"]
        for client in (cbp, ice):
            response = client.post(f"/api/v1/referrals/{rid}/notes/",
                                   {"body": "Prefers a female interviewer.", "information_source": "victim"},
                                   format="json")  # fmt: skip
            assert response.status_code == 201, response.content
        response = upload(cbp, rid, TEXT_BYTES, name="interview.txt", kind="correspondence", description="interview")
        assert response.status_code == 201, response.content
        outcome = {"outcome_code": "services_provided", "outcome": "Shelter found."}
        response = ice.post(f"/api/v1/referrals/{rid}/complete/", outcome, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return _make
