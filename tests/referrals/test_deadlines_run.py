"""One registry of deadline jobs: the scheduler's task and ``manage.py deadlines_run`` run every one of them."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from referrals import deadlines

pytestmark = pytest.mark.django_db


def test_every_job_is_importable_and_the_command_runs_each_once(monkeypatch):
    monkeypatch.setattr(
        deadlines,
        "DEADLINE_JOBS",
        {"first": f"{__name__}._job_a", "second": f"{__name__}._job_b"},
    )
    _CALLS.clear()
    out = StringIO()
    call_command("deadlines_run", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"first": 1, "second": 2}
    assert _CALLS == ["a", "b"]


def test_registered_jobs_resolve_and_the_scheduler_runs_the_registry():
    from django.utils.module_loading import import_string

    for path in deadlines.DEADLINE_JOBS.values():
        assert callable(import_string(path))
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "referrals.deadlines_run" in tasks
    assert "referrals.mark_overdue" not in tasks  # one schedule entry for every deadline job


def test_command_without_json_names_each_job():
    out = StringIO()
    call_command("deadlines_run", stdout=out)
    for name in deadlines.DEADLINE_JOBS:
        assert f"{name}: 0 referral(s)" in out.getvalue()


_CALLS: list[str] = []


def _job_a() -> int:
    _CALLS.append("a")
    return 1


def _job_b() -> int:
    _CALLS.append("b")
    return 2
