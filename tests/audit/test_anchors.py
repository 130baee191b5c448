"""Chain anchors are published automatically, once per head, outside the database; verify checks against them."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.anchors import anchor_name, audit_publish_anchor, latest_published_anchor
from audit.chain import audit_seal
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anchor_dir(tmp_path, settings):
    # Changing STORAGES resets Django's storage handler (setting_changed), so the task writes here.
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_anchors": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "anchors")},
        },
    }
    return tmp_path / "anchors"


def _write_and_seal(n: int) -> None:
    for i in range(n):
        audit_record(action="referral.read", object_type="referral", object_id=str(i))
    audit_seal()


def test_the_anchor_task_is_scheduled():
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audit.tasks.audit_publish_anchor" in schedule
    assert schedule["audit.tasks.audit_publish_anchor"]["schedule"] > 0


def test_publishes_the_head_once_as_a_log_line_and_a_new_object(anchor_dir, caplog):
    assert audit_publish_anchor() is None  # empty chain: nothing to anchor
    _write_and_seal(3)
    with caplog.at_level(logging.INFO, logger="audit.anchor"):
        anchor = audit_publish_anchor()
    assert anchor["chain_seq"] == 3 and len(anchor["row_hash"]) == 64
    stored = json.loads((anchor_dir / anchor_name(3)).read_text())
    assert stored["row_hash"] == anchor["row_hash"]
    (record,) = [r for r in caplog.records if r.name == "audit.anchor"]
    assert record.chain_seq == 3 and record.row_hash == anchor["row_hash"]
    # The same head is not published twice (a second scheduler, or nothing new since).
    assert audit_publish_anchor() is None
    _write_and_seal(2)
    assert audit_publish_anchor()["chain_seq"] == 5
    assert sorted(p.name for p in anchor_dir.iterdir()) == [anchor_name(3), anchor_name(5)]
    assert latest_published_anchor()[0] == 5


def test_verify_against_the_published_anchor(anchor_dir):
    with pytest.raises(CommandError, match="No chain anchor"):
        call_command("audit_verify", "--published-anchor", stdout=io.StringIO())
    _write_and_seal(2)
    audit_publish_anchor()
    out = io.StringIO()
    call_command("audit_verify", "--published-anchor", stdout=out)
    assert "intact" in out.getvalue()
    # An anchor the chain does not contain (a chain cut short and re-sealed): verification fails.
    (anchor_dir / anchor_name(9)).write_text(json.dumps({"chain_seq": 9, "row_hash": "f" * 64}))
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit_verify", "--published-anchor", stdout=io.StringIO())
