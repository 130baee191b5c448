"""RFC 9457 problem details for each class of error, and X-Request-ID on every response."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from rest_framework.test import APIClient

from tests.agencies.test_tokens import first_refusal
from tests.foundation.routes import make_token
from tests.problems import assert_problem

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def writer(seeded):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + make_token(scopes=["referrals:read", "referrals:write"]))
    return client


@pytest.fixture
def reader(seeded):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + make_token(scopes=["referrals:read"]))
    return client


# --- 400 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"a": 1,}', b"\xff\xfe{}", b"[" * 100 + b"]" * 100], ids=["syntax", "comma", "utf", "deep"]
)
def test_400_malformed_json(writer, body):
    response = writer.post("/api/v1/referrals/", body, content_type="application/json")
    problem = assert_problem(response, 400, "validation-error", path="/api/v1/referrals/")
    assert problem["errors"][0]["code"] == "parse_error"


def test_400_unknown_field_names_the_field(writer):
    response = writer.post("/api/v1/referrals/", {"no_such_field": 1}, format="json")
    problem = assert_problem(response, 400, "validation-error")
    assert {"field": "no_such_field", "code": "unknown_field"}.items() <= next(
        e for e in problem["errors"] if e["field"] == "no_such_field"
    ).items()
    for error in problem["errors"]:
        assert set(error) == {"field", "code", "message"}


def test_400_server_owned_field(writer):
    response = writer.post("/api/v1/referrals/", {"status": "accepted", "id": "x"}, format="json")
    problem = assert_problem(response, 400, "validation-error")
    assert {"status", "id"} <= {e["field"] for e in problem["errors"]}


def test_400_bad_page_size(reader):
    response = reader.get("/api/v1/referrals/?page_size=1000")
    problem = assert_problem(response, 400, "validation-error")
    assert problem["errors"][0]["field"] == "page_size"


# --- 401, 403 --------------------------------------------------------------------------------------------


def test_401_not_authenticated(db):
    response = APIClient().get("/api/v1/me/")
    assert_problem(response, 401, "not-authenticated", path="/api/v1/me/")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_401_invalid_token(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer nope")
    response = client.get("/api/v1/me/")
    assert_problem(response, 401, "invalid-token")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_403_insufficient_scope(reader):
    response = reader.post("/api/v1/referrals/", {}, format="json")
    problem = assert_problem(response, 403, "insufficient-scope")
    assert problem["required_scopes"] == ["referrals:write"]
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]


# --- 404 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing/", "/api/nothing", "/api/v2/me/", "/oauth/authorize/", "/oauth/nothing/"]
)
def test_404_unknown_route(db, settings, path, debug):
    settings.DEBUG = debug
    response = APIClient().get(path)
    assert_problem(response, 404, "not-found", path=path)


def test_404_unknown_id(reader):
    response = reader.get("/api/v1/referrals/6f1d1a8e-7c55-4b8e-9d0c-5a1f3b2c9e10/")
    assert_problem(response, 404, "not-found")


# --- 405, 406, 413, 415 ----------------------------------------------------------------------------------


def test_405_method_not_allowed_with_allow_header(reader):
    response = reader.delete("/api/v1/me/")
    assert_problem(response, 405, "method-not-allowed")
    allowed = {m.strip() for m in response["Allow"].split(",")}
    assert "GET" in allowed
    assert "DELETE" not in allowed


def test_406_not_acceptable(reader):
    response = reader.get("/api/v1/me/", HTTP_ACCEPT="application/xml")
    assert_problem(response, 406, "not-acceptable")


def test_problem_json_accept_header_is_fine(reader):
    response = reader.get("/api/v1/me/", HTTP_ACCEPT="application/json, application/problem+json")
    assert response.status_code == 200


def test_413_json_body_over_one_mebibyte(writer):
    body = b'{"summary": "' + b"x" * (1024 * 1024) + b'"}'
    response = writer.post("/api/v1/referrals/", body, content_type="application/json")
    assert_problem(response, 413, "payload-too-large")


def test_413_is_answered_before_authentication(db):
    body = b'{"summary": "' + b"x" * (1024 * 1024) + b'"}'
    response = APIClient().post("/api/v1/referrals/", body, content_type="application/json")
    assert_problem(response, 413, "payload-too-large")


def test_body_just_under_the_limit_is_parsed(writer):
    body = b'{"summary": "' + b"x" * (settings.MAX_JSON_BODY_BYTES - 100) + b'"}'
    response = writer.post("/api/v1/referrals/", body, content_type="application/json")
    assert response.status_code == 400  # parsed, then refused by validation, not by size


def test_415_unsupported_media_type(writer):
    response = writer.post("/api/v1/referrals/", "hello", content_type="text/plain")
    assert_problem(response, 415, "unsupported-media-type")


# --- 429 -------------------------------------------------------------------------------------------------


@pytest.mark.redis
def test_429_rate_limited_with_retry_after(reader, monkeypatch):
    from referral_api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "3/min"})
    statuses = [reader.get("/api/v1/me/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = first_refusal(lambda: reader.get("/api/v1/me/"))
    assert_problem(response, 429, "rate-limited")
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.redis
def test_rate_limit_is_per_client(seeded, monkeypatch):
    from referral_api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "1/min"})
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION="Bearer " + make_token(scopes=["events:read"]))
    second.credentials(HTTP_AUTHORIZATION="Bearer " + make_token(scopes=["events:read"]))
    assert first.get("/api/v1/me/").status_code == 200
    first_refusal(lambda: first.get("/api/v1/me/"))
    assert second.get("/api/v1/me/").status_code == 200


# --- 500, 503 --------------------------------------------------------------------------------------------


def _assert_nothing_leaks(response):
    text = response.content.decode()
    for leak in (
        "hunter2",
        "Traceback",
        "RuntimeError",
        "settings.py",
        "SELECT",
        "no_such_table",
        "secret_column",
        'File "',
    ):
        assert leak not in text, text


@pytest.mark.urls("tests.foundation.urls_boom")
@pytest.mark.parametrize("path", ["/api/v1/test-boom/", "/api/v1/test-boom-sql/", "/test-boom-plain/"])
def test_500_discloses_nothing(db, path):
    response = DjangoClient(raise_request_exception=False).get(path)
    assert_problem(response, 500, "server-error")
    _assert_nothing_leaks(response)


@pytest.mark.urls("tests.foundation.urls_boom")
def test_500_discloses_nothing_even_in_debug(db, settings):
    settings.DEBUG = True
    response = DjangoClient(raise_request_exception=False).get("/api/v1/test-boom/")
    assert_problem(response, 500, "server-error")
    _assert_nothing_leaks(response)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


READYZ_SCRIPT = """
import json, django
django.setup()
from django.test import Client
for path in ("/readyz", "/healthz", "/api/v1/me/"):
    r = Client(raise_request_exception=False).get(path, HTTP_AUTHORIZATION="Bearer x")
    print(json.dumps({"path": path, "status": r.status_code, "content_type": r["Content-Type"],
                      "retry_after": r.get("Retry-After"), "request_id": r.get("X-Request-ID"),
                      "body": r.content.decode()}))
"""


def test_503_when_the_database_is_unreachable():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "referral_api.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{_closed_port()}/nothing",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", READYZ_SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = {a["path"]: a for a in map(json.loads, result.stdout.strip().splitlines())}
    ready = answers["/readyz"]
    assert ready["status"] == 503
    assert ready["content_type"] == "application/problem+json"
    assert ready["retry_after"]
    body = json.loads(ready["body"])
    assert body["type"].endswith("/service-unavailable")
    assert body["request_id"] == ready["request_id"]
    assert "nobody" not in ready["body"] and "127.0.0.1" not in ready["body"]
    assert answers["/healthz"]["status"] == 200
    # An API call that needs the database answers 503 too, not 500, and leaks no connection details.
    api = answers["/api/v1/me/"]
    assert api["status"] == 503, api
    assert "127.0.0.1" not in api["body"] and "nothing" not in api["body"].replace("/nothing", "")


def test_readyz_and_healthz_when_the_database_answers(db):
    assert APIClient().get("/readyz").json() == {"status": "ready"}
    assert APIClient().get("/healthz").json() == {"status": "ok"}


# --- X-Request-ID ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/healthz"),
        ("get", "/readyz"),
        ("get", "/api/v1/me/"),
        ("get", "/api/nothing/"),
        ("post", "/oauth/token/"),
        ("get", "/api/schema/"),
        ("get", "/admin/login/"),
    ],
)
def test_every_response_carries_a_request_id(db, method, path):
    response = getattr(APIClient(), method)(path)
    assert len(response["X-Request-ID"]) >= 8


def test_valid_incoming_request_id_is_echoed(db):
    response = APIClient().get("/api/v1/me/", HTTP_X_REQUEST_ID="partner-req.42:abc_DEF")
    assert response["X-Request-ID"] == "partner-req.42:abc_DEF"
    assert response.json()["request_id"] == "partner-req.42:abc_DEF"


@pytest.mark.parametrize(
    "incoming", ["has spaces", "x" * 300, "semi;colon", "<script>", "new\\nline", "ünïcode", ""], ids=repr
)
def test_invalid_incoming_request_id_is_replaced(db, incoming):
    response = APIClient().get("/api/v1/me/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 36  # a fresh UUID
    assert response.json()["request_id"] == response["X-Request-ID"]


def test_api_responses_are_not_cached(reader):
    response = reader.get("/api/v1/me/")
    assert response["Cache-Control"] == "no-store"
