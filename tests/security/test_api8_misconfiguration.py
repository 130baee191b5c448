"""API8:2023 Security misconfiguration.

Response headers on every kind of API answer (success, problem, 413 before the view, the token endpoint); no
server banner; no CORS for anyone; no stack traces or SQL in answers; production settings (DEBUG off, HSTS,
secure cookies, SSL redirect, `check --deploy` clean: see tests/foundation/test_settings.py); the docs and the
admin can be switched off (API_DOCS_ENABLED, ADMIN_ENABLED).
"""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from tests.foundation.test_settings import production_env, python
from tests.security.conftest import bearer


@pytest.fixture
def answers(seeded, token_client):
    """One answer of each kind: success, 401, 403, 404, 405, 400, 413, token endpoint 401 and 400."""
    cbp = token_client("CBP")
    reader = token_client("CBP", ["referrals:read"])
    return {
        "200": cbp.get("/api/v1/me/"),
        "401": APIClient().get("/api/v1/referrals/"),
        "403": reader.post("/api/v1/referrals/", {}, format="json"),
        "404": cbp.get("/api/v1/nowhere/"),
        "404-post": cbp.post("/api/v1/nowhere/", {}, format="json"),
        "405": cbp.delete("/api/v1/referrals/"),
        "400": cbp.post("/api/v1/referrals/", b"{not json", content_type="application/json"),
        "413": cbp.generic("POST", "/api/v1/referrals/", b"x" * (1024 * 1024 + 1), content_type="application/json"),
        "token-401": APIClient().post("/oauth/token/", {"grant_type": "client_credentials", "client_id": "x"}),
        "token-400": APIClient().post("/oauth/token/", {}),
    }


def test_api_answers_carry_the_security_headers(answers):
    for name, response in answers.items():
        assert response["Cache-Control"] == "no-store", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "no-referrer", name
        assert response.get("X-Frame-Options") == "DENY", (name, response.status_code)
        assert response.get("Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'", name
        assert response.has_header("X-Request-ID"), name


def test_no_banner_and_no_framework_fingerprint(answers):
    for name, response in answers.items():
        assert not response.has_header("Server"), name
        assert not response.has_header("X-Powered-By"), name
        assert b"django" not in response.content.lower(), (name, response.content[:200])


def test_problem_answers_are_problem_json_without_traces(answers):
    for name, response in answers.items():
        if name.startswith("token") or response.status_code < 400:
            continue
        assert response["Content-Type"] == "application/problem+json", name
        text = response.content.decode()
        for leak in ("Traceback", 'File "', "psycopg", "SELECT ", "django.", "/work/", "site-packages"):
            assert leak not in text, (name, leak)


def test_token_endpoint_errors_are_oauth_json(answers):
    body = answers["token-401"].json()
    # RFC 6749 §5.2: the error code, and a description that does not say which check failed
    from agencies.oauth_errors import DESCRIPTIONS

    assert body == {"error": "invalid_client", "error_description": DESCRIPTIONS["invalid_client"]}
    assert answers["token-400"].json()["error"] in ("unsupported_grant_type", "invalid_request")


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/referrals/", "/oauth/token/", "/api/schema/"])
def test_no_cors_for_a_foreign_origin(token_client, path):
    cbp = token_client("CBP")
    origin = {"HTTP_ORIGIN": "https://evil.example"}
    responses = [
        cbp.get(path, **origin),
        cbp.options(
            path,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
            **origin,
        ),
        APIClient().options(path, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin),
    ]
    for response in responses:
        for header in (
            "Access-Control-Allow-Origin",
            "Access-Control-Allow-Credentials",
            "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers",
        ):
            assert not response.has_header(header), (path, header, response.status_code)


def test_an_unhandled_error_is_a_bare_500_problem(seeded, settings, monkeypatch, token_client):
    """Even with DEBUG on in this test run: the API's own handler answers, never Django's debug page."""
    from agencies.api import views

    def boom(self, request):
        raise RuntimeError("secret detail SELECT * FROM agencies_client")

    monkeypatch.setattr(views.MeView, "get", boom)
    response = token_client("CBP").get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "secret detail" not in response.content.decode()
    assert "SELECT" not in response.content.decode()


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
health = client.get("/healthz", secure=True, HTTP_HOST="referrals.example.gov")
redirect = client.get("/api/v1/me/", HTTP_HOST="referrals.example.gov")
print(json.dumps({
    "debug": settings.DEBUG,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "hsts_header": health.get("Strict-Transport-Security"),
    "redirect_status": redirect.status_code,
    "redirect_to": redirect.get("Location"),
    "docs": client.get("/api/schema/", secure=True, HTTP_HOST="referrals.example.gov").status_code,
    "admin": client.get("/admin/", secure=True, HTTP_HOST="referrals.example.gov").status_code,
}))
"""


def run_probe(**env) -> dict:
    result = python(PRODUCTION_PROBE, production_env(**env))
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings():
    probe = run_probe()
    assert probe["debug"] is False
    assert probe["hsts"] >= 31536000
    assert probe["ssl_redirect"] and probe["session_secure"] and probe["csrf_secure"]
    assert "*" not in probe["allowed_hosts"]
    assert probe["hsts_header"].startswith("max-age=31536000")
    assert "includeSubDomains" in probe["hsts_header"]
    assert probe["redirect_status"] == 301 and probe["redirect_to"].startswith("https://")


def test_docs_and_admin_can_be_switched_off():
    on = run_probe()
    assert on["docs"] == 200 and on["admin"] == 302
    off = run_probe(API_DOCS_ENABLED="false", ADMIN_ENABLED="false")
    assert off["docs"] == 404 and off["admin"] == 404


def test_an_unknown_host_is_refused(seeded):
    response = bearer("x").get("/api/v1/me/", HTTP_HOST="evil.example")
    assert response.status_code == 400
