"""CP_REMINDER_DAYS and DEPRECATED_TYPES_SUNSET: read from the environment, refused at start-up when malformed."""

from __future__ import annotations

import json

import pytest

from tests.foundation.test_settings import production_env, python

PRINT = """
import json
import referral_api.settings as s
sunset = s.DEPRECATED_TYPES_SUNSET
print(json.dumps({"days": s.CP_REMINDER_DAYS, "sunset": sunset.isoformat() if sunset else None}))
"""


def read(**env) -> dict:
    result = python(PRINT, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_remind_at_90_and_30_days_and_set_no_sunset():
    assert read(CP_REMINDER_DAYS=None, DEPRECATED_TYPES_SUNSET=None) == {"days": [90, 30], "sunset": None}


def test_values_from_the_environment():
    assert read(CP_REMINDER_DAYS="7, 60,60", DEPRECATED_TYPES_SUNSET="2027-06-30") == {
        "days": [60, 7],
        "sunset": "2027-06-30",
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CP_REMINDER_DAYS", "ninety"),
        ("CP_REMINDER_DAYS", "0"),
        ("CP_REMINDER_DAYS", "731"),
        ("DEPRECATED_TYPES_SUNSET", "next summer"),
        ("DEPRECATED_TYPES_SUNSET", "2027-13-01"),
    ],
)
def test_malformed_values_stop_the_service_naming_the_setting(name, value):
    result = python("import referral_api.settings", production_env(**{name: value}))
    assert result.returncode != 0
    assert name in result.stderr
