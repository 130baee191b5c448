"""Every JSON answer the test suite receives from the API is validated against the committed OpenAPI document.

The referral representation is built by plain functions (``referral_representation`` and friends) while the
document is generated from the doc serializers; this check is what keeps the two in agreement. openapi-core
(a maintained validator) checks each answer's status code, content type, headers and body against the operation
the request matched. Registered from tests/conftest.py as a plugin; it wraps Django's test ``Client``, so it sees
every answer of ``APIClient`` and ``Client`` alike.
"""

from __future__ import annotations

import json

import pytest
import yaml
from django.conf import settings
from django.test.client import Client
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

API_PREFIX = "/api/v1/"
JSON_TYPES = ("application/json", "application/problem+json")
_document: OpenAPI | None = None


def _nullable_refs(node):
    """Read drf-spectacular's nullable reference, ``{allOf: [{$ref}], nullable: true}``, as "null or the referenced
    schema". That is what it is generated to mean, and what code generators read; openapi-schema-validator follows
    the OAS 3.0.3 clarification that ``nullable`` counts only next to a ``type`` and would refuse the null."""
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_refs(value) for key, value in node.items()}
    if node.get("nullable") is True and "type" not in node and len(node.get("allOf", ())) == 1:
        rest = {key: value for key, value in node.items() if key not in ("allOf", "nullable")}
        return {**rest, "anyOf": [node["allOf"][0], {"type": "object", "nullable": True, "enum": [None]}]}
    return node


def openapi_document() -> OpenAPI:
    global _document
    if _document is None:
        document = yaml.safe_load((settings.BASE_DIR / "schema" / "openapi.yaml").read_text(encoding="utf-8"))
        # RFC 9457 problem details are JSON: read them as such (openapi-core knows ``application/json`` only).
        config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
        _document = OpenAPI.from_dict(_nullable_refs(document), config=config)
    return _document


def check_response(response) -> None:
    """Raise ``AssertionError`` when a JSON answer from the API does not match its operation in the document."""
    request = getattr(response, "wsgi_request", None)
    content_type = response.get("Content-Type", "")
    if request is None or not request.path.startswith(API_PREFIX) or not content_type.startswith(JSON_TYPES):
        return
    if getattr(request, "resolver_match", None) is None:
        return  # refused before routing (e.g. a Host header not allowed): no operation answered
    openapi_request = MockRequest(
        host_url="http://testserver",
        method=request.method,
        path=request.path,
        args=request.GET,
        headers=dict(request.headers),
        content_type=request.content_type or "application/json",
    )
    openapi_response = MockResponse(
        data=response.content,
        status_code=response.status_code,
        headers=dict(response.items()),
        content_type=content_type,
    )
    try:
        openapi_document().validate_response(openapi_request, openapi_response)
    except (PathNotFound, OperationNotFound):
        return  # an unknown route or method: the 404/405 problem is checked by the tests that send it
    except Exception as exc:  # any validation error fails the test, with the details
        raise AssertionError(
            f"{request.method} {request.path} -> {response.status_code} does not match schema/openapi.yaml: "
            + _explain(exc)
        ) from exc


def _explain(exc: Exception) -> str:
    cause = exc.__cause__ or exc
    errors = getattr(cause, "schema_errors", None)
    if not errors:
        return repr(cause)
    return "; ".join(f"{'.'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message[:300]}" for e in errors)


@pytest.fixture(autouse=True)
def _answers_match_the_openapi_document(monkeypatch):
    original = Client.request

    def request(self, **kwargs):
        response = original(self, **kwargs)
        check_response(response)
        return response

    monkeypatch.setattr(Client, "request", request)
