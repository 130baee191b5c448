"""Deprecation headers (RFC 9745, RFC 8594, RFC 8288) and the refusal after sunset."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from rest_framework.request import Request

from referral_api.deprecation import (
    REGISTRY,
    Deprecation,
    DeprecationHeadersMiddleware,
    add_deprecation_headers,
    deprecation_register,
    deprecation_use,
    deprecations_markdown,
    deprecations_used,
    parse_sunset,
    refuse_after_sunset,
)
from referral_api.errors import RuleViolation
from referral_api.problems import domain_error_status

UTC = datetime.UTC
OLD_FIELD = Deprecation(
    key="test:old_field",
    what="`old_field`",
    instead="Send `new_field`.",
    deprecated_at=datetime.datetime(2026, 12, 1, tzinfo=UTC),
    sunset_setting="TEST_OLD_FIELD_SUNSET",
)
OLD_VALUE = Deprecation(
    key="test:old_value",
    what="`kind: old`",
    instead="Use `kind: new`.",
    deprecated_at=datetime.datetime(2026, 11, 1, tzinfo=UTC),
    docs_url="https://docs.example/old-value",
)


def _through_middleware(*deprecations, via_drf=False):
    request = RequestFactory().get("/api/v1/thing/")

    def view(django_request):
        caller = Request(django_request) if via_drf else django_request
        for deprecation in deprecations:
            deprecation_use(caller, deprecation, field="old_field")
        return HttpResponse("ok")

    return DeprecationHeadersMiddleware(view)(request)


def test_untouched_request_gets_no_deprecation_headers():
    response = _through_middleware()
    assert "Deprecation" not in response and "Sunset" not in response and "Link" not in response


@override_settings(TEST_OLD_FIELD_SUNSET=None)
def test_deprecation_header_is_an_rfc9651_date_and_link_points_at_the_docs():
    response = _through_middleware(OLD_FIELD, via_drf=True)
    # 2026-12-01T00:00:00Z as integer seconds since the epoch, prefixed with "@" (RFC 9745 §2.1).
    assert response["Deprecation"] == "@1796083200"
    assert "Sunset" not in response  # no sunset date set yet
    assert response["Link"] == '</api/redoc/#tag/Deprecations>; rel="deprecation"; type="text/html"'


@override_settings(TEST_OLD_FIELD_SUNSET="2027-06-30", DEPRECATION_DOCS_URL="https://docs.example/deprecations")
def test_sunset_is_an_http_date_once_set_and_the_docs_url_is_configurable():
    response = _through_middleware(OLD_FIELD)
    assert response["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert response["Link"] == '<https://docs.example/deprecations>; rel="deprecation"; type="text/html"'


@override_settings(TEST_OLD_FIELD_SUNSET="2027-06-30T12:00:00Z")
def test_several_deprecations_give_the_earliest_dates_and_every_link():
    response = _through_middleware(OLD_FIELD, OLD_VALUE, OLD_FIELD)
    assert response["Deprecation"] == "@" + str(int(OLD_VALUE.deprecated_at.timestamp()))
    assert response["Sunset"] == "Wed, 30 Jun 2027 12:00:00 GMT"
    assert response["Link"].count('rel="deprecation"') == 2
    assert "<https://docs.example/old-value>" in response["Link"]


def test_existing_link_header_is_kept():
    response = HttpResponse()
    response["Link"] = '<https://x.example/next>; rel="next"'
    add_deprecation_headers(response, [OLD_VALUE])
    assert response["Link"].startswith('<https://x.example/next>; rel="next", <https://docs.example/old-value>')


@override_settings(TEST_OLD_FIELD_SUNSET="2020-01-01")
def test_after_sunset_the_use_is_refused_with_422_naming_the_field_and_no_headers_are_noted():
    request = RequestFactory().post("/api/v1/thing/")
    with pytest.raises(RuleViolation) as caught:
        deprecation_use(request, OLD_FIELD, field="persons[0].old_field")
    problem = caught.value
    assert domain_error_status(problem) == (422, "validation-error")
    assert problem.extra["errors"] == [{"field": "persons[0].old_field", "code": "sunset", "message": problem.detail}]
    assert "Send `new_field`." in str(problem.detail)
    assert deprecations_used(request) == []


def test_sunset_boundary_is_the_sunset_instant():
    sunset_day = datetime.datetime(2027, 6, 30, tzinfo=UTC)
    with override_settings(TEST_OLD_FIELD_SUNSET="2027-06-30"):
        refuse_after_sunset(OLD_FIELD, field="f", now=sunset_day - datetime.timedelta(seconds=1))
        with pytest.raises(RuleViolation):
            refuse_after_sunset(OLD_FIELD, field="f", now=sunset_day)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2027-06-30", datetime.datetime(2027, 6, 30, tzinfo=UTC)),
        ("2027-06-30T10:00:00+02:00", datetime.datetime(2027, 6, 30, 8, tzinfo=UTC)),
        (datetime.date(2027, 1, 2), datetime.datetime(2027, 1, 2, tzinfo=UTC)),
    ],
)
def test_parse_sunset(value, expected):
    assert parse_sunset(value) == expected


@pytest.mark.parametrize("value", ["next year", "2027-13-01", "30/06/2027"])
def test_a_bad_sunset_setting_is_a_configuration_error(value):
    with pytest.raises(ImproperlyConfigured):
        parse_sunset(value, setting="X_SUNSET")


def test_registry_is_published_and_refuses_a_conflicting_redefinition(monkeypatch):
    monkeypatch.setattr("referral_api.deprecation.REGISTRY", dict(REGISTRY))
    assert deprecation_register(OLD_VALUE) is OLD_VALUE
    assert deprecation_register(OLD_VALUE) is OLD_VALUE
    with pytest.raises(ValueError):
        deprecation_register(
            Deprecation(key=OLD_VALUE.key, what="x", instead="y", deprecated_at=OLD_VALUE.deprecated_at)
        )
    assert "| `kind: old` | 2026-11-01 | not set yet | Use `kind: new`. |" in deprecations_markdown()
