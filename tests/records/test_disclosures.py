"""Accounting of disclosures (5 U.S.C. 552a(c)): by A-number or person id, through the blind index, with the
receiving agency's reads, and disposed referrals listed from their tombstones."""

from __future__ import annotations

import copy
import io

import orjson
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from tests.records.conftest import age
from tests.referrals.conftest import BASE_PERSON, referral_body

OTHER = dict(copy.deepcopy(BASE_PERSON), a_number="A987654321", given_name="Ana")


def account(*args) -> list[dict]:
    out = io.StringIO()
    call_command("disclosures_account", "--json", *args, stdout=out)
    return orjson.loads(out.getvalue())


def test_each_disclosure_and_each_read_by_the_receiver(cbp, ice, uscis, make_referral):
    first = make_referral("submitted")
    ice.get(f"/api/v1/referrals/{first['id']}/", HTTP_X_PURPOSE_OF_USE="victim services intake")
    ice.get("/api/v1/referrals/")
    cbp.get(f"/api/v1/referrals/{first['id']}/")  # the sender's own read is not a disclosure
    body = referral_body(referral_type="information_request", receiver={"agency": "USCIS"})
    response = ice.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201, response.content
    second = response.json()
    unrelated = make_referral("submitted", persons=[OTHER])

    result = account("--a-number", "a123456789")

    assert [d["reference"] for d in result] == [first["reference"], second["reference"]]
    assert unrelated["reference"] not in [d["reference"] for d in result]
    one, two = result
    assert (one["from_agency"], one["to_agency"], one["purpose"]) == ("CBP", "ICE", "victim_assistance")
    assert (two["from_agency"], two["to_agency"], two["purpose"]) == ("ICE", "USCIS", "information_request")
    assert set(one) == {"reference", "from_agency", "to_agency", "disclosed_at", "purpose", "reads"}
    assert one["disclosed_at"] == first["created_at"]
    assert [(r["agency"], r["purpose"]) for r in one["reads"]] == [("ICE", "victim services intake"), ("ICE", None)]
    assert two["reads"] == []


def test_by_person_id_includes_every_referral_with_the_same_a_number(make_referral):
    first = make_referral("submitted")
    second = make_referral("submitted")
    result = account("--person-id", first["persons"][0]["id"])
    assert [d["reference"] for d in result] == [first["reference"], second["reference"]]


def test_disposed_referrals_stay_listed_from_their_tombstone(make_referral, ice, policy):
    referral = make_referral("completed")
    ice.get(f"/api/v1/referrals/{referral['id']}/")
    person_id = referral["persons"][0]["id"]
    before = account("--a-number", "A123456789")
    policy(days=0)
    age(referral["id"], 1)
    call_command("records_dispose", stdout=io.StringIO())
    assert account("--a-number", "A123456789") == before
    assert account("--person-id", person_id) == before


def test_matched_by_blind_index_without_decrypting_any_record(make_referral):
    for _ in range(3):
        make_referral("submitted", persons=[OTHER])
    make_referral("submitted")
    with CaptureQueriesContext(connection) as queries:
        result = account("--a-number", "A123456789")
    assert len(result) == 1
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # Only the index column is read from people: no encrypted column is selected.
    assert '"referrals_person"."a_number"' not in sql and "given_name" not in sql
    assert len(queries.captured_queries) <= 6


def test_table_output_and_audit(make_referral):
    referral = make_referral("submitted")
    out = io.StringIO()
    call_command("disclosures_account", "--a-number", "A123456789", stdout=out)
    text = out.getvalue()
    assert referral["reference"] in text and "CBP" in text and "victim_assistance" in text
    entry = AuditEntry.objects.get(action="disclosures.accounted")
    assert entry.reason == "by_a_number" and "A123456789" not in str(entry.__dict__)


@pytest.mark.parametrize(
    "args",
    [["--a-number", "123"], ["--a-number", "A12"], ["--person-id", "not-a-uuid"]],
)
def test_bad_queries_are_refused(seeded, args):
    with pytest.raises(CommandError):
        account(*args)


def test_unknown_person_has_no_disclosures(seeded):
    assert account("--a-number", "A000000000") == []
    out = io.StringIO()
    call_command("disclosures_account", "--person-id", "8d5a3d3e-1f55-4d6c-9b0e-6b0d4f3f2b11", stdout=out)
    assert "No disclosure" in out.getvalue()
