"""One assertion for RFC 9457 problem details, shared by every test that expects a refusal."""

from __future__ import annotations

import json

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}


def assert_problem(response, status: int, slug: str, field: str | None = None, *, path: str | None = None) -> dict:
    """``response`` is the problem ``slug`` with ``status`` (every member the contract promises, the request id
    of the response); ``field``, when given, is named in ``errors``; ``path``, when given, is its ``instance``."""
    assert response.status_code == status, (response.status_code, response.content[:800])
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert PROBLEM_KEYS <= set(body), body
    assert body["type"].startswith("https://")
    assert body["type"].endswith("/" + slug), body
    assert body["status"] == status
    assert body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["request_id"] == response["X-Request-ID"]
    if field is not None:
        assert field in {e["field"] for e in body.get("errors", [])}, body
    if path is not None:
        assert body["instance"] == path
    return body
