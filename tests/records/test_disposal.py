"""Disposal: what is destroyed, what stays (tombstone, statistics, audit), 410 for parties and 404 for others,
holds, dry runs, idempotence and resumption."""

from __future__ import annotations

import io
import os

import orjson
import pytest
from django.core.management import call_command

from attachments.models import Attachment
from audit.models import AuditEntry
from events.models import Event
from records import services
from records.models import Disposal, PendingFileDeletion
from referrals.models import Case, Note, Person, Referral, StatusEvent
from tests.foundation.routes import api_operations
from tests.records.conftest import CITATION, age


def dispose(*args) -> list[dict]:
    out = io.StringIO()
    call_command("records_dispose", "--json", *args, stdout=out)
    return orjson.loads(out.getvalue())


def stored_files(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def test_dry_run_lists_and_changes_nothing(full_referral, policy):
    referral = full_referral()
    policy(days=30)
    age(referral["id"], 31)
    assert dispose("--dry-run") == [
        {"reference": referral["reference"], "referral_type": "victim_assistance", "citation": CITATION,
         "disposed": False}
    ]  # fmt: skip
    row = Referral.objects.get(pk=referral["id"])
    assert row.disposed_at is None and row.summary and Person.objects.filter(referral=row).exists()
    assert not Disposal.objects.exists()


def test_disposal_destroys_content_and_keeps_a_tombstone(full_referral, policy, attachment_dir):
    referral = full_referral()
    rid = referral["id"]
    assert len(stored_files(attachment_dir)) == 1
    person_id = referral["persons"][0]["id"]
    policy(days=30)
    age(rid, 31)

    assert dispose() == [
        {"reference": referral["reference"], "referral_type": "victim_assistance", "citation": CITATION,
         "disposed": True}
    ]  # fmt: skip

    row = Referral.objects.get(pk=rid)
    assert row.disposed_at is not None
    assert row.sealed is None and row.external_reference is None
    assert not Person.objects.filter(referral_id=rid).exists()
    assert not Case.objects.filter(referral_id=rid).exists()
    assert not Note.objects.filter(referral_id=rid).exists()
    assert not Attachment.objects.filter(referral_id=rid).exists()
    assert stored_files(attachment_dir) == []
    assert not PendingFileDeletion.objects.exists()
    assert not StatusEvent.objects.filter(referral_id=rid, sealed__isnull=False).exists()
    # The tombstone: codes, agencies, dates and the policy.
    tomb = Disposal.objects.get(referral_id=rid)
    assert (tomb.reference, tomb.referral_type, tomb.sender_agency, tomb.receiver_agency, tomb.final_status) == (
        referral["reference"],
        "victim_assistance",
        "CBP",
        "ICE",
        "completed",
    )
    assert (tomb.citation, tomb.policy_days) == (CITATION, 30)
    assert [str(p) for p in tomb.person_ids] == [person_id] and len(tomb.a_number_indexes) == 1
    # The audit trail records the disposition with the policy; the event goes to both parties.
    entry = AuditEntry.objects.get(action="referral.disposed", object_id=rid)
    assert entry.reason == f"retention_policy:{tomb.policy_id}" and CITATION in entry.purpose
    event = Event.objects.get(type="referral.disposed", referral_id=rid)
    assert event.agency_codes == ["CBP", "ICE"]
    assert event.data == {"referral_type": "victim_assistance", "citation": CITATION, "retention_days": 30}


def test_no_ciphertext_of_the_referral_is_left_in_the_database(full_referral, policy):
    """Every column of every row still pointing at the referral is plain (codes, dates) or NULL."""
    from django.apps import apps

    from referral_api.fields import ENCRYPTED_FIELD_TYPES, SealedField

    referral = full_referral()
    policy(days=0)
    dispose()
    for model in apps.get_models():
        kinds = (SealedField, *ENCRYPTED_FIELD_TYPES)
        encrypted = [f.name for f in model._meta.concrete_fields if isinstance(f, kinds)]
        links = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is Referral]
        if model is Referral:
            links = ["pk"]
        for link in links:
            rows = model._base_manager.filter(**{link: referral["id"]})
            for field in encrypted:
                assert not rows.filter(**{f"{field}__isnull": False}).exists(), (model.__name__, field)


def test_parties_get_410_on_every_route_and_others_404(full_referral, policy, cbp, ice, uscis):
    referral = full_referral()
    attachment_id = Attachment.objects.get(referral_id=referral["id"]).pk
    policy(days=0)
    dispose()
    operations = [op for op in api_operations() if op.route.startswith("referrals/<uuid:pk>/")]
    assert len(operations) >= 15
    for op in operations:
        path = "/api/v1/" + op.route.replace("<uuid:pk>", referral["id"]).replace(
            "<uuid:attachment_id>", str(attachment_id)
        ).replace("<uuid:person_id>", referral["persons"][0]["id"] if referral.get("persons") else str(attachment_id))
        for client in (cbp, ice):
            response = client.generic(op.method, path, "{}", content_type="application/json")
            assert response.status_code == 410, (op.id, response.status_code, response.content)
            body = response.json()
            assert body["type"].endswith("/gone") and response["Content-Type"] == "application/problem+json"
        response = uscis.generic(op.method, path, "{}", content_type="application/json")
        assert response.status_code == 404, (op.id, response.status_code)
    # Methods the route does not have answer 410 to a party too.
    assert cbp.delete(f"/api/v1/referrals/{referral['id']}/").status_code == 410


def test_disposed_referral_leaves_lists_but_statistics_stay_whole(full_referral, make_referral, policy, cbp, ice):
    disposed = full_referral()
    kept = make_referral("submitted")
    before = ice.get("/api/v1/stats/referrals/", {"group_by": "status"}).json()["results"]
    policy(days=0)
    dispose()
    listed = [r["id"] for r in cbp.get("/api/v1/referrals/").json()["results"]]
    assert listed == [kept["id"]]
    assert disposed["id"] not in [r["id"] for r in ice.get("/api/v1/referrals/?status=completed").json()["results"]]
    after = ice.get("/api/v1/stats/referrals/", {"group_by": "status"}).json()["results"]
    assert after == before
    assert {r["status"]: r["count"] for r in after} == {"completed": 1, "submitted": 1}


@pytest.mark.parametrize(
    ("status", "days_ago", "days", "disposed"),
    [
        ("completed", 31, 30, True),
        ("completed", 29, 30, False),
        ("rejected", 0, 0, True),
        ("withdrawn", 0, 0, True),
        ("accepted", 400, 0, False),  # not terminal: never disposed, whatever the policy
        ("submitted", 400, 0, False),
    ],
)
def test_only_terminal_referrals_past_their_period_are_disposed(
    make_referral, policy, status, days_ago, days, disposed
):
    referral = make_referral(status)
    policy(days=days)
    age(referral["id"], days_ago)  # a non-terminal referral gets a closed_at too: status alone must decide
    assert [r["reference"] for r in dispose()] == ([referral["reference"]] if disposed else [])
    assert Referral.objects.get(pk=referral["id"]).is_disposed is disposed


def test_no_policy_means_keep_and_another_types_policy_does_not_apply(make_referral, policy):
    referral = make_referral("completed")
    assert dispose() == []
    policy(referral_type="investigative_lead", days=0)
    assert dispose() == []
    assert not Referral.objects.get(pk=referral["id"]).is_disposed


def test_hold_blocks_disposal_and_release_allows_it(make_referral, policy):
    referral = make_referral("completed")
    policy(days=0)
    call_command(
        "legal_hold_place", "--referral", referral["reference"], "--matter", "OIG review", stdout=io.StringIO()
    )
    assert dispose("--dry-run") == []
    assert dispose() == []
    assert Person.objects.filter(referral_id=referral["id"]).exists()
    call_command("legal_hold_release", "--referral", referral["reference"], stdout=io.StringIO())
    assert [r["reference"] for r in dispose()] == [referral["reference"]]
    assert not Person.objects.filter(referral_id=referral["id"]).exists()
    with pytest.raises(Exception, match="disposed of"):
        call_command("legal_hold_place", "--referral", referral["reference"], "--matter", "late", stdout=io.StringIO())


def test_disposal_is_idempotent(make_referral, policy):
    referral = make_referral("completed")
    policy(days=0)
    assert len(dispose()) == 1
    assert dispose() == []
    assert Disposal.objects.count() == 1
    assert AuditEntry.objects.filter(action="referral.disposed", object_id=referral["id"]).count() == 1
    assert Event.objects.filter(type="referral.disposed").count() == 1


def test_an_interrupted_run_commits_whole_batches_and_the_next_run_finishes(make_referral, policy, monkeypatch):
    referrals = [make_referral("completed") for _ in range(3)]
    policy(days=0)
    calls = {"n": 0}
    real = services.keys.data_keys_destroy

    def crash_on_second_batch(*, referral_ids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real(referral_ids=referral_ids)

    monkeypatch.setattr(services.keys, "data_keys_destroy", crash_on_second_batch)
    with pytest.raises(RuntimeError):
        dispose("--batch-size", "1")
    disposed = {str(pk) for pk in Referral.objects.filter(disposed_at__isnull=False).values_list("pk", flat=True)}
    assert len(disposed) == 1
    # The failed batch left nothing half-done: people, tombstone, audit and event all absent for the others.
    for referral in referrals:
        if referral["id"] in disposed:
            continue
        assert Person.objects.filter(referral_id=referral["id"]).exists()
        assert not Disposal.objects.filter(referral_id=referral["id"]).exists()
        assert not AuditEntry.objects.filter(action="referral.disposed", object_id=referral["id"]).exists()
    monkeypatch.setattr(services.keys, "data_keys_destroy", real)
    assert len(dispose()) == 2
    assert Referral.objects.filter(disposed_at__isnull=False).count() == 3


def test_files_left_by_an_interrupted_run_are_deleted_by_the_next(full_referral, policy, attachment_dir, monkeypatch):
    referral = full_referral()
    policy(days=0)
    monkeypatch.setattr(services, "delete_object", lambda name: (_ for _ in ()).throw(OSError("storage down")))
    dispose()
    assert PendingFileDeletion.objects.filter(referral_id=referral["id"]).count() == 1
    assert len(stored_files(attachment_dir)) == 1
    monkeypatch.undo()
    assert dispose() == []
    assert not PendingFileDeletion.objects.exists()
    assert stored_files(attachment_dir) == []


def test_human_output_and_dry_run_wording(make_referral, policy):
    referral = make_referral("completed")
    policy(days=0)
    out = io.StringIO()
    call_command("records_dispose", "--dry-run", stdout=out)
    assert f"{referral['reference']}  victim_assistance  would dispose of under {CITATION}" in out.getvalue()
    assert "Dry run: 1 referral(s)" in out.getvalue()


def test_the_daily_job_is_on_the_beat_schedule_and_does_nothing_without_a_policy(make_referral):
    from records.tasks import records_dispose_daily
    from referral_api.celery import app

    assert app.conf.beat_schedule["records-dispose"]["task"] == "records.dispose"
    make_referral("completed")
    assert records_dispose_daily() == 0
    assert os.environ.get("RECORDS_NEVER_SET") is None
