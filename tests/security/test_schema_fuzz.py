"""Schema fuzzing: every operation in the OpenAPI schema, driven by schemathesis against the app in-process.

The schema is generated in-process (the same generator as ``make schema``), the requests go through Django's
full WSGI stack (middleware, authentication, throttling, problem rendering) with a real token of a CBP client
holding every partner scope, and path parameters are often swapped for ids that exist (referrals both sent
and received, an attachment, a webhook subscription) so the fuzzer reaches past the 404s.

Checks: no 5xx, status codes and bodies as documented, content types as documented, and invalid input
(negative mode) refused. ``FUZZ_MAX_EXAMPLES`` (``make fuzz``: 300) raises the per-operation example count
from the bounded default used in ``make test``.
"""

from __future__ import annotations

import os
import random
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, assume, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from referral_api.throttling import ClientRateThrottle
from tests.foundation.routes import make_token
from tests.security.conftest import ALL_SCOPES, bearer, referral_body

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
# The stateful phase (schemathesis follows the links it infers between operations: create a referral, then act
# on it, list it, page through it...): off in `make test`, on in `make fuzz` (FUZZ_STATEFUL_EXAMPLES=100).
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "0"))
STATEFUL_STEPS = int(os.environ.get("FUZZ_STATEFUL_STEPS", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


class _App:
    """Django's WSGI handler, without the per-request connection recycling that would end the test transaction."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return self.handler(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _openapi() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    # Round-trip through JSON types (drf-spectacular may leave lazy strings and tuples in place).
    import orjson

    return orjson.loads(orjson.dumps(schema, default=str))


# A refused precondition (412: malformed or stale If-Match, checked before the body) and a refused size (413) are
# rejections too.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429, "5xx"]
            }
        }
    }
)


def _timestamps() -> st.SearchStrategy[str]:
    """RFC 3339 timestamps biased to the edges: any year 0001-9999 and any offset up to ±23:59 (RFC 3339 §5.6
    allows them; PostgreSQL refuses offsets past ±15:59). Hypothesis's default date-time strings rarely reach
    these, which is how `created_before=3320-10-21T22:05:45.12+18:47` (a 500) went unnoticed."""
    offsets = st.one_of(
        st.just("Z"),
        st.builds(
            lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
            st.sampled_from("+-"),
            st.integers(0, 23),
            st.integers(0, 59),
        ),
    )
    years = st.one_of(st.sampled_from([1, 1899, 1900, 1970, 2026, 3320, 9999]), st.integers(1, 9999))
    return st.builds(
        lambda y, mo, d, h, mi, sec, frac, off: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}{frac}{off}",
        years,
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        st.sampled_from(["", ".12", ".123456"]),
        offsets,
    )


schemathesis.openapi.format("date-time", _timestamps())
schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = _App()

# Ids that exist in the database for the running test (filled by the ``fuzz_world`` fixture).
KNOWN: dict[str, list[str]] = {}


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


_counter = iter(range(10**9))


def use_known_ids(case) -> None:
    """Swap well-formed ids for ids that exist, so the operation itself gets exercised, not just its 404.

    A case with invalid data elsewhere (body, query, headers) always gets existing ids, so the invalid data
    reaches the validation it is meant to test; a valid case gets them two times in three (the third keeps
    the random id: the 404 path). Malformed ids (negative path parameters) are left alone. Done on the case
    rather than in a generation hook so that every phase (examples, coverage, generation) gets it.
    """
    if not case.path_parameters:
        return
    meta = case._meta
    negative = meta is not None and meta.generation.mode.is_negative
    choice = next(_counter)
    for name, value in list(case.path_parameters.items()):
        pool = KNOWN.get(name)
        if pool and (negative or choice % 3) and _is_uuid(value):
            case.path_parameters[name] = pool[choice % len(pool)]


@pytest.fixture
def fuzz_world(seeded, monkeypatch, settings):
    """A CBP token with every scope; referrals CBP->ICE and ICE->CBP, an attachment, a webhook subscription."""
    # The fuzzer sends hundreds of requests per operation with one token from one address: lift the rate limits
    # (tested on their own in test_api4_resource_consumption and test_review_limits).
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "1000000/min"})
    settings.ADDRESS_RATE_LIMIT = settings.AUTH_FAILURE_RATE_LIMIT = "1000000/min"
    settings.WEBHOOK_REDELIVER_RATE_LIMIT = "1000000/min"
    cbp_raw = make_token(agency="CBP", scopes=ALL_SCOPES)
    cbp = bearer(cbp_raw)
    ice = bearer(make_token(agency="ICE", scopes=ALL_SCOPES))
    referrals = []
    for _ in range(2):
        response = cbp.post("/api/v1/referrals/", referral_body(), format="json")
        assert response.status_code == 201, response.content
        referrals.append(response.json()["id"])
    incoming = ice.post(
        "/api/v1/referrals/",
        referral_body(receiver={"agency": "CBP"}, referral_type="information_request"),
        format="json",
    )
    if incoming.status_code == 201:
        referrals.append(incoming.json()["id"])
    upload = cbp.post(
        f"/api/v1/referrals/{referrals[0]}/attachments/",
        {"file": _text_file(), "kind": "other"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    with override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=True):
        hook = cbp.post(
            "/api/v1/webhooks/",
            {"url": "http://127.0.0.1:9/hook", "event_types": ["referral.created"]},
            format="json",
        )
    assert hook.status_code == 201, hook.content
    KNOWN.clear()
    KNOWN.update(
        {
            # Keyed by the parameter names in the schema.
            "id": referrals,
            "attachment_id": [upload.json()["id"]],
            "subscription_id": [hook.json()["id"]],
        }
    )
    yield {"Authorization": f"Bearer {cbp_raw}"}
    KNOWN.clear()


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("note.txt", b"plain text attachment\n", content_type="text/plain")


@pytest.fixture(autouse=True)
def _deterministic():
    random.seed(0)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms(case, fuzz_world):
    use_known_ids(case)
    # Werkzeug, which encodes the test's multipart bodies, leaves out text fields whose value is "": the server never
    # sees such a field, so a case whose only fault is an empty `signed_on` would be judged against a request that
    # was not sent (the server's 400 for an empty field is tested in tests/attachments/test_supplement_b.py).
    form = case.body if isinstance(case.body, dict) else {}
    assume(not (str(case.media_type).startswith("multipart/") and "" in form.values()))
    case.call_and_validate(headers=fuzz_world, checks=CHECKS)


@pytest.mark.skipif(STATEFUL_EXAMPLES == 0, reason="the stateful phase runs in `make fuzz` (FUZZ_STATEFUL_EXAMPLES)")
def test_stateful_workflows_never_fail_the_server(fuzz_world):
    """Sequences of linked operations (schemathesis infers the links from the schema): no 5xx, documented
    statuses and bodies, whatever state earlier steps left behind."""
    headers = fuzz_world

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            use_known_ids(case)
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=(), **kwargs):
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance, content_type_conformance]
            )

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
