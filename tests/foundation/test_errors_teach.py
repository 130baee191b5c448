"""Errors that teach: they name the codes, fields, headers and allowed values that explain them, and still
never quote free text the caller sent (api-contract v1.1, *Conventions (changed)*; docs/api-changes.md)."""

from __future__ import annotations

import pytest

from tests.problems import assert_problem
from tests.referrals.conftest import referral_body

URL = "/api/v1/referrals/"
CANARY = "Canary-Free-Text-7f3a"


@pytest.fixture
def writer(api):
    return api("CBP", "referrals:read referrals:write")


def test_routing_refusal_names_the_agency_and_the_type(writer):
    body = referral_body(receiver={"agency": "USCIS"}, referral_type="victim_assistance", summary=CANARY)
    problem = assert_problem(writer.post(URL, body, format="json"), 422, "validation-error")
    assert "USCIS does not receive victim_assistance referrals" in str(problem)
    assert CANARY not in str(problem)


def test_a_missing_case_names_the_referral_type(writer):
    body = referral_body(referral_type="investigative_lead", receiver={"agency": "ICE"}, case=None)
    problem = assert_problem(writer.post(URL, body, format="json"), 400, "validation-error")
    assert "An investigative_lead referral needs a case." in str(problem)


def test_an_unknown_office_lists_the_agencys_offices_without_echoing_it(writer):
    body = referral_body(receiver={"agency": "ICE", "office": "ZQXWV"})
    problem = assert_problem(writer.post(URL, body, format="json"), 422, "validation-error")
    assert "ZQXWV" not in str(problem)
    error = problem["errors"][0]
    assert error["field"] == "receiver.office"
    assert "ICE has no active office with this code" in error["message"] and "VAP" in error["message"]


def test_an_unknown_agency_lists_the_active_agencies(writer):
    body = referral_body(receiver={"agency": "ZQXWV"})
    problem = assert_problem(writer.post(URL, body, format="json"), 422, "validation-error")
    assert "ZQXWV" not in str(problem)
    assert "CBP, ICE, USCIS" in problem["errors"][0]["message"]


def test_a_malformed_code_says_what_a_code_looks_like(writer):
    problem = assert_problem(writer.post(URL, referral_body(receiver={"agency": "Maria Lopez"}), format="json"),
                             400, "validation-error")  # fmt: skip
    assert "Maria Lopez" not in str(problem)
    assert problem["errors"][0] == {
        "field": "receiver.agency",
        "code": "invalid",
        "message": "Must be an agency code from GET /api/v1/agencies/, e.g. ICE.",
    }


def test_an_empty_idempotency_key_names_the_header(writer):
    response = writer.post(URL, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="")
    problem = assert_problem(response, 400, "validation-error")
    assert problem["errors"][0]["field"] == "Idempotency-Key"


def test_415_says_what_to_send(writer):
    problem = assert_problem(writer.post(URL, "hello", content_type="text/plain"), 415, "unsupported-media-type")
    assert "application/json" in problem["detail"] and "text/plain" not in problem["detail"]
    assert problem["accepted"] == ["application/json"]


def test_a_path_without_its_slash_says_so(writer):
    problem = assert_problem(writer.get("/api/v1/me"), 404, "not-found")
    assert problem["detail"] == "Paths end with a slash: /api/v1/me/"
    plain = assert_problem(writer.get("/api/v1/no-such-thing"), 404, "not-found")
    assert "slash" not in plain["detail"]


def test_an_unquoted_if_match_is_a_400_naming_the_header(writer):
    created = writer.post(URL, referral_body(), format="json").json()
    response = writer.patch(f"{URL}{created['id']}/", {"summary": "new"}, format="json", HTTP_IF_MATCH="1")
    problem = assert_problem(response, 400, "validation-error")
    assert problem["errors"][0]["field"] == "If-Match"
    assert '"3"' in problem["errors"][0]["message"]


def test_the_agency_directory_pages_like_every_list(api):
    reader = api("CBP", "referrals:read")
    first = reader.get("/api/v1/agencies/", {"page_size": 2})
    assert first.status_code == 200, first.content
    body = first.json()
    assert [a["code"] for a in body["results"]] == ["CBP", "ICE"] and body["previous"] is None
    rest = reader.get(body["next"])
    assert [a["code"] for a in rest.json()["results"]] == ["USCIS"] and rest.json()["next"] is None
    assert_problem(reader.get("/api/v1/agencies/", {"sort": "code"}), 400, "validation-error")


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("priority", "whenever", "routine, urgent, immediate_danger"),
        ("referral_type", "bogus_type", "investigative_lead"),
    ],
)
def test_a_bad_choice_lists_the_allowed_values(writer, field, value, allowed):
    problem = assert_problem(writer.post(URL, referral_body(**{field: value}), format="json"), 400, "validation-error")
    error = next(e for e in problem["errors"] if e["field"] == field)
    assert error["code"] == "invalid_choice"
    assert error["message"].startswith("Must be one of: ") and allowed in error["message"]
    assert value not in str(problem)


def test_a_bad_reason_code_lists_the_reason_codes(api, writer):
    created = writer.post(URL, referral_body(), format="json").json()
    ice = api("ICE", "referrals:read referrals:write")
    body = {"reason_code": "because", "reason": "x"}
    problem = assert_problem(ice.post(f"{URL}{created['id']}/reject/", body, format="json"), 400, "validation-error")
    assert "not_in_jurisdiction" in problem["errors"][0]["message"]


@pytest.mark.parametrize(("parameter", "allowed"), [("priority", "immediate_danger"), ("direction", "incoming")])
def test_a_bad_filter_value_lists_the_allowed_values(writer, parameter, allowed):
    problem = assert_problem(writer.get(URL, {parameter: "sideways"}), 400, "validation-error")
    assert allowed in str(problem) and "sideways" not in str(problem)


# --- the token endpoint (RFC 6749 §5.2) ------------------------------------------------------------------------
TOKEN_URL = "/oauth/token/"


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_token_errors_carry_a_description_and_a_basic_challenge(make_client):
    from rest_framework.test import APIClient

    issued = make_client("CBP", "referrals:read")
    wrong = APIClient().post(
        TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=_basic(issued.client.client_id, "nope")
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client" and wrong.json()["error_description"]
    assert wrong["WWW-Authenticate"].startswith("Basic ")
    assert wrong["WWW-Authenticate"].isascii()

    scope = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": "pii:read"},
        HTTP_AUTHORIZATION=_basic(issued.client.client_id, issued.client_secret),
    )
    assert scope.json()["error"] == "invalid_scope"
    assert "Omit scope" in scope.json()["error_description"]


def test_a_json_token_request_is_told_to_send_a_form(make_client):
    from rest_framework.test import APIClient

    issued = make_client("CBP", "referrals:read")
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        format="json",
        HTTP_AUTHORIZATION=_basic(issued.client.client_id, issued.client_secret),
    )
    assert response.status_code == 400
    assert "application/x-www-form-urlencoded" in response.json()["error_description"]


def test_bearer_challenges_are_ascii(api):
    reader = api("CBP", "referrals:read")
    response = reader.get("/api/v1/me/?access_token=abc")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].isascii() and "section" in response["WWW-Authenticate"]
