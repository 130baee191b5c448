"""Query counts: every referral endpoint costs a fixed, small number of queries; lists do not grow with size."""

from __future__ import annotations

from contextlib import contextmanager

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


def request_statements(queries: list[dict]) -> list[str]:
    """The statements a request sends, without its own transaction's BEGIN and COMMIT.

    pytest-django runs each test inside a transaction, so a request's outermost atomic block shows here as
    ``SAVEPOINT ... RELEASE SAVEPOINT``; in production it is ``BEGIN ... COMMIT``, which Django neither sends as a
    statement of its own (BEGIN rides on the first query) nor captures. Those two are left out; every other
    statement, a nested savepoint included, counts."""
    depth, work = 0, []
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SAVEPOINT"):
            depth += 1
            if depth == 1:
                continue
        elif sql.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            depth -= 1
            if depth == 0:
                continue
        work.append(sql)
    return work


@contextmanager
def statements(budget: int):
    """Assert that the block sends exactly ``budget`` statements (``request_statements``)."""
    with CaptureQueriesContext(connection) as ctx:
        yield
    work = request_statements(ctx.captured_queries)
    assert len(work) == budget, f"{len(work)} statements, budget {budget}:\n" + "\n".join(q[:160] for q in work)


# The budget of each operation (issue 18: create <= 10, an action <= 6, a read <= 3, a list page <= 3 at any
# size), with the token cached. A read: the referral with its people, case, links and children in one SELECT
# (referrals.selectors.with_representation), the key store (the data keys of every referral it shows, a whole
# page at once) and the audit row. A write adds its own rows: the lock, the UPDATE, the status event and the outbox
# event with its deliveries (one statement); its answer is built from what it locked and wrote, not read again.
CREATE = 9
RETRIEVE = 3
LIST = 3
ACTION = 6
RECALL_EXTRA = 1  # the referral.recalled event (its audit row is the privacy-incident one, not a second)
PATCH = 9
HISTORY = 4
NOTES_LIST = 4
NOTE_CREATE = 6


def test_create_query_count(cbp):
    warm(cbp)
    cbp.post(URL, referral_body(), format="json")  # warm the per-process caches (content types, routes)
    with statements(CREATE):
        cbp.post(URL, referral_body(), format="json")


def test_create_query_count_does_not_grow_with_persons(cbp):
    from tests.referrals.conftest import BASE_PERSON

    warm(cbp)
    cbp.post(URL, referral_body(), format="json")
    with statements(CREATE):
        cbp.post(URL, referral_body(persons=[dict(BASE_PERSON, a_number=None)] * 20), format="json")


def test_retrieve_query_count(make_referral, ice):
    referral = make_referral()
    warm(ice)
    with statements(RETRIEVE):
        ice.get(f"{URL}{referral['id']}/")


@pytest.mark.parametrize("page_size", [10, 200])
def test_list_query_count_is_constant(cbp, page_size):
    for _ in range(12):
        cbp.post(URL, referral_body(), format="json")
    warm(cbp)
    with statements(LIST):
        response = cbp.get(f"{URL}?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


@pytest.mark.parametrize("action", list(ACTION_BODIES))
def test_action_query_count(make_referral, cbp, ice, action):
    start = {"respond": "info_requested", "start": "accepted", "hold": "in_progress", "resume": "on_hold",
             "complete": "accepted"}.get(action, "submitted")  # fmt: skip
    assert start in PATHS
    referral = make_referral(start)
    actor = cbp if action in ("respond", "withdraw", "recall") else ice
    warm(actor)
    # A recall also writes its privacy-incident audit row and the referral.recalled event (+ its deliveries).
    with statements(ACTION + (RECALL_EXTRA if action == "recall" else 0)):
        response = actor.post(f"{URL}{referral['id']}/{action}/", ACTION_BODIES[action], format="json")
    assert response.status_code == 200


def test_patch_query_count(make_referral, cbp):
    referral = make_referral()
    warm(cbp)
    with statements(PATCH):
        cbp.patch(f"{URL}{referral['id']}/", {"summary": "new"}, format="json", HTTP_IF_MATCH='"1"')


def test_history_and_notes_query_counts(make_referral, cbp):
    referral = make_referral("on_hold")
    for _ in range(3):
        cbp.post(f"{URL}{referral['id']}/notes/", {"body": "n", "information_source": "other"}, format="json")
    warm(cbp)
    with statements(HISTORY):
        cbp.get(f"{URL}{referral['id']}/history/")
    with statements(NOTES_LIST):
        cbp.get(f"{URL}{referral['id']}/notes/")
    with statements(NOTE_CREATE):
        cbp.post(f"{URL}{referral['id']}/notes/", {"body": "n", "information_source": "other"}, format="json")


def test_without_pii_read_identifying_columns_are_never_read(api):
    sender = api("CBP", "referrals:read referrals:write")
    sender.post(URL, referral_body(), format="json")
    sender.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        assert sender.get(URL).json()["results"][0]["persons"][0]["masked"] is True
    person_queries = [q["sql"] for q in ctx.captured_queries if '"referrals_person"' in q["sql"]]
    # The people come aggregated in the referral's query: their identity's sealed column is not in it at all.
    # (each person is a JSON object whose keys are the columns read: 'sealed_basis' is, 'sealed' is not).
    # The case's row, in the same statement, has its own 'sealed': look at the people's object only.
    person_objects = [sql.split('FROM "referrals_person"')[0].rsplit("ARRAY(SELECT", 1)[1] for sql in person_queries]
    assert person_objects and all("'sealed_basis'" in part for part in person_objects)
    assert not any("'sealed'" in part for part in person_objects)


def test_the_page_query_stays_within_the_planners_join_reordering(cbp):
    """PostgreSQL reorders at most ``join_collapse_limit`` (8) relations: past that, the page's ``IN (...)`` is
    applied after the joins and a page scans the whole table (10 s at a million referrals, measured by make
    bench). Links to other rows are therefore scalar subqueries; the joins left are the parties and the case."""
    for _ in range(3):
        cbp.post(URL, referral_body(), format="json")
    warm(cbp)
    with CaptureQueriesContext(connection) as ctx:
        assert cbp.get(URL).status_code == 200
    page = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "referrals_referral"."id"'))
    assert page.count(" JOIN ") <= 7, page.count(" JOIN ")
