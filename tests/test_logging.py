"""Logs: one JSON object per line; PII and secrets never appear, whether in messages, arguments or exceptions."""

from __future__ import annotations

import io
import json
import logging

import pytest

from referral_api.logging import JsonFormatter, RedactingFilter

A_NUMBER = "A123456789"
NAME = "Maria Lopez"
FIRST_NAME = "Maria"
SECRET = "s3cr3t-Zq8vXn2LmP4rT6wY9bC1dF5gH7jK0aE3uI"
TOKEN = "tok-Hq7Wm2Xc9Vb4Nz6Lp1Kr8Js3Df5Ga0"
CANARIES = [A_NUMBER, NAME, FIRST_NAME, "LOPEZ", SECRET, TOKEN, "maria@example.org", "+15555550100"]


@pytest.fixture
def capture():
    """A logger wired like settings.LOGGING (JSON formatter, redacting filter); returns (logger, read)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.logging.canary")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.DEBUG

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield logger, read
    logger.handlers = []


def assert_clean(lines: list[dict]):
    text = json.dumps(lines)
    for canary in CANARIES:
        assert canary not in text, canary


def test_canaries_in_message_text_are_masked(capture):
    logger, read = capture
    logger.info(f"secret={SECRET} Authorization: Bearer {TOKEN} person {A_NUMBER} mail maria@example.org")
    logger.info(f'{{"client_secret": "{SECRET}"}} tel +15555550100')
    lines = read()
    assert_clean(lines)
    assert "[a-number]" in lines[0]["message"] and "[redacted]" in lines[0]["message"]


def test_canaries_in_arguments_are_withheld(capture):
    logger, read = capture
    logger.info("creating referral for %s (%s) with %s", NAME, A_NUMBER, SECRET)
    logger.info("person %s", FIRST_NAME)
    logger.info("person %s", "LOPEZ")
    logger.info("token %(token)s for %(who)s", {"token": TOKEN, "who": NAME})
    logger.warning("bad format %s %s", NAME)  # a broken format string must not leak its arguments
    logger.info("payload %s", {"given_name": FIRST_NAME, "a_number": A_NUMBER})
    lines = read()
    assert_clean(lines)
    assert lines[0]["message"] == "creating referral for [withheld] ([withheld]) with [withheld]"


def test_safe_arguments_are_kept(capture):
    logger, read = capture
    logger.info(
        "%s %s %s %s %s", "GET", "/api/v1/referrals/", 201, "3f2b8c1e-6a7d-4b7e-9a51-0c2f3d4e5f60", "invalid_scope"
    )
    assert read()[0]["message"] == "GET /api/v1/referrals/ 201 3f2b8c1e-6a7d-4b7e-9a51-0c2f3d4e5f60 invalid_scope"


def test_exception_messages_never_appear(capture):
    logger, read = capture
    try:
        try:
            raise KeyError(f"{NAME} {A_NUMBER}")
        except KeyError as inner:
            raise ValueError(f"duplicate key (a_number)=({A_NUMBER}) secret {SECRET} name {NAME}") from inner
    except ValueError as exc:
        logger.exception("create failed")
        logger.error("create failed: %s", exc)
        logger.error(exc)
        logger.error("failed", exc_info=exc, extra={"error": exc, "detail": f"token={TOKEN}"})
    lines = read()
    assert_clean(lines)
    assert "ValueError" in lines[0]["traceback"] and "KeyError" in lines[0]["traceback"]
    assert "message withheld" in lines[0]["traceback"]
    assert lines[1]["message"] == "create failed: [ValueError]"
    assert lines[2]["message"] == "[ValueError withheld]"


def test_formatter_alone_is_safe_too():
    """A handler configured without the filter still never emits a canary."""
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "who %s", (NAME,), None)
    record.token = f"Bearer {TOKEN}"
    line = json.loads(JsonFormatter().format(record))
    assert_clean([line])


def test_settings_wire_the_filter_and_formatter():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert console["formatter"] == "json" and "redact" in console["filters"]


@pytest.mark.django_db
def test_access_log_line_has_route_template_and_no_query_or_token(make_client):
    from rest_framework.test import APIClient

    from tests.conftest import obtain_token

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    access = logging.getLogger("referral_api.access")
    access.addHandler(handler)
    try:
        issued = make_client("CBP", "referrals:read")
        token = obtain_token(issued)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = client.get(f"/api/v1/me/?name={FIRST_NAME}&a={A_NUMBER}", HTTP_X_REQUEST_ID="req-log-1")
        assert response.status_code == 200
    finally:
        access.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    line = next(entry for entry in lines if entry.get("request_id") == "req-log-1")
    assert line["method"] == "GET"
    assert line["route"] == "api/v1/me/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert (line["client_id"], line["agency"]) == (issued.client.client_id, "CBP")
    text = stream.getvalue()
    for canary in [FIRST_NAME, A_NUMBER, token, issued.client_secret]:
        assert canary not in text
