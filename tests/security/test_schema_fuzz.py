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
from hypothesis import HealthCheck, Phase, settings
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
def fuzz_world(seeded, monkeypatch):
    """A CBP token with every scope; referrals CBP->ICE and ICE->CBP, an attachment, a webhook subscription."""
    # The fuzzer sends hundreds of requests per operation with one token: lift the per-client rate limit
    # (tested on its own in test_api4_resource_consumption).
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "1000000/min"})
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
    case.call_and_validate(headers=fuzz_world, checks=CHECKS)
