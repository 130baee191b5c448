"""Security review (issue 16), low findings on the referral API: L3, L4, L5, L10.

Each test is named after its finding and fails on the code before the fix.
"""

from __future__ import annotations

import base64

import orjson
import pytest

from audit.models import AuditEntry
from tests.security.conftest import referral_body

URL = "/api/v1/referrals/"


# --- L3 ----------------------------------------------------------------------------------------------------
def test_l3_related_referral_is_null_unless_visible_to_the_caller(cbp, ice, uscis):
    first = cbp.post(URL, referral_body(), format="json").json()  # CBP -> ICE: USCIS cannot see it
    second = cbp.post(
        URL,
        referral_body(referral_type="information_request", receiver={"agency": "USCIS"}, related_referral=first["id"]),
        format="json",
    )
    assert second.status_code == 201, second.content
    assert second.json()["related_referral"] == first["id"]  # the sender is a party to both
    seen_by_uscis = uscis.get(f"{URL}{second.json()['id']}/")
    assert seen_by_uscis.status_code == 200
    assert seen_by_uscis.json()["related_referral"] is None
    assert first["id"] not in seen_by_uscis.content.decode()
    listed = uscis.get(URL).json()["results"]
    assert [r["related_referral"] for r in listed if r["id"] == second.json()["id"]] == [None]
    # A receiver that is a party to both sees the link.
    third = cbp.post(URL, referral_body(related_referral=first["id"]), format="json").json()
    assert ice.get(f"{URL}{third['id']}/").json()["related_referral"] == first["id"]


# --- L4 ----------------------------------------------------------------------------------------------------
def test_l4_idempotent_replay_is_audited(cbp):
    headers = {"HTTP_IDEMPOTENCY_KEY": "replay-audit-key-1"}
    body = referral_body()
    first = cbp.post(URL, body, format="json", **headers)
    assert first.status_code == 201
    referral_id = first.json()["id"]
    before = AuditEntry.objects.filter(object_id=referral_id).count()
    replay = cbp.post(URL, body, format="json", **headers)
    assert replay.status_code == 201, replay.content
    assert replay["Idempotent-Replayed"] == "true"
    rows = AuditEntry.objects.filter(object_id=referral_id, action="referral.read", reason="idempotent_replay")
    assert rows.count() == 1
    assert AuditEntry.objects.filter(object_id=referral_id).count() == before + 1


def test_l4_idempotent_replay_of_an_action_is_audited(cbp, ice):
    referral = cbp.post(URL, referral_body(), format="json").json()
    headers = {"HTTP_IDEMPOTENCY_KEY": "replay-audit-key-2", "HTTP_IF_MATCH": '"1"'}
    assert ice.post(f"{URL}{referral['id']}/acknowledge/", {}, format="json", **headers).status_code == 200
    replay = ice.post(f"{URL}{referral['id']}/acknowledge/", {}, format="json", **headers)
    assert replay["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(object_id=referral["id"], reason="idempotent_replay").count() == 1


# --- L5 ----------------------------------------------------------------------------------------------------
def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


CRAFTED = {
    "v-for-timestamp": {"k": [{"v": "x"}, {"u": "00000000-0000-0000-0000-000000000000"}]},
    "int-for-timestamp": {"k": [{"v": 5}, {"v": 7}]},
    "bool": {"k": [{"v": True}, {"v": False}]},
    "number-as-uuid": {"k": [{"t": "2026-01-01T00:00:00+00:00"}, {"u": 5}]},
    "number-as-time": {"k": [{"t": 12}, {"u": "00000000-0000-0000-0000-000000000000"}]},
    "offset-postgres-refuses": {
        "k": [{"t": "3320-10-21T22:05:45+18:47"}, {"u": "00000000-0000-0000-0000-000000000000"}]
    },
    "year-overflow": {"k": [{"t": "9999-12-31T23:59:59-10:00"}, {"u": "00000000-0000-0000-0000-000000000000"}]},
    "list-payload": [1, 2],
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_l5_crafted_cursor_is_400_on_every_paginated_list(cbp, case):
    referral = cbp.post(URL, referral_body(), format="json").json()
    lists = [
        URL,
        f"{URL}{referral['id']}/history/",
        f"{URL}{referral['id']}/notes/",
        f"{URL}{referral['id']}/access-log/",
        f"{URL}{referral['id']}/attachments/",
        "/api/v1/webhooks/",
    ]
    for path in lists:
        response = cbp.get(path, {"cursor": _cursor(CRAFTED[case])})
        assert response.status_code == 400, (path, response.status_code, response.content[:300])
        body = response.json()
        assert body["type"].endswith("/validation-error")
        assert "cursor" in response.content.decode()


# --- L10 ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "3320-10-21T22:05:45.12+18:47",  # the case the fuzzer found
        "2026-01-01T00:00:00+23:59",
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00+01:00",
        "1200-01-01T00:00:00Z",
    ],
)
@pytest.mark.parametrize("name", ["created_before", "created_after", "updated_after"])
def test_l10_timestamp_filters_with_bad_offset_or_range_are_400_naming_the_field(cbp, name, value):
    response = cbp.get(URL, {name: value})
    assert response.status_code == 400, response.content[:300]
    assert response.json()["type"].endswith("/validation-error")
    assert name in response.content.decode()


def test_l10_extreme_but_valid_offsets_are_accepted(cbp):
    for value in ("2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00-12:00", "2026-01-01T00:00:00+17:59"):
        assert cbp.get(URL, {"created_before": value}).status_code == 200, value


@pytest.mark.parametrize("field", ["hhs_notified_at"])
def test_l10_timestamp_fields_with_bad_offset_or_range_are_400(cbp, field):
    response = cbp.post(URL, referral_body(**{field: "3320-10-21T22:05:45.12+18:47"}), format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.content.decode()


@pytest.mark.parametrize("name", ["from", "to"])
def test_l10_stats_bounds_with_bad_offset_or_range_are_400(cbp, name):
    for value in ("9999-12-31T23:00:00-05:00", "9999-12-31", "3320-10-21T22:05:45+18:47"):
        response = cbp.get("/api/v1/stats/referrals/", {name: value})
        assert response.status_code == 400, (value, response.content[:300])
        assert name in response.content.decode()


# --- L6 ----------------------------------------------------------------------------------------------------
def _subscribe(client, n: int):
    return client.post(
        "/api/v1/webhooks/",
        {"url": f"http://127.0.0.1:9/hook-{n}", "event_types": ["referral.created"]},
        format="json",
    )


def test_l6_webhook_subscriptions_per_agency_are_capped(token_client, settings):
    from events.models import WebhookSubscription

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_MAX_SUBSCRIPTIONS = 3
    first, second = token_client("CBP"), token_client("CBP")  # two clients of one agency share the cap
    assert [_subscribe(first, 1).status_code, _subscribe(second, 2).status_code, _subscribe(first, 3).status_code] == [
        201
    ] * 3
    refused = _subscribe(second, 4)
    assert refused.status_code == 409, refused.content
    assert refused.json()["errors"][0]["field"] == "subscriptions"
    assert WebhookSubscription.objects.filter(agency__code="CBP").count() == 3
    assert _subscribe(token_client("ICE"), 5).status_code == 201  # another agency has its own


@pytest.mark.redis
def test_l6_redelivery_requests_are_rate_limited(token_client, settings):
    from events.models import Delivery
    from tests.events.helpers import emit

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_REDELIVER_RATE_LIMIT = "2/min"
    cbp = token_client("CBP")
    subscription = _subscribe(cbp, 1).json()
    emit(event_type="referral.created", agencies=("CBP",))
    delivery = Delivery.objects.get()
    path = f"/api/v1/webhooks/{subscription['id']}/deliveries/{delivery.id}/redeliver/"
    assert [cbp.post(path).status_code for _ in range(2)] == [202, 202]
    refused = cbp.post(path)
    assert refused.status_code == 429
    assert refused.json()["type"].endswith("/rate-limited")
    assert int(refused["Retry-After"]) >= 1
    assert token_client("CBP").post(path).status_code == 429  # counted per agency, not per client


# --- L2 ----------------------------------------------------------------------------------------------------
def test_l2_references_are_numbered_per_sender(cbp, ice, uscis):
    from django.utils import timezone

    year = timezone.now().year
    first = cbp.post(URL, referral_body(), format="json").json()["reference"]
    # Other agencies' referrals in between do not move CBP's numbers.
    for _ in range(3):
        assert (
            uscis.post(
                URL, referral_body(referral_type="information_request", receiver={"agency": "ICE"}), format="json"
            ).status_code
            == 201
        )
    second = cbp.post(URL, referral_body(), format="json").json()["reference"]
    assert first.startswith(f"REF-CBP-{year}-") and second.startswith(f"REF-CBP-{year}-")
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
    other = uscis.post(
        URL, referral_body(referral_type="information_request", receiver={"agency": "ICE"}), format="json"
    ).json()["reference"]
    assert other == f"REF-USCIS-{year}-000004"


def test_l2_existing_references_are_kept(cbp):
    from referrals.models import Referral

    created = cbp.post(URL, referral_body(), format="json").json()
    Referral.objects.filter(pk=created["id"]).update(reference="REF-2025-000042")
    assert cbp.get(f"{URL}{created['id']}/").json()["reference"] == "REF-2025-000042"
    assert cbp.post(URL, referral_body(), format="json").status_code == 201
