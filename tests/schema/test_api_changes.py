"""The change policy (docs/api-changes.md): no breaking change to the released contract without a new major version."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from schema.compat import breaking_changes, latest_release, load, major_recorded

ROOT = Path(__file__).resolve().parents[2]
RELEASED = latest_release(ROOT / "schema" / "released")
CURRENT = ROOT / "schema" / "openapi.yaml"


@pytest.fixture(scope="module")
def released() -> dict:
    return load(RELEASED)


def test_committed_schema_keeps_every_released_promise(released):
    current = load(CURRENT)
    problems = breaking_changes(released, current)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    allowed = major_recorded(changelog, released["info"]["version"], current["info"]["version"])
    assert not problems or allowed, "Breaking changes against " + RELEASED.name + ":\n" + "\n".join(problems)


def test_current_version_is_recorded_in_the_changelog():
    current = load(CURRENT)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{current['info']['version']}]" in changelog


def _broken(released: dict, mutate) -> list[str]:
    current = copy.deepcopy(released)
    mutate(current)
    return breaking_changes(released, current)


def _drop_parameter(operation: dict, name: str) -> None:
    operation["parameters"] = [p for p in operation["parameters"] if p.get("name") != name]


def _schemas(document: dict) -> dict:
    return document["components"]["schemas"]


@pytest.mark.parametrize(
    ("name", "mutate", "expected"),
    [
        ("removed path", lambda d: d["paths"].pop("/api/v1/me/"), "GET /api/v1/me/: path removed"),
        (
            "removed operation",
            lambda d: d["paths"]["/api/v1/referrals/{id}/"].pop("patch"),
            "PATCH /api/v1/referrals/{id}/: operation removed",
        ),
        (
            "removed response field",
            lambda d: _schemas(d)["Referral"]["properties"].pop("overdue"),
            "GET /api/v1/referrals/{id}/: response 200 field 'overdue' removed",
        ),
        (
            "removed enum value",
            lambda d: _schemas(d)["PriorityEnum"]["enum"].remove("urgent"),
            "POST /api/v1/referrals/: request field 'priority' no longer accepts urgent",
        ),
        (
            "new required request field",
            lambda d: _schemas(d)["ReferralCreateRequest"]["required"].append("external_reference"),
            "POST /api/v1/referrals/: request field 'external_reference' is now required",
        ),
        (
            "removed query parameter",
            lambda d: _drop_parameter(d["paths"]["/api/v1/referrals/"]["get"], "status"),
            "GET /api/v1/referrals/: query parameter 'status' removed",
        ),
    ],
)
def test_a_deliberately_broken_schema_is_caught(released, name, mutate, expected):
    problems = _broken(released, mutate)
    assert any(p.startswith(expected) for p in problems), problems


def test_additions_are_not_breaking(released):
    def add(d):
        _schemas(d)["Referral"]["properties"]["new_field"] = {"type": "string"}
        _schemas(d)["ReferralCreateRequest"]["properties"]["optional_field"] = {"type": "string"}
        _schemas(d)["PriorityEnum"]["enum"].append("someday")
        d["paths"]["/api/v1/new/"] = {"get": {"responses": {"200": {"description": "ok"}}}}

    assert _broken(released, add) == []


def test_a_break_is_allowed_only_under_a_recorded_new_major_version():
    changelog = "# Changelog\n\n## [2.0.0] - 2027-01-01\n### Removed\n- `GET /api/v1/me/`\n"
    assert major_recorded(changelog, "1.1.0", "2.0.0")
    assert not major_recorded(changelog, "1.1.0", "1.2.0")
    assert not major_recorded("# Changelog\n", "1.1.0", "2.0.0")


def test_the_command_exits_non_zero_on_a_break(released, tmp_path):
    import yaml

    from schema.compat import main

    broken = copy.deepcopy(released)
    broken["paths"].pop("/api/v1/me/")
    target = tmp_path / "broken.yaml"
    target.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert main([str(RELEASED), str(target)]) == 1
    assert main([str(RELEASED), str(CURRENT)]) == 0
