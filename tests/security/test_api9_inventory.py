"""API9:2023 Improper inventory management.

Every route under /api/v1/ that the URL resolver serves, with every method, is in the OpenAPI schema (generated
in-process, as `make schema` does); every documented operation exists; and nothing else is reachable: every
other route is on a short, explicit list (OAuth endpoints, docs, admin, probes, the API's 404 catch-all).
"""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.security.conftest import OPERATIONS

# Routes outside the partner API, each reachable on purpose. Anything new must be added here deliberately.
ALLOWED_UNDOCUMENTED = [
    r"^oauth/(token|revoke_token|introspect)/$",
    r"^api/(schema|docs|redoc)/$",
    r"^admin/",
    r"^healthz$",
    r"^\.well-known/oauth-authorization-server$",  # RFC 8414 server metadata, public by definition
    r"^readyz$",
    r"^\^\(api\|oauth\)/$",  # the catch-all answering 404 problems under /api/ and /oauth/
]


def _schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = set()
    for path, item in schema["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                out.add((re.sub(r"\{[^}]+\}", "{}", path), method.upper()))
    return out


def _route_as_path(route: str) -> str:
    return "/api/v1/" + re.sub(r"<(?:[^>:]+:)?[^>]+>", "{}", route)


def test_every_api_route_and_method_is_documented():
    documented = _schema_operations()
    missing = sorted(
        f"{op.method} {op.route}" for op in OPERATIONS if (_route_as_path(op.route), op.method) not in documented
    )
    assert missing == [], f"served but not in the OpenAPI schema: {missing}"


def test_every_documented_operation_is_served():
    served = {(_route_as_path(op.route), op.method) for op in OPERATIONS}
    phantom = sorted(f"{m} {p}" for p, m in _schema_operations() if (p, m) not in served)
    assert phantom == [], f"documented but not served: {phantom}"


def _all_routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            pattern = str(entry.pattern)
            if pattern == "admin/":
                yield prefix + pattern  # the admin is one switchable unit (ADMIN_ENABLED)
                continue
            yield from _all_routes(entry.url_patterns, prefix + pattern)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_nothing_undocumented_is_reachable():
    unexpected = []
    for route in _all_routes(get_resolver().url_patterns):
        if route.startswith("api/v1/"):
            continue  # checked against the schema above
        if not any(re.search(allowed, route) for allowed in ALLOWED_UNDOCUMENTED):
            unexpected.append(route)
    assert unexpected == [], f"routes outside the API and the allow-list: {unexpected}"


def test_no_api_version_other_than_v1_answers(token_client):
    cbp = token_client("CBP")
    for path in ("/api/v0/referrals/", "/api/v2/referrals/", "/api/referrals/", "/api/v1.1/me/"):
        response = cbp.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


def test_oauth_offers_only_token_revoke_and_introspect(seeded):
    from rest_framework.test import APIClient

    for path in ("/oauth/authorize/", "/oauth/applications/", "/oauth/authorized_tokens/", "/oauth/userinfo/"):
        assert APIClient().get(path).status_code == 404, path
