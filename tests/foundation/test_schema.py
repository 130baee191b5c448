"""The OpenAPI schema: valid without warnings, committed, documenting OAuth 2.0 client credentials; docs need no CDN."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.foundation.routes import api_operations

COMMITTED = Path(settings.BASE_DIR) / "schema" / "openapi.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> str:
    """``manage.py spectacular --validate --fail-on-warn``, in-process; fails on any warning or invalid schema."""
    target = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=io.StringIO())
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema as the command writes it, without failing on warnings (those fail the test above)."""
    target = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--file", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    return yaml.safe_load(target.read_text(encoding="utf-8"))


def test_schema_generates_and_validates_without_warnings(generated):
    assert generated.startswith("openapi: 3")


@pytest.mark.skipif(os.environ.get("SKIP_SCHEMA_DIFF") == "1", reason="SKIP_SCHEMA_DIFF=1")
def test_committed_schema_matches_the_code(generated):
    committed = COMMITTED.read_text(encoding="utf-8")
    assert generated == committed, "schema/openapi.yaml is stale: run 'make schema' and commit it"


def test_oauth2_client_credentials_scheme(schema):
    scheme = schema["components"]["securitySchemes"]["oauth2"]
    assert scheme["type"] == "oauth2"
    assert set(scheme["flows"]) == {"clientCredentials"}
    flow = scheme["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/oauth/token/"
    assert set(flow["scopes"]) == {"referrals:read", "referrals:write", "pii:read", "events:read", "webhooks:manage"}
    assert "introspection" not in flow["scopes"]
    assert all(flow["scopes"].values())  # each scope is described


def test_every_operation_is_documented_with_its_scopes(schema):
    paths = {re.sub(r"\{[^}]+\}", "{}", path): item for path, item in schema["paths"].items()}
    for operation in api_operations():
        documented = paths.get(_schema_path(operation.route))
        assert documented is not None, f"{operation.route} is not in the schema"
        entry = documented.get(operation.method.lower())
        assert entry is not None, f"{operation.id} is not in the schema"
        assert {"oauth2": operation.scopes()} in entry["security"], (operation.id, entry["security"])
        assert {} not in entry["security"], f"{operation.id} is documented as callable without a token"
        for status in ("401", "403"):
            assert "application/problem+json" in entry["responses"][status]["content"]


def _schema_path(route: str) -> str:
    """``referrals/<uuid:pk>/`` -> ``/api/v1/referrals/{}/`` (parameter names differ: drf-spectacular says ``id``)."""
    return "/api/v1/" + re.sub(r"<[^>]+>", "{}", route)


def test_schema_lists_only_the_partner_api(schema):
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_schema_endpoint_serves_without_authentication(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert b"clientCredentials" in response.content


def test_unique_operation_ids(schema):
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_nothing_from_third_parties(db, path):
    response = APIClient().get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "googleapis" not in html
    assert "cdn" not in html.lower()
    for url in re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", html):
        host = urlparse(url if url.startswith("http") else "http:" + url).hostname
        assert host in ("testserver", None), f"{path} references a third-party host: {url}"
    # Its scripts and styles are served by this service.
    assets = re.findall(r"""(?:src|href)=["'](/[^"']+\.(?:js|css))["']""", html)
    assert assets, html[:2000]
    for asset in assets:
        assert APIClient().get(asset).status_code == 200, asset


def test_schema_generator_agrees_with_the_command(schema):
    generator = SchemaGenerator(patterns=None)
    live = generator.get_schema(request=None, public=True)
    assert set(live["paths"]) == set(schema["paths"])
