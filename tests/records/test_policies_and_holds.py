"""Retention policies and legal holds: commands, validation, audit, and ``legal_hold`` in the representation."""

from __future__ import annotations

import io

import orjson
import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from records.models import LegalHold, RetentionPolicy
from referrals.models import Referral
from tests.records.conftest import CITATION


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_policy_set_creates_then_replaces_and_is_audited(seeded):
    run("retention_policy_set", "--record", "referral", "--referral-type", "victim_assistance", "--days", "30",
        "--citation", CITATION)  # fmt: skip
    run("retention_policy_set", "--record", "referral", "--referral-type", "victim_assistance", "--days", "365",
        "--citation", "GRS 5.2 item 020")  # fmt: skip
    policy = RetentionPolicy.objects.get()
    assert (policy.referral_type, policy.days, policy.citation) == ("victim_assistance", 365, "GRS 5.2 item 020")
    rows = AuditEntry.objects.filter(action="retention_policy.set", object_id=str(policy.pk)).order_by("id")
    assert [r.reason for r in rows] == ["days:30", "days:365"]
    assert all(r.client_id.startswith("manage.py:") and r.agency_code is None for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--referral-type", "not_a_type", "--days", "30", "--citation", CITATION], "Unknown referral type"),
        (["--referral-type", "victim_assistance", "--days", "-1", "--citation", CITATION], "--days"),
        (["--referral-type", "victim_assistance", "--days", "30", "--citation", "  "], "--citation"),
        (["--referral-type", "victim_assistance", "--days", "30", "--citation", "x" * 201], "200 characters"),
    ],
)
def test_bad_policy_is_refused_and_nothing_is_written(seeded, args, message):
    with pytest.raises(CommandError, match=message):
        run("retention_policy_set", "--record", "referral", *args)
    assert not RetentionPolicy.objects.exists()
    assert not AuditEntry.objects.filter(action="retention_policy.set").exists()


def test_unknown_type_exits_non_zero(seeded):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "retention_policy_set", "--record", "referral", "--referral-type", "nope",
         "--days", "1", "--citation", "x"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Unknown referral type" in result.stderr


def test_policy_list_json_and_table(seeded):
    assert orjson.loads(run("retention_policy_list", "--json")) == []
    assert "kept forever" in run("retention_policy_list")
    run("retention_policy_set", "--record", "referral", "--referral-type", "investigative_lead", "--days", "0",
        "--citation", CITATION)  # fmt: skip
    listed = orjson.loads(run("retention_policy_list", "--json"))
    assert [{k: v for k, v in p.items() if k != "updated_at"} for p in listed] == [
        {"record": "referral", "referral_type": "investigative_lead", "days": 0, "citation": CITATION}
    ]
    table = run("retention_policy_list")
    assert "investigative_lead" in table and CITATION in table and "victim_assistance" in table  # kept forever


def test_hold_shows_to_both_parties_and_release_clears_it(make_referral, cbp, ice):
    referral = make_referral("completed")
    url = f"/api/v1/referrals/{referral['id']}/"
    assert referral["legal_hold"] is False
    run("legal_hold_place", "--referral", referral["reference"], "--matter", "Doe v. DHS, litigation hold")
    assert cbp.get(url).json()["legal_hold"] is True
    assert ice.get(url).json()["legal_hold"] is True
    hold = LegalHold.objects.get()
    assert hold.matter == "Doe v. DHS, litigation hold" and hold.active
    run("legal_hold_release", "--referral", referral["reference"])
    assert cbp.get(url).json()["legal_hold"] is False
    hold.refresh_from_db()
    assert not hold.active and hold.released_by.startswith("manage.py:")
    actions = list(
        AuditEntry.objects.filter(object_id=referral["id"], action__startswith="legal_hold.")
        .order_by("id")
        .values_list("action", "reason")
    )
    assert actions == [("legal_hold.placed", f"legal_hold:{hold.pk}"), ("legal_hold.released", f"legal_hold:{hold.pk}")]
    # The matter is free text: never in the audit trail.
    assert not AuditEntry.objects.filter(purpose__icontains="Doe").exists()


def test_hold_refusals(make_referral):
    referral = make_referral("completed")
    with pytest.raises(CommandError, match="No referral"):
        run("legal_hold_place", "--referral", "REF-1999-000001", "--matter", "m")
    with pytest.raises(CommandError, match="not on legal hold"):
        run("legal_hold_release", "--referral", referral["reference"])
    with pytest.raises(CommandError, match="--matter"):
        run("legal_hold_place", "--referral", referral["reference"], "--matter", " ")
    run("legal_hold_place", "--referral", referral["reference"], "--matter", "m")
    with pytest.raises(CommandError, match="already on legal hold"):
        run("legal_hold_place", "--referral", referral["reference"], "--matter", "again")
    assert LegalHold.objects.count() == 1
    assert Referral.objects.get(pk=referral["id"]).legal_hold is True


def test_admin_places_and_releases_holds_and_sets_policies(make_referral, admin_client):
    referral = make_referral("completed")
    response = admin_client.post(
        "/admin/records/legalhold/add/", {"reference": referral["reference"], "matter": "OIG review"}
    )
    assert response.status_code == 302, response.content
    hold = LegalHold.objects.get()
    assert Referral.objects.get(pk=referral["id"]).legal_hold is True
    assert AuditEntry.objects.filter(action="legal_hold.placed", client_id="admin:admin").exists()
    # A second hold on the same referral is refused by the form.
    response = admin_client.post("/admin/records/legalhold/add/", {"reference": referral["reference"], "matter": "x"})
    assert response.status_code == 200 and LegalHold.objects.count() == 1
    response = admin_client.post("/admin/records/legalhold/", {"action": "release", "_selected_action": [str(hold.pk)]})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral["id"]).legal_hold is False
    response = admin_client.post(
        "/admin/records/retentionpolicy/add/",
        {"referral_type": "victim_assistance", "days": "10", "citation": CITATION},
    )
    assert response.status_code == 302, response.content
    assert RetentionPolicy.objects.get().days == 10
    assert AuditEntry.objects.filter(action="retention_policy.set", client_id="admin:admin").exists()
