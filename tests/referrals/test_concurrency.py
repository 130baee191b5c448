"""Races and retries: two actions at once, idempotency keys under concurrency. Real PostgreSQL, real threads."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from referrals.models import IdempotencyRecord, Referral, StatusEvent
from tests.referrals.conftest import referral_body

URL = "/api/v1/referrals/"


def run_together(n: int, fn):
    """Run ``fn(i)`` in ``n`` threads released at the same instant; return their results in order."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def clone(client) -> APIClient:
    other = APIClient()
    other.credentials(**client._credentials)
    return other


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_exactly_one_wins(make_referral, ice):
    referral = make_referral()
    clients = [clone(ice), clone(ice)]
    responses = run_together(
        2, lambda i: clients[i].post(f"{URL}{referral['id']}/accept/", {}, format="json").status_code
    )
    assert sorted(responses) == [200, 409]
    row = Referral.objects.get(pk=referral["id"])
    assert (row.status, row.version) == ("accepted", 2)
    assert StatusEvent.objects.filter(referral=row, action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accept_racing_withdraw_leaves_one_consistent_outcome(make_referral, cbp, ice):
    referral = make_referral()
    actors = [(clone(ice), "accept", {}), (clone(cbp), "withdraw", {"reason": "sent twice"})]
    results = run_together(
        2, lambda i: actors[i][0].post(f"{URL}{referral['id']}/{actors[i][1]}/", actors[i][2], format="json")
    )
    codes = sorted(r.status_code for r in results)
    row = Referral.objects.get(pk=referral["id"])
    assert codes in ([200, 409], [200, 200])
    if codes == [200, 200]:  # accept first, then withdraw (allowed from accepted)
        assert row.status == "withdrawn" and row.version == 3
    else:
        assert row.version == 2
    assert StatusEvent.objects.filter(referral=row).count() == row.version


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_creates_with_one_key_make_one_referral(cbp):
    key = uuid.uuid4().hex
    body = referral_body()
    clients = [clone(cbp) for _ in range(8)]
    responses = run_together(8, lambda i: clients[i].post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key))
    assert Referral.objects.count() == 1
    codes = [r.status_code for r in responses]
    assert set(codes) <= {201, 409}, codes
    created = [r for r in responses if r.status_code == 201]
    assert len({r.json()["id"] for r in created}) == 1
    for r in responses:
        if r.status_code == 409:
            assert r.json()["type"].endswith("/idempotency-key-in-use")
    # Once the first has finished, every retry replays it.
    again = cbp.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == created[0].json()["id"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_references(cbp):
    clients = [clone(cbp) for _ in range(6)]
    responses = run_together(6, lambda i: clients[i].post(URL, referral_body(), format="json"))
    assert [r.status_code for r in responses] == [201] * 6
    assert len({r.json()["reference"] for r in responses}) == 6


def test_idempotent_create_replays_first_response(cbp):
    body = referral_body()
    first = cbp.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    second = cbp.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Referral.objects.count() == 1
    # Only a fingerprint and the resource id are kept, never the body.
    record = IdempotencyRecord.objects.get(key="create-1")
    assert str(record.resource_id) == first.json()["id"] and record.response_status == 201
    stored = " ".join(str(v) for v in IdempotencyRecord.objects.values_list().get())
    assert "Maria" not in stored and "A123456789" not in stored


def test_same_key_different_body_is_422(cbp):
    assert cbp.post(URL, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    response = cbp.post(URL, referral_body(summary="other"), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 422 and response.json()["type"].endswith("/idempotency-key-reuse")
    assert Referral.objects.count() == 1


def test_keys_are_per_client(cbp, api):
    other = api("CBP")
    body = referral_body()
    assert cbp.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    body["external_reference"] = "other-ref"
    assert other.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert Referral.objects.count() == 2


def test_failed_request_releases_the_key(cbp):
    bad = referral_body(priority="whenever")
    assert cbp.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 400
    assert not IdempotencyRecord.objects.filter(key="retry-me").exists()
    assert cbp.post(URL, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 201


def test_in_flight_key_is_409(cbp):
    IdempotencyRecord.objects.create(
        client_id=cbp.issued.client.client_id, key="busy", fingerprint="x" * 64,
        expires_at="2999-01-01T00:00:00Z",
    )  # fmt: skip
    response = cbp.post(URL, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="busy")
    # A different fingerprint is reuse; the same fingerprint while running is in-use.
    assert response.status_code == 422
    record = IdempotencyRecord.objects.get(key="busy")
    from referrals.idempotency import _fingerprint

    class Req:
        method = "POST"
        path = URL
        data = referral_body()

    record.fingerprint = _fingerprint(Req)
    record.save()
    response = cbp.post(URL, Req.data, format="json", HTTP_IDEMPOTENCY_KEY="busy")
    assert response.status_code == 409 and response.json()["type"].endswith("/idempotency-key-in-use")


def test_an_expired_key_is_claimed_again_in_one_statement(cbp, django_assert_num_queries):
    """After its 24 hours a key is free: the claim replaces the expired record (whatever it held) in the same
    statement that inserts, and the request runs instead of replaying or being refused."""
    from referrals.idempotency import _claim

    client_id = cbp.issued.client.client_id
    IdempotencyRecord.objects.create(
        client_id=client_id, key="old", fingerprint="x" * 64, state=IdempotencyRecord.State.DONE,
        response_status=201, resource_id=uuid.uuid4(), expires_at="2000-01-01T00:00:00Z",
    )  # fmt: skip
    with django_assert_num_queries(1):
        assert _claim(client_id, "old", "y" * 64) is True
    record = IdempotencyRecord.objects.get(client_id=client_id, key="old")
    assert (record.fingerprint, record.state, record.response_status, record.resource_id) == (
        "y" * 64, IdempotencyRecord.State.IN_PROGRESS, None, None,
    )  # fmt: skip
    # A live record is never taken over.
    with django_assert_num_queries(1):
        assert _claim(client_id, "old", "z" * 64) is False
    assert IdempotencyRecord.objects.get(client_id=client_id, key="old").fingerprint == "y" * 64
    record.delete()
    IdempotencyRecord.objects.create(
        client_id=client_id, key="again", fingerprint="x" * 64, expires_at="2000-01-01T00:00:00Z"
    )
    response = cbp.post(URL, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="again")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\tkey", "ünïcode"])
def test_bad_idempotency_keys_are_400(cbp, key):
    response = cbp.post(URL, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert Referral.objects.count() == 0


def test_idempotent_action_replays(make_referral, ice):
    referral = make_referral()
    url = f"{URL}{referral['id']}/acknowledge/"
    first = ice.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="ack-1")
    second = ice.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="ack-1")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert Referral.objects.get(pk=referral["id"]).version == 2
    # Without the key, a second acknowledge is an invalid transition.
    assert ice.post(url, {}, format="json").status_code == 409


def test_the_wrong_side_is_refused_before_the_key_is_claimed(make_referral, cbp):
    """The side check runs before the idempotency claim: a refused call claims no key, so the same key still
    works for the call the client meant."""
    referral = make_referral()
    response = cbp.post(f"/api/v1/referrals/{referral['id']}/accept/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-side")
    assert response.status_code == 403
    assert not IdempotencyRecord.objects.filter(key="k-side").exists()
