"""API6:2023 Unrestricted access to sensitive business flows.

Creating a referral and taking an action are the flows that matter: a retried or duplicated request never makes
a second referral or a second transition (Idempotency-Key, ``external_reference`` uniqueness, state checks), and
a replayed answer is only ever given to the client that made the first request. Races between two requests are
covered in tests/referrals/test_concurrency.py; the token endpoint's guessing limit in test_api4.
"""

from __future__ import annotations

from tests.security.conftest import referral_body


def _counts():
    from audit.models import AuditEntry
    from events.models import Event
    from referrals.models import Referral, StatusEvent

    return Referral.objects.count(), StatusEvent.objects.count(), Event.objects.count(), AuditEntry.objects.count()


def test_a_retried_create_makes_one_referral(token_client):
    cbp = token_client("CBP")
    body = referral_body()
    first = cbp.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert first.status_code == 201
    before = _counts()
    again = cbp.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert _counts()[:3] == before[:3]


def test_a_key_reused_with_another_body_is_refused(token_client):
    cbp = token_client("CBP")
    cbp.post("/api/v1/referrals/", referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="create-2")
    before = _counts()
    other = cbp.post("/api/v1/referrals/", referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="create-2")
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reuse")
    assert _counts()[:3] == before[:3]


def test_a_replay_is_never_served_to_another_client(token_client):
    """Keys are per client: another client (even of the same agency) with the same key gets its own answer."""
    first, second = token_client("CBP"), token_client("CBP")
    body = referral_body()
    mine = first.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="shared-key")
    theirs = second.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="shared-key")
    assert mine.status_code == 201
    assert theirs.status_code == 409  # same external_reference: a duplicate, not a replay of the other's answer
    assert not theirs.has_header("Idempotent-Replayed")
    assert mine.json()["id"] not in theirs.content.decode()


def test_the_same_external_reference_twice_is_409(token_client):
    cbp = token_client("CBP")
    body = referral_body()
    assert cbp.post("/api/v1/referrals/", body, format="json").status_code == 201
    before = _counts()
    duplicate = cbp.post("/api/v1/referrals/", body, format="json")
    assert duplicate.status_code == 409
    assert "external_reference" in {e["field"] for e in duplicate.json()["errors"]}
    assert _counts()[:3] == before[:3]


def test_an_action_taken_twice_moves_the_referral_once(world):
    from referrals.models import StatusEvent

    pk = world.ids["pk"]
    assert world.ice.post(f"/api/v1/referrals/{pk}/acknowledge/", {}, format="json").status_code == 200
    events = StatusEvent.objects.filter(referral_id=pk).count()
    again = world.ice.post(f"/api/v1/referrals/{pk}/acknowledge/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["type"].endswith("/invalid-transition")
    assert StatusEvent.objects.filter(referral_id=pk).count() == events


def test_a_retried_action_with_its_key_is_replayed_not_repeated(world):
    from referrals.models import StatusEvent

    pk = world.ids["pk"]
    first = world.ice.post(f"/api/v1/referrals/{pk}/accept/", {}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    assert first.status_code == 200
    events = StatusEvent.objects.filter(referral_id=pk).count()
    retry = world.ice.post(f"/api/v1/referrals/{pk}/accept/", {}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert StatusEvent.objects.filter(referral_id=pk).count() == events


def test_a_stale_edit_is_refused(world):
    pk = world.ids["pk"]
    assert world.cbp.patch(f"/api/v1/referrals/{pk}/", {"priority": "urgent"}, format="json").status_code == 428
    ok = world.cbp.patch(f"/api/v1/referrals/{pk}/", {"priority": "urgent"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200
    stale = world.cbp.patch(f"/api/v1/referrals/{pk}/", {"priority": "routine"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
