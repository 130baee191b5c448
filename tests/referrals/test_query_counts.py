"""Query counts: every referral endpoint costs a fixed, small number of queries; lists do not grow with size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.referrals.conftest import ACTION_BODIES, PATHS, referral_body

URL = "/api/v1/referrals/"


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code < 300, response.content
    return len(ctx.captured_queries)


def warm(*clients) -> None:
    """Use each client's token twice, so it is in the token cache (cached from its second use) and the
    budgets below count no token query (a cold token costs one more: tests/agencies/test_token_cache.py)."""
    for client in clients:
        for _ in range(2):
            assert client.get("/api/v1/me/").status_code == 200


# The budget of each operation, with the token cached. Shared by all: the audit row (1); writes add their
# SAVEPOINT/RELEASE pairs, the row lock, the status event and the outbox (one statement: the event and its
# deliveries, events.services.event_emit). Every request that reads or
# writes sealed data adds exactly one key-store query: the wrapped data keys of every referral it touches (a whole
# list page at once), or, on create, the new referral's data key (referral_api.keystore.keyring).
CREATE = 17
RETRIEVE = 4
LIST = 4
ACTION = 11
PATCH = 14
HISTORY = 4
NOTES_LIST = 4
NOTE_CREATE = 8


def test_create_query_count(cbp, django_assert_num_queries):
    warm(cbp)
    cbp.post(URL, referral_body(), format="json")  # warm the per-process caches (content types, routes)
    with django_assert_num_queries(CREATE):
        cbp.post(URL, referral_body(), format="json")


def test_create_query_count_does_not_grow_with_persons(cbp, django_assert_num_queries):
    from tests.referrals.conftest import BASE_PERSON

    warm(cbp)
    cbp.post(URL, referral_body(), format="json")
    with django_assert_num_queries(CREATE):
        cbp.post(URL, referral_body(persons=[dict(BASE_PERSON, a_number=None)] * 20), format="json")


def test_retrieve_query_count(make_referral, ice, django_assert_num_queries):
    referral = make_referral()
    warm(ice)
    with django_assert_num_queries(RETRIEVE):
        ice.get(f"{URL}{referral['id']}/")


@pytest.mark.parametrize("page_size", [10, 200])
def test_list_query_count_is_constant(cbp, page_size, django_assert_num_queries):
    for _ in range(12):
        cbp.post(URL, referral_body(), format="json")
    warm(cbp)
    with django_assert_num_queries(LIST):
        response = cbp.get(f"{URL}?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


@pytest.mark.parametrize("action", list(ACTION_BODIES))
def test_action_query_count(make_referral, cbp, ice, action, django_assert_num_queries):
    start = {"respond": "info_requested", "start": "accepted", "hold": "in_progress", "resume": "on_hold",
             "complete": "accepted"}.get(action, "submitted")  # fmt: skip
    assert start in PATHS
    referral = make_referral(start)
    actor = cbp if action in ("respond", "withdraw") else ice
    warm(actor)
    with django_assert_num_queries(ACTION):
        response = actor.post(f"{URL}{referral['id']}/{action}/", ACTION_BODIES[action], format="json")
    assert response.status_code == 200


def test_patch_query_count(make_referral, cbp, django_assert_num_queries):
    referral = make_referral()
    warm(cbp)
    with django_assert_num_queries(PATCH):
        cbp.patch(f"{URL}{referral['id']}/", {"summary": "new"}, format="json", HTTP_IF_MATCH='"1"')


def test_history_and_notes_query_counts(make_referral, cbp, django_assert_num_queries):
    referral = make_referral("on_hold")
    for _ in range(3):
        cbp.post(f"{URL}{referral['id']}/notes/", {"body": "n", "information_source": "other"}, format="json")
    warm(cbp)
    with django_assert_num_queries(HISTORY):
        cbp.get(f"{URL}{referral['id']}/history/")
    with django_assert_num_queries(NOTES_LIST):
        cbp.get(f"{URL}{referral['id']}/notes/")
    with django_assert_num_queries(NOTE_CREATE):
        cbp.post(f"{URL}{referral['id']}/notes/", {"body": "n", "information_source": "other"}, format="json")


def test_without_pii_read_identifying_columns_are_never_read(api):
    sender = api("CBP", "referrals:read referrals:write")
    sender.post(URL, referral_body(), format="json")
    sender.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        assert sender.get(URL).json()["results"][0]["persons"][0]["masked"] is True
    person_queries = [q["sql"] for q in ctx.captured_queries if '"referrals_person"' in q["sql"]]
    assert person_queries and not any('"given_name"' in sql or '"a_number"' in sql for sql in person_queries)
