"""The outbox (event_emit) and the event feed: transactional, no PII, exactly once and in order."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Delivery, Event
from tests.events.helpers import emit

FEED = "/api/v1/events/"


def test_event_is_written_in_the_callers_transaction(db):
    with transaction.atomic():
        emit()
        assert Event.objects.count() == 1
        transaction.set_rollback(True)
    assert Event.objects.count() == 0


def test_event_emit_refuses_unknown_types(db):
    with pytest.raises(ValueError):
        emit(event_type="referral.deleted")


def test_event_goes_to_sender_and_receiver_only(api):
    referral_id = emit(
        agencies=("CBP", "ICE"), actor="CBP", data={"from_status": "submitted", "to_status": "acknowledged"}
    )
    for agency in ("CBP", "ICE"):
        body = api(agency, "events:read").get(FEED).json()
        assert [e["referral"]["id"] for e in body["results"]] == [str(referral_id)]
    assert api("USCIS", "events:read").get(FEED).json()["results"] == []


def test_event_json_shape(api):
    referral_id = emit(event_type="referral.status_changed", data={"from_status": "submitted", "to_status": "accepted"})
    body = api("ICE", "events:read").get(FEED).json()
    (event,) = body["results"]
    assert set(event) == {"id", "type", "occurred_at", "referral", "data"}
    assert event["type"] == "referral.status_changed"
    assert event["referral"] == {"id": str(referral_id), "reference": "REF-2026-000001"}
    assert event["data"] == {"from_status": "submitted", "to_status": "accepted", "actor_agency": "CBP"}
    assert event["occurred_at"].endswith("Z")
    uuid.UUID(event["id"])
    assert body["next_after"] == event["id"]


def test_polling_with_next_after_pages_through_everything_once(api):
    for n in range(7):
        emit(n=n)
    client = api("CBP", "events:read")
    seen, after = [], None
    for _ in range(10):
        response = client.get(FEED, {"page_size": 3, **({"after": after} if after else {})})
        assert response.status_code == 200
        body = response.json()
        seen += [e["referral"]["reference"] for e in body["results"]]
        assert body["next_after"] is not None
        if not body["results"]:
            assert body["next_after"] == after
            break
        after = body["next_after"]
    assert seen == [f"REF-2026-{n:06d}" for n in range(7)]
    emit(n=99)
    assert [e["referral"]["reference"] for e in client.get(FEED, {"after": after}).json()["results"]] == [
        "REF-2026-000099"
    ]


def test_empty_feed_has_null_next_after(api):
    assert api("CBP", "events:read").get(FEED).json() == {"results": [], "next_after": None}


@pytest.mark.parametrize(
    "params",
    [{"after": "12"}, {"after": "not-a-uuid"}, {"after": str(uuid.uuid4())}, {"page_size": "0"}, {"page_size": "201"}],
)
def test_bad_feed_parameters_are_400(api, params):
    response = api("CBP", "events:read").get(FEED, params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"].endswith("/validation-error")
    assert body["errors"][0]["field"] == next(iter(params))


def test_after_must_be_an_event_the_caller_can_see(api):
    emit(agencies=("CBP", "ICE"))
    event_id = api("CBP", "events:read").get(FEED).json()["results"][0]["id"]
    response = api("USCIS", "events:read").get(FEED, {"after": event_id})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "after"


def test_feed_needs_a_token_and_the_events_read_scope(api, anon):
    response = anon.get(FEED)
    assert response.status_code == 401
    assert response.json()["type"].endswith("/not-authenticated")
    response = api("CBP", "referrals:read webhooks:manage").get(FEED)
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]


def test_feed_query_count_does_not_grow_with_rows(api, django_assert_num_queries):
    client = api("CBP", "events:read")
    emit()
    first = client.get(FEED).json()["next_after"]
    emit(n=2)
    client.get(FEED, {"after": first})  # the token is cached from its second use
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(FEED, {"after": first}).json()["results"]) == 1
    expected = len(few.captured_queries)
    assert expected <= 8
    for n in range(40):
        emit(n=n)
    with django_assert_num_queries(expected):
        assert len(client.get(FEED, {"after": first}).json()["results"]) == 41


def test_event_rows_hold_no_referral_content(db):
    emit(data={"changed_fields": ["summary", "persons"]})
    event = Event.objects.get()
    assert event.data == {"changed_fields": ["summary", "persons"]}
    assert Delivery.objects.count() == 0  # no subscriptions: nothing to deliver


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_feed_shows_each_event_once_in_order(api):
    """Writers commit out of insert order (random sleeps before commit); a poller must still see all, once."""
    client = api("CBP", "events:read")
    writers, per_writer = 8, 5
    done = threading.Event()
    errors: list[BaseException] = []

    def write(w: int):
        try:
            for i in range(per_writer):
                with transaction.atomic():
                    emit(n=w * 100 + i)
                    time.sleep(random.uniform(0, 0.05))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    seen: list[str] = []
    after = None
    while True:
        finished = all(not t.is_alive() for t in threads)
        response = client.get(FEED, {"page_size": 7, **({"after": after} if after else {})})
        body = response.json()
        seen += [e["id"] for e in body["results"]]
        after = body["next_after"]
        if finished and not body["results"]:
            break
        time.sleep(0.005)
    done.set()
    assert not errors
    assert len(seen) == len(set(seen)) == writers * per_writer
    # The order served is the feed order, and the feed order is total and stable.
    positions = dict(Event.objects.values_list("id", "position"))
    assert [positions[uuid.UUID(i)] for i in seen] == sorted(positions.values())


def test_unknown_feed_parameters_are_400(api):
    response = api("CBP", "events:read").get("/api/v1/events/?since=yesterday")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "since"
