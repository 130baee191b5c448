"""The OpenAPI description shows the multipart upload and the binary download."""

from __future__ import annotations

import pytest
import yaml


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_upload_is_multipart(schema):
    post = schema["paths"]["/api/v1/referrals/{id}/attachments/"]["post"]
    content = post["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    component = schema["components"]["schemas"][ref]
    assert component["properties"]["file"]["format"] == "binary"
    assert set(component["required"]) == {"file", "kind"}
    assert {"201", "400", "404", "409", "413", "415"} <= set(post["responses"])
    assert post["security"]


def test_download_is_binary_with_headers(schema):
    get = schema["paths"]["/api/v1/referrals/{id}/attachments/{attachment_id}/content/"]["get"]
    ok = get["responses"]["200"]
    assert set(ok["content"]) == {"application/pdf", "image/png", "image/jpeg", "text/plain"}
    assert ok["content"]["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert {"Content-Disposition", "X-Content-Type-Options"} <= set(ok["headers"])


def test_schema_renders(schema):
    yaml.safe_dump(schema)
