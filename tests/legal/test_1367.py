"""8 U.S.C. 1367: per-person disclosure bases, the (b)(4) waiver rule, the protection endpoint and masking."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.management import call_command

from agencies.models import Agency
from audit.models import AuditEntry
from events.models import Event
from referrals.models import Person, Referral
from tests.problems import assert_problem
from tests.referrals.conftest import BASE_PERSON, referral_body

URL = "/api/v1/referrals/"
ADULT = {**BASE_PERSON}
MINOR_DOB = (datetime.date.today() - datetime.timedelta(days=365 * 15)).isoformat()


def person(**overrides) -> dict:
    return {**BASE_PERSON, "a_number": None, **overrides}


@pytest.fixture
def ice_unmarked(seeded):
    Agency.objects.filter(code="ICE").update(may_receive_1367_protected=False)


BASES = {
    "b2_law_enforcement": {"exception": "b2_law_enforcement", "authority": "HSI case 2026-17, AUSA request"},
    "b4_waiver": {"exception": "b4_waiver", "waiver_signed_on": "2026-11-01"},
    "b5_benefits": {"exception": "b5_benefits", "authority": "Eligibility determination, benefits MOU 2025"},
    "b6_victim_services": {"exception": "b6_victim_services", "authority": "VAP provider agreement 2026-3"},
}


# --- each exception, with and without its required fields ------------------------------------------------
@pytest.mark.parametrize("exception", list(BASES))
def test_each_exception_with_its_required_fields_discloses_the_person(cbp, ice, ice_unmarked, exception):
    body = referral_body(persons=[person(protected_1367=True, disclosure_basis=BASES[exception])])
    response = cbp.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    stored = Person.objects.get(referral_id=response.json()["id"])
    assert stored.disclosure_exception == exception
    # Shown to both parties; the receiver sees the person (the basis makes the disclosure lawful).
    for client in (cbp, ice):
        shown = client.get(f"{URL}{response.json()['id']}/").json()["persons"][0]
        assert shown["disclosure_basis"]["exception"] == exception
        assert shown["withheld"] is None and shown["given_name"] == "Maria"


@pytest.mark.parametrize(
    ("basis", "field", "code"),
    [
        ({"exception": "b2_law_enforcement"}, "authority", "required"),
        ({"exception": "b5_benefits", "authority": "  "}, "authority", "blank"),
        ({"exception": "b6_victim_services", "authority": None}, "authority", "required"),
        ({"exception": "b4_waiver"}, "waiver_signed_on", "required"),
        ({"exception": "b4_waiver", "waiver_signed_on": "2999-01-01"}, "waiver_signed_on", "future"),
        ({"exception": "b2_law_enforcement", "authority": "x", "waiver_signed_on": "2026-01-01"},
         "waiver_signed_on", "not_allowed"),
        ({"exception": "b3_judicial_review", "authority": "x"}, "exception", "invalid_choice"),
        ({"exception": "b6_victim_services", "authority": "x", "note": "x"}, "note", "unknown_field"),
        ({"authority": "x"}, "exception", "required"),
    ],
)  # fmt: skip
def test_each_exception_without_its_required_fields_is_400_naming_the_field(cbp, ice_unmarked, basis, field, code):
    body = referral_body(persons=[person(protected_1367=True, disclosure_basis=basis)])
    problem = assert_problem(
        cbp.post(URL, body, format="json"), 400, "validation-error", f"persons[0].disclosure_basis.{field}"
    )
    assert code in {e["code"] for e in problem["errors"]}
    assert not Referral.objects.exists()


def test_protected_person_without_a_basis_is_422_disclosure_basis_required_naming_the_person(cbp, ice_unmarked):
    body = referral_body(persons=[person(), person(protected_1367=True, given_name="Ana")])
    problem = assert_problem(
        cbp.post(URL, body, format="json"), 422, "disclosure-basis-required", "persons[1].disclosure_basis"
    )
    assert "Ana" not in str(problem)  # free text the caller sent is never echoed
    assert not Referral.objects.exists()


def test_a_marked_receiver_needs_no_basis(cbp):
    body = referral_body(persons=[person(protected_1367=True, protection_basis="t_visa")])
    assert cbp.post(URL, body, format="json").status_code == 201


@pytest.mark.parametrize("marked", [True, False])
def test_waiver_with_one_minor_among_three_adults_is_422_waiver_requires_adults(cbp, seeded, marked):
    Agency.objects.filter(code="ICE").update(may_receive_1367_protected=marked)
    persons = [person(protected_1367=True, disclosure_basis=BASES["b4_waiver"]) for _ in range(3)]
    persons.append(person(role="witness", date_of_birth=MINOR_DOB))
    problem = assert_problem(
        cbp.post(URL, referral_body(persons=persons), format="json"),
        422,
        "waiver-requires-adults",
        "persons[0].disclosure_basis.exception",
    )
    assert "1367(b)(4)" in problem["detail"]
    assert not Referral.objects.exists()


def test_waiver_minor_is_judged_at_the_encounter(cbp, ice_unmarked):
    # 18 today, but 17 when encountered two months ago: a minor in this case, so the waiver is void.
    today = datetime.date.today()
    dob = today.replace(year=today.year - 18) - datetime.timedelta(days=10)
    encountered = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=60)).isoformat()
    persons = [person(protected_1367=True, disclosure_basis=BASES["b4_waiver"]), person(date_of_birth=dob.isoformat())]
    body = referral_body(persons=persons, encountered_at=encountered.replace("+00:00", "Z"))
    assert_problem(cbp.post(URL, body, format="json"), 422, "waiver-requires-adults")


def test_waiver_among_adults_only_is_accepted(cbp, ice_unmarked):
    persons = [person(protected_1367=True, disclosure_basis=BASES["b4_waiver"]) for _ in range(3)]
    assert cbp.post(URL, referral_body(persons=persons), format="json").status_code == 201


def test_disclosure_basis_and_protection_fields_only_for_a_protected_person(cbp):
    body = referral_body(persons=[person(disclosure_basis=BASES["b6_victim_services"], protection_basis="u_visa")])
    problem = assert_problem(cbp.post(URL, body, format="json"), 400, "validation-error")
    fields = {e["field"] for e in problem["errors"]}
    assert {"persons[0].disclosure_basis", "persons[0].protection_basis"} <= fields


def test_consent_to_services_does_not_lift_1367(cbp, ice_unmarked):
    body = referral_body(
        persons=[person(protected_1367=True)],
        consent={"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "everything"},
    )
    assert_problem(cbp.post(URL, body, format="json"), 422, "disclosure-basis-required")


def test_patch_cannot_drop_protection(make_referral, cbp):
    referral = make_referral(persons=[person(protected_1367=True)])
    response = cbp.patch(
        f"{URL}{referral['id']}/", {"persons": [person()]}, format="json", HTTP_IF_MATCH=f'"{referral["version"]}"'
    )
    assert_problem(response, 422, "validation-error", "persons")
    assert Person.objects.get(referral_id=referral["id"]).protected_1367 is True


# --- protection endpoint: either party, masking -----------------------------------------------------------
def protection_url(referral_id, person_id):
    return f"{URL}{referral_id}/persons/{person_id}/protection/"


PROTECT = {"protected_1367": True, "protection_basis": "t_visa", "protection_ends_on": "2030-06-30"}


@pytest.mark.parametrize("side", ["sender", "receiver"])
def test_either_party_flags_protection_and_an_unmarked_receiver_sees_the_person_masked(
    make_referral, cbp, ice, ice_unmarked, side
):
    referral = make_referral()
    person_id = referral["persons"][0]["id"]
    actor = cbp if side == "sender" else ice
    response = actor.post(protection_url(referral["id"], person_id), PROTECT, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == referral["version"] + 1
    stored = Person.objects.get(pk=person_id)
    assert (stored.protected_1367, stored.protection_basis, str(stored.protection_ends_on)) == (
        True, "t_visa", "2030-06-30",
    )  # fmt: skip
    # The receiver (pii:read) no longer sees who the person is, on every read; languages stay.
    detail = ice.get(f"{URL}{referral['id']}/").json()["persons"][0]
    listed = ice.get(URL).json()["results"][0]["persons"][0]
    for shown in (detail, listed):
        assert shown["masked"] is True and shown["withheld"] == "1367"
        assert shown["given_name"] is None and shown["a_number"] is None and shown["date_of_birth"] is None
        assert shown["protection_basis"] is None  # it would disclose the relief applied for
        assert shown["languages"] == ["es"] and shown["interpreter_needed"] is False and shown["protected_1367"]
    # The sender always sees what it sent.
    mine = cbp.get(f"{URL}{referral['id']}/").json()["persons"][0]
    assert mine["withheld"] is None and mine["given_name"] == "Maria" and mine["protection_basis"] == "t_visa"
    event = Event.objects.get(type="referral.protection_changed", referral_id=referral["id"])
    assert set(event.data) == {"person_id", "changed_by", "changed_fields", "version"}
    assert event.data["person_id"] == person_id and event.data["changed_by"] == side
    assert "Maria" not in str(event.data)
    assert AuditEntry.objects.filter(action="referral.protection_changed", object_id=referral["id"]).count() == 1


def test_a_marked_receiver_keeps_seeing_a_flagged_person(make_referral, cbp, ice):
    referral = make_referral()
    cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), PROTECT, format="json")
    shown = ice.get(f"{URL}{referral['id']}/").json()["persons"][0]
    assert shown["withheld"] is None and shown["given_name"] == "Maria"


def test_a_basis_recorded_before_keeps_the_person_visible(make_referral, cbp, ice, ice_unmarked):
    referral = make_referral(persons=[person(protected_1367=True, disclosure_basis=BASES["b2_law_enforcement"])])
    cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), PROTECT, format="json")
    assert ice.get(f"{URL}{referral['id']}/").json()["persons"][0]["withheld"] is None


def test_protection_is_never_removed_and_its_basis_never_replaced(make_referral, cbp, ice):
    referral = make_referral()
    url = protection_url(referral["id"], referral["persons"][0]["id"])
    assert cbp.post(url, PROTECT, format="json").status_code == 200
    assert_problem(cbp.post(url, {"protected_1367": False}, format="json"), 422, "validation-error", "protected_1367")
    assert_problem(
        ice.post(url, {**PROTECT, "protection_basis": "u_visa"}, format="json"), 422, "validation-error",
        "protection_basis",
    )  # fmt: skip
    # The end date can change, by either party.
    response = ice.post(url, {"protected_1367": True, "protection_ends_on": "2031-01-31"}, format="json")
    assert response.status_code == 200
    stored = Person.objects.get(pk=referral["persons"][0]["id"])
    assert stored.protected_1367 and stored.protection_basis == "t_visa"
    assert str(stored.protection_ends_on) == "2031-01-31"


def test_repeating_the_same_protection_changes_nothing(make_referral, cbp):
    referral = make_referral()
    url = protection_url(referral["id"], referral["persons"][0]["id"])
    first = cbp.post(url, PROTECT, format="json").json()
    second = cbp.post(url, PROTECT, format="json").json()
    assert second["version"] == first["version"]
    assert Event.objects.filter(type="referral.protection_changed").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "protected_1367"), ({"protected_1367": True, "protection_basis": "green_card"}, "protection_basis"),
     ({"protected_1367": True, "protection_ends_on": "soon"}, "protection_ends_on"),
     ({"protected_1367": True, "given_name": "x"}, "given_name")],
)  # fmt: skip
def test_protection_body_is_validated(make_referral, cbp, body, field):
    referral = make_referral()
    response = cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), body, format="json")
    assert_problem(response, 400, "validation-error", field)


def test_protection_on_a_terminal_referral_is_409(make_referral, cbp):
    referral = make_referral("withdrawn")
    response = cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), PROTECT, format="json")
    assert_problem(response, 409, "invalid-transition")


def test_protection_with_a_stale_if_match_is_412(make_referral, cbp):
    referral = make_referral()
    url = protection_url(referral["id"], referral["persons"][0]["id"])
    assert cbp.post(url, PROTECT, format="json", HTTP_IF_MATCH='"9"').status_code == 412
    assert not Person.objects.get(pk=referral["persons"][0]["id"]).protected_1367


def test_protection_route_matrix(make_referral, api, anon):
    referral = make_referral()
    url = protection_url(referral["id"], referral["persons"][0]["id"])
    assert anon.post(url, PROTECT, format="json").status_code == 401
    assert api("CBP", "referrals:read").post(url, PROTECT, format="json").status_code == 403
    assert api("USCIS").post(url, PROTECT, format="json").status_code == 404  # not a party
    other = make_referral()
    wrong_person = protection_url(referral["id"], other["persons"][0]["id"])
    assert api("CBP").post(wrong_person, PROTECT, format="json").status_code == 404
    assert api("CBP").post(protection_url(referral["id"], uuid.uuid4()), PROTECT, format="json").status_code == 404
    assert not Person.objects.filter(protected_1367=True).exists()


def test_protection_query_count(make_referral, cbp, django_assert_max_num_queries):
    referral = make_referral()
    cbp.get(f"{URL}{referral['id']}/")
    with django_assert_max_num_queries(16):
        response = cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), PROTECT, format="json")
    assert response.status_code == 200


def test_a_masked_person_is_not_revealed_through_possible_duplicates(make_referral, cbp, ice, ice_unmarked):
    referral = make_referral(persons=[person(a_number="A987654321")])
    cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), PROTECT, format="json")
    # The receiver now sends its own referral naming the same A-number: no match may point at the masked person.
    body = referral_body(
        referral_type="information_request", receiver={"agency": "CBP"}, persons=[person(a_number="A987654321")]
    )
    created = ice.post(URL, body, format="json").json()
    assert created["possible_duplicates"] == []
    # The sender, who sees the person, is told.
    again = cbp.post(URL, referral_body(persons=[person(a_number="A987654321")]), format="json").json()
    assert referral["id"] in [d["id"] for d in again["possible_duplicates"]]


def test_a_flagged_person_later_recalled_is_withheld_for_recall(make_referral, cbp, ice, ice_unmarked):
    referral = make_referral()
    cbp.post(protection_url(referral["id"], referral["persons"][0]["id"]), PROTECT, format="json")
    cbp.post(f"{URL}{referral['id']}/recall/", {"reason": "Sent in error."}, format="json")
    shown = ice.get(f"{URL}{referral['id']}/").json()["persons"][0]
    assert shown["withheld"] == "recall" and shown["protected_1367"] is None and shown["languages"] is None


# --- agencies outside DHS -----------------------------------------------------------------------------------
def test_a_protected_person_to_an_agency_created_by_agency_create(cbp, seeded):
    call_command("agency_create", "--code", "HHS", "--name", "HHS Office on Trafficking in Persons",
                 "--office", "OTIP:Office on Trafficking in Persons", stdout=open("/dev/null", "w"))  # fmt: skip
    call_command("agency_route_set", "--referral-type", "victim_assistance", "--agencies", "ICE,HHS",
                 stdout=open("/dev/null", "w"))  # fmt: skip
    assert Agency.objects.get(code="HHS").may_receive_1367_protected is False
    body = referral_body(receiver={"agency": "HHS", "office": "OTIP"}, persons=[person(protected_1367=True)])
    assert_problem(cbp.post(URL, body, format="json"), 422, "disclosure-basis-required", "persons[0].disclosure_basis")
    body["persons"][0]["disclosure_basis"] = BASES["b6_victim_services"]
    assert cbp.post(URL, body, format="json").status_code == 201
