"""agency_create and agency_route_set: idempotent, audited; a new agency is not 1367-marked unless told."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, Office, Route
from agencies.services import agencies_seed
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_agency_create_is_idempotent_audited_and_not_1367_marked_unless_told(seeded):
    args = ("agency_create", "--code", "HHS", "--name", "HHS Office on Trafficking in Persons",
            "--office", "OTIP:Office on Trafficking in Persons", "--json")  # fmt: skip
    first = json.loads(run(*args))
    assert first == {
        "code": "HHS", "name": "HHS Office on Trafficking in Persons", "may_receive_1367_protected": False,
        "offices": [{"code": "OTIP", "name": "Office on Trafficking in Persons"}], "created": True,
        "changes": ["agency created", "office OTIP created"],
    }  # fmt: skip
    audit_rows = AuditEntry.objects.filter(object_type="agency", object_id="HHS").count()
    assert audit_rows == 2
    second = json.loads(run(*args))
    assert second["created"] is False and second["changes"] == []
    assert AuditEntry.objects.filter(object_type="agency", object_id="HHS").count() == audit_rows
    assert Agency.objects.filter(code="HHS").count() == 1 and Office.objects.filter(agency__code="HHS").count() == 1
    # Told: the mark is added (and a rerun without the flag does not silently remove it).
    run("agency_create", "--code", "HHS", "--name", "HHS Office on Trafficking in Persons", "--may-receive-1367")
    run("agency_create", "--code", "HHS", "--name", "HHS Office on Trafficking in Persons")
    assert Agency.objects.get(code="HHS").may_receive_1367_protected is True
    assert AuditEntry.objects.filter(action="agency.updated", object_id="HHS").count() == 1


def test_agency_create_with_the_flag_marks_a_new_agency(seeded):
    run("agency_create", "--code", "DOJ", "--name", "Department of Justice", "--may-receive-1367")
    assert Agency.objects.get(code="DOJ").may_receive_1367_protected is True


@pytest.mark.parametrize(
    "args",
    [("--code", "hhs", "--name", "x"), ("--code", "HHS", "--name", " "),
     ("--code", "HHS", "--name", "x", "--office", "OTIP"), ("--code", "HHS", "--name", "x", "--office", "otip:Office")],
)  # fmt: skip
def test_agency_create_refuses_bad_input_and_writes_nothing(seeded, args):
    with pytest.raises(CommandError):
        run("agency_create", *args)
    assert not Agency.objects.filter(code__in=["HHS", "hhs"]).exists()


def test_agency_route_set_replaces_the_receivers_idempotently(seeded):
    run("agency_create", "--code", "HHS", "--name", "HHS OTIP")
    assert "HHS added" in run("agency_route_set", "--referral-type", "victim_assistance", "--agencies", "ICE,HHS")
    assert "unchanged" in run("agency_route_set", "--referral-type", "victim_assistance", "--agencies", "HHS,ICE")
    active = set(
        Route.objects.filter(referral_type="victim_assistance", active=True).values_list("agency__code", flat=True)
    )
    assert active == {"ICE", "HHS"}
    assert "ICE removed" in run("agency_route_set", "--referral-type", "victim_assistance", "--agencies", "HHS")
    active = set(
        Route.objects.filter(referral_type="victim_assistance", active=True).values_list("agency__code", flat=True)
    )
    assert active == {"HHS"}
    rows = AuditEntry.objects.filter(action="route.set", object_id="victim_assistance").order_by("id")
    assert [r.reason for r in rows] == ["hhs:ice", "hhs"]


@pytest.mark.parametrize(
    "args",
    [("--referral-type", "nope", "--agencies", "ICE"),
     ("--referral-type", "victim_assistance", "--agencies", "ICE,NOPE"),
     ("--referral-type", "victim_assistance", "--agencies", " , ")],
)  # fmt: skip
def test_agency_route_set_refuses_unknown_types_and_agencies_and_changes_nothing(seeded, args):
    before = list(Route.objects.filter(active=True).values_list("referral_type", "agency__code"))
    with pytest.raises(CommandError):
        run("agency_route_set", *args)
    assert list(Route.objects.filter(active=True).values_list("referral_type", "agency__code")) == before


def test_seeded_offices_use_their_real_names(db):
    agencies_seed()
    names = dict(Office.objects.values_list("code", "name"))
    assert names["HART"] == "Humanitarian, Adjustment, Removing Conditions and Travel Documents (HART) Service Center"
    assert names["CCHT"] == "DHS Center for Countering Human Trafficking (HSI-led)"
    assert "HTVU" not in names
