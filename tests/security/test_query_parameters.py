"""API4/API8: every list refuses a query parameter it does not know, or one given twice (400 naming it), through
the one check ``referral_api.query.check_query``. The lists are found from the committed OpenAPI document (every
GET whose answer has ``results``), so a new list is covered the day it is added."""

from __future__ import annotations

import re

import pytest
import yaml
from django.conf import settings

from tests.security.conftest import OPERATIONS, concrete_path

DOCUMENT = yaml.safe_load((settings.BASE_DIR / "schema" / "openapi.yaml").read_text())
_PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _schema_path(route: str) -> str:
    return "/api/v1/" + _PARAM.sub(lambda m: "{id}" if m.group(1) == "pk" else "{" + m.group(1) + "}", route)


def _answers_a_list(operation) -> bool:
    responses = DOCUMENT["paths"][_schema_path(operation.route)]["get"]["responses"]
    schema = responses["200"]["content"].get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return "results" in schema.get("properties", {})


LISTS = [op for op in OPERATIONS if op.method == "GET" and _answers_a_list(op)]


def _query_names(operation) -> set[str]:
    parameters = DOCUMENT["paths"][_schema_path(operation.route)]["get"].get("parameters", [])
    return {p["name"] for p in parameters if p["in"] == "query"}


PAGED = [op for op in LISTS if "page_size" in _query_names(op)]


def test_the_lists_are_found():
    routes = {op.route for op in LISTS}
    assert {
        "referrals/", "referrals/<uuid:pk>/history/", "referrals/<uuid:pk>/notes/", "referrals/<uuid:pk>/access-log/",
        "referrals/<uuid:pk>/attachments/", "webhooks/", "webhooks/<uuid:subscription_id>/deliveries/", "events/",
        "agencies/", "stats/referrals/",
    } <= routes  # fmt: skip


@pytest.mark.parametrize("operation", LISTS, ids=lambda op: op.route)
def test_every_list_refuses_an_unknown_parameter(world, operation):
    response = world.cbp.get(concrete_path(operation, world.ids) + "?page_sise=5")
    assert response.status_code == 400, (operation.route, response.content[:300])
    body = response.json()
    assert body["type"].endswith("/validation-error")
    assert [(e["field"], e["message"]) for e in body["errors"]] == [("page_sise", "Unknown query parameter.")]


@pytest.mark.parametrize("operation", PAGED, ids=lambda op: op.route)
def test_every_paged_list_refuses_a_repeated_parameter(world, operation):
    response = world.cbp.get(concrete_path(operation, world.ids) + "?page_size=5&page_size=6")
    assert response.status_code == 400, (operation.route, response.content[:300])
    assert [e["field"] for e in response.json()["errors"]] == ["page_size"]


@pytest.mark.parametrize("operation", PAGED, ids=lambda op: op.route)
def test_every_paged_list_takes_its_paging_parameters(world, operation):
    response = world.cbp.get(concrete_path(operation, world.ids) + "?page_size=5")
    assert response.status_code == 200, (operation.route, response.content[:300])
