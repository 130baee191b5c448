"""Create, read, list, edit: the contract's rules, need to know, masking, strict input."""

from __future__ import annotations

import copy
import datetime
import uuid

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from referrals.models import Case, Note, Person, Referral, StatusEvent
from tests.problems import assert_problem
from tests.referrals.conftest import BASE_PERSON, referral_body

URL = "/api/v1/referrals/"


def person(**overrides):
    data = copy.deepcopy(BASE_PERSON)
    data.update(overrides)
    return data


# --- create ------------------------------------------------------------------------------------------------
def test_create_returns_the_contract_shape(cbp):
    response = cbp.post(URL, referral_body(priority="urgent"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/v1/referrals/{body['id']}/")
    assert response["ETag"] == '"1"'
    assert body["status"] == "submitted" and body["version"] == 1
    assert body["sender"] == {"agency": "CBP", "office": None}
    assert body["receiver"] == {"agency": "ICE", "office": "VAP"}
    assert body["reference"].startswith(f"REF-CBP-{timezone.now().year}-")
    assert body["allowed_actions"] == ["withdraw", "recall"]
    assert body["persons"][0]["given_name"] == "Maria" and body["persons"][0]["masked"] is False
    assert body["persons"][0]["is_minor"] is False
    assert body["possible_duplicates"] == []
    created = datetime.datetime.fromisoformat(body["created_at"])
    assert datetime.datetime.fromisoformat(body["acknowledge_by"]) - created == datetime.timedelta(hours=24)
    # What landed in the database.
    row = Referral.objects.get(pk=body["id"])
    assert row.sender_agency.code == "CBP" and row.sender_client_id == cbp.issued.client.client_id
    assert Person.objects.filter(referral=row).count() == 1
    assert StatusEvent.objects.filter(referral=row, to_status="submitted").count() == 1
    assert AuditEntry.objects.filter(action="referral.created", object_id=str(row.pk)).count() == 1


@pytest.mark.parametrize(("priority", "hours"), [("immediate_danger", 1), ("urgent", 24), ("routine", 72)])
def test_acknowledge_by_follows_priority(cbp, priority, hours):
    body = cbp.post(URL, referral_body(priority=priority), format="json").json()
    created = datetime.datetime.fromisoformat(body["created_at"])
    assert datetime.datetime.fromisoformat(body["acknowledge_by"]) - created == datetime.timedelta(hours=hours)


@pytest.mark.parametrize("minor", [{"date_of_birth": "2012-01-01"}, {"is_minor": True, "date_of_birth": None}])
def test_minor_raises_priority_and_starts_hhs_clock(cbp, minor):
    response = cbp.post(URL, referral_body(priority="routine", persons=[person(**minor)]), format="json")
    body = response.json()
    assert body["priority"] == "urgent"
    assert body["persons"][0]["is_minor"] is True
    assert body["hhs_notification"]["required"] is True
    created = datetime.datetime.fromisoformat(body["created_at"])
    assert datetime.datetime.fromisoformat(body["hhs_notification"]["due_by"]) - created == datetime.timedelta(hours=24)


def test_minor_never_lowers_immediate_danger(cbp):
    body = cbp.post(
        URL, referral_body(priority="immediate_danger", persons=[person(date_of_birth="2015-05-05")]), format="json"
    ).json()
    assert body["priority"] == "immediate_danger"


def test_routing_table_is_enforced(cbp):
    response = cbp.post(
        URL, referral_body(referral_type="continued_presence", receiver={"agency": "USCIS"}), format="json"
    )
    assert_problem(response, 422, "validation-error", "receiver.agency")
    assert Referral.objects.count() == 0


def test_routing_follows_the_table_not_code(cbp):
    from agencies.models import Agency, Route

    Route.objects.create(referral_type="continued_presence", agency=Agency.objects.get(code="USCIS"))
    response = cbp.post(
        URL, referral_body(referral_type="continued_presence", receiver={"agency": "USCIS"}), format="json"
    )
    assert response.status_code == 201


def test_referral_to_own_agency_is_refused(cbp):
    response = cbp.post(
        URL, referral_body(referral_type="information_request", receiver={"agency": "CBP"}), format="json"
    )
    assert_problem(response, 422, "validation-error", "receiver.agency")


@pytest.mark.parametrize(
    "consent", [None, {"obtained": False}, {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "all"}]
)
def test_1367_protected_person_needs_an_allowed_receiver_or_a_basis_and_consent_does_not_lift_it(cbp, consent):
    from agencies.models import Agency

    Agency.objects.filter(code="ICE").update(may_receive_1367_protected=False)
    body = referral_body(persons=[person(protected_1367=True)], consent=consent)
    assert_problem(cbp.post(URL, body, format="json"), 422, "disclosure-basis-required", "persons[0].disclosure_basis")
    body["persons"][0]["disclosure_basis"] = {"exception": "b6_victim_services", "authority": "VAP agreement 2026-3"}
    assert cbp.post(URL, body, format="json").status_code == 201


def test_1367_protected_person_to_an_allowed_agency(cbp):
    assert (
        cbp.post(URL, referral_body(persons=[person(protected_1367=True)], consent=None), format="json").status_code
        == 201
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"referral_type": "victim_assistance", "persons": [person(role="suspect")]}, "persons"),
        ({"referral_type": "continued_presence", "persons": []}, "persons"),
        ({"referral_type": "immigration_relief_screening", "receiver": {"agency": "USCIS"}, "persons": []}, "persons"),
        ({"referral_type": "investigative_lead", "case": None}, "case"),
        ({"referral_type": "information_request", "persons": [], "case": None}, "persons"),
    ],
)
def test_shape_rules_of_victim_and_case_referrals(cbp, overrides, field):
    assert_problem(cbp.post(URL, referral_body(**overrides), format="json"), 400, "validation-error", field)


def test_case_referral(cbp, ice):
    case = {
        "sender_case_number": "OFO-CASE-77",
        "title": "Farm labor contractor",
        "locations": [{"city": "Salinas", "state": "CA", "country": "US", "description": "fields"}],
        "organizations": [{"name": "Acme Farms", "kind": "farm"}],
    }
    body = referral_body(
        referral_type="investigative_lead", receiver={"agency": "ICE", "office": "HSI"}, case=case,
        persons=[person(role="suspect"), person(role="potential_victim", a_number=None)],
    )  # fmt: skip
    response = cbp.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["case"] == case
    assert Case.objects.filter(referral_id=response.json()["id"]).exists()


def test_at_most_100_persons(cbp):
    persons = [person(a_number=None) for _ in range(101)]
    assert_problem(cbp.post(URL, referral_body(persons=persons), format="json"), 400, "validation-error", "persons")


def test_unknown_fields_are_refused_at_every_level(cbp):
    body = referral_body(favourite_colour="blue")
    body["persons"][0]["shoe_size"] = 9
    body["persons"][0]["safe_contact"]["pager"] = "x"
    body["receiver"]["building"] = "B"
    problem = assert_problem(cbp.post(URL, body, format="json"), 400, "validation-error")
    fields = {e["field"] for e in problem["errors"]}
    assert {"favourite_colour", "persons[0].shoe_size", "persons[0].safe_contact.pager", "receiver.building"} <= fields
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "00000000-0000-4000-8000-000000000001"),
        ("status", "completed"),
        ("sender", {"agency": "ICE"}),
        ("version", 7),
        ("reference", "REF-1"),
        ("created_at", "2026-01-01T00:00:00Z"),
        ("acknowledge_by", "2030-01-01T00:00:00Z"),
        ("allowed_actions", ["accept"]),
        ("outcome", "done"),
    ],
)
def test_server_owned_fields_are_refused(cbp, field, value):
    body = referral_body()
    body[field] = value
    problem = assert_problem(cbp.post(URL, body, format="json"), 400, "validation-error", field)
    assert next(e for e in problem["errors"] if e["field"] == field)["code"] == "read_only"
    assert Referral.objects.count() == 0


def test_server_owned_person_fields_are_refused(cbp):
    body = referral_body(persons=[person(id=str(uuid.uuid4()), masked=False)])
    problem = assert_problem(cbp.post(URL, body, format="json"), 400, "validation-error")
    assert {"persons[0].id", "persons[0].masked"} <= {e["field"] for e in problem["errors"]}


BAD_INPUT = [
    ({"referral_type": "smuggling"}, "referral_type"),
    ({"priority": "whenever"}, "priority"),
    ({"receiver": {"agency": "FBI"}}, "receiver.agency"),
    ({"receiver": {"agency": "ice"}}, "receiver.agency"),
    ({"receiver": {"agency": "ICE", "office": "NOPE"}}, "receiver.office"),
    ({"receiver": "ICE"}, "receiver"),
    ({"summary": ""}, "summary"),
    ({"summary": "x" * 501}, "summary"),
    ({"summary": "bad\x00byte"}, "summary"),
    ({"summary": "bell\x07"}, "summary"),
    ({"summary": None}, "summary"),
    ({"narrative": "x" * 20001}, "narrative"),
    ({"trafficking_types": ["organ"]}, "trafficking_types"),
    ({"trafficking_types": ["sex", "sex"]}, "trafficking_types"),
    ({"trafficking_types": "sex"}, "trafficking_types"),
    ({"indicators": ["looks_sad"]}, "indicators"),
    ({"external_reference": "x" * 101}, "external_reference"),
    ({"related_referral": "not-a-uuid"}, "related_referral"),
    ({"related_referral": "00000000-0000-4000-8000-000000000002"}, "related_referral"),
    ({"consent": {"obtained": True}}, "consent.obtained_at"),
    ({"consent": {"obtained": True, "obtained_at": "yesterday"}}, "consent.obtained_at"),
    ({"consent": {"obtained": True, "obtained_at": "2999-01-01T00:00:00Z"}}, "consent.obtained_at"),
    ({"persons": [person(a_number="123456789")]}, "persons[0].a_number"),
    ({"persons": [person(a_number="A1234567")]}, "persons[0].a_number"),
    ({"persons": [person(a_number="A1234567890")]}, "persons[0].a_number"),
    ({"persons": [person(date_of_birth="1999-02-30")]}, "persons[0].date_of_birth"),
    ({"persons": [person(date_of_birth="2999-01-01")]}, "persons[0].date_of_birth"),
    ({"persons": [person(date_of_birth="01/04/1999")]}, "persons[0].date_of_birth"),
    ({"persons": [person(citizenships=["XX"])]}, "persons[0].citizenships"),
    ({"persons": [person(citizenships=["hn"])]}, "persons[0].citizenships"),
    ({"persons": [person(languages=["spanish"])]}, "persons[0].languages"),
    ({"persons": [person(languages=["xx-invalid"])]}, "persons[0].languages"),
    ({"persons": [person(sex="f")]}, "persons[0].sex"),
    ({"persons": [person(role="trafficker")]}, "persons[0].role"),
    ({"persons": [person(given_name="x" * 201)]}, "persons[0].given_name"),
    ({"persons": [person(given_name="Ma\x00ria")]}, "persons[0].given_name"),
    ({"persons": [person(safe_contact={"phone": "555-0100"})]}, "persons[0].safe_contact.phone"),
    ({"persons": [person(location={"country": "USA"})]}, "persons[0].location.country"),
    ({"persons": [person(protected_1367="maybe")]}, "persons[0].protected_1367"),
    ({"persons": "Maria"}, "persons"),
    ({"case": {"title": "x" * 301}}, "case.title"),
    ({"case": {"organizations": [{"kind": "farm"}]}}, "case.organizations[0].name"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_INPUT, ids=[f for _, f in BAD_INPUT])
def test_bad_input_names_the_field_and_writes_nothing(cbp, overrides, field):
    response = cbp.post(URL, referral_body(**overrides), format="json")
    assert response.status_code in (400, 422), response.content
    fields = {e["field"] for e in response.json()["errors"]}
    assert field in fields or any(f and f.startswith(field) for f in fields), response.json()
    assert Referral.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null", b"{", b'{"a": 1,}', b"\xff\xfe"])
def test_non_object_or_malformed_json_is_400(cbp, body):
    response = cbp.post(URL, body, content_type="application/json")
    assert_problem(response, 400, "validation-error")


def test_deeply_nested_json_is_refused(cbp):
    body = b'{"summary": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert_problem(cbp.post(URL, body, content_type="application/json"), 400, "validation-error")


def test_external_reference_is_unique_per_sender(cbp, uscis):
    body = referral_body(external_reference="DUP-1")
    assert cbp.post(URL, body, format="json").status_code == 201
    assert_problem(cbp.post(URL, body, format="json"), 409, "validation-error", "external_reference")
    # Another sending agency may use the same reference.
    other = referral_body(external_reference="DUP-1", receiver={"agency": "ICE"})
    assert uscis.post(URL, other, format="json").status_code == 201


def test_possible_duplicates_only_among_visible_referrals(cbp, uscis):
    first = cbp.post(URL, referral_body(), format="json").json()
    second = cbp.post(URL, referral_body(), format="json").json()
    assert second["possible_duplicates"] == [{"id": first["id"], "reference": first["reference"], "match": [
        "a_number", "name_and_date_of_birth"]}]  # fmt: skip
    # USCIS cannot see CBP's referrals: the same person gives it no hint of them.
    third = uscis.post(URL, referral_body(), format="json").json()
    assert third["possible_duplicates"] == []


def test_name_match_is_normalised(cbp):
    cbp.post(URL, referral_body(persons=[person(a_number=None)]), format="json")
    second = cbp.post(
        URL, referral_body(persons=[person(a_number=None, given_name=" MARÍA ", family_name="lopez")]), format="json"
    ).json()
    assert second["possible_duplicates"][0]["match"] == ["name_and_date_of_birth"]


def test_related_referral_must_be_visible(cbp, uscis):
    mine = cbp.post(URL, referral_body(), format="json").json()
    follow_up = cbp.post(URL, referral_body(related_referral=mine["id"]), format="json")
    assert follow_up.status_code == 201 and follow_up.json()["related_referral"] == mine["id"]
    stranger = uscis.post(URL, referral_body(related_referral=mine["id"]), format="json")
    assert_problem(stranger, 422, "validation-error", "related_referral")


# --- masking -----------------------------------------------------------------------------------------------
IDENTIFYING = ("given_name", "family_name", "aliases", "date_of_birth", "a_number", "other_identifiers",
               "safe_contact", "location")  # fmt: skip


def assert_masked(p):
    assert p["masked"] is True
    assert all(p[f] is None for f in IDENTIFYING)
    assert p["role"] and p["sex"] and p["citizenships"] == ["HN"] and p["languages"] == ["es"]
    assert "is_minor" in p and "protected_1367" in p


def test_masking_without_pii_read_everywhere(api, cbp):
    sender = api("CBP", "referrals:read referrals:write")
    created = sender.post(URL, referral_body(), format="json")
    assert_masked(created.json()["persons"][0])
    rid = created.json()["id"]
    receiver = api("ICE", "referrals:read referrals:write")
    assert_masked(receiver.get(f"{URL}{rid}/").json()["persons"][0])
    assert_masked(receiver.get(URL).json()["results"][0]["persons"][0])
    acted = receiver.post(f"{URL}{rid}/acknowledge/", {}, format="json")
    assert_masked(acted.json()["persons"][0])
    patched = sender.patch(f"{URL}{rid}/", {"summary": "new"}, format="json", HTTP_IF_MATCH='"2"')
    assert_masked(patched.json()["persons"][0])
    assert "Maria" not in (created.content + acted.content + patched.content).decode()
    # With pii:read the same referral shows the person.
    full = api("CBP", "referrals:read pii:read").get(f"{URL}{rid}/").json()["persons"][0]
    assert full["given_name"] == "Maria" and full["masked"] is False


# --- need to know ------------------------------------------------------------------------------------------
def test_other_agency_gets_404_on_every_route(make_referral, uscis):
    referral = make_referral()
    rid = referral["id"]
    for method, path, body in [
        ("get", f"{URL}{rid}/", None),
        ("patch", f"{URL}{rid}/", {"summary": "x"}),
        ("get", f"{URL}{rid}/history/", None),
        ("get", f"{URL}{rid}/notes/", None),
        ("post", f"{URL}{rid}/notes/", {"body": "x", "information_source": "other"}),
        *[("post", f"{URL}{rid}/{a}/", {}) for a in ("acknowledge", "accept", "reject", "request-info", "respond",
                                                      "start", "hold", "resume", "complete", "withdraw")],
    ]:  # fmt: skip
        response = getattr(uscis, method)(path, body, format="json", HTTP_IF_MATCH='"1"')
        assert_problem(response, 404, "not-found")
    assert rid not in {r["id"] for r in uscis.get(URL).json()["results"]}
    assert Referral.objects.get(pk=rid).version == 1
    assert not Note.objects.filter(referral_id=rid).exists()
    denied = AuditEntry.objects.filter(action="referral.access_denied", object_id=rid, agency_code="USCIS")
    assert denied.count() == 15


def test_unknown_referral_is_404(cbp):
    assert_problem(cbp.get(f"{URL}{uuid.uuid4()}/"), 404, "not-found")
    assert_problem(cbp.get(f"{URL}not-a-uuid/"), 404, "not-found")


def test_same_agency_other_client_sees_the_referral(make_referral, api):
    referral = make_referral()
    assert api("CBP", "referrals:read").get(f"{URL}{referral['id']}/").status_code == 200


# --- list, filters, pagination -----------------------------------------------------------------------------
def test_list_filters(make_referral, cbp, ice, uscis):
    a = make_referral(priority="immediate_danger")
    b = make_referral("accepted")
    c = make_referral(sender=uscis, receiver=ice)
    Referral.objects.filter(pk=a["id"]).update(acknowledge_by=timezone.now() - datetime.timedelta(minutes=1))

    def ids(client, query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids(ice, "") == {a["id"], b["id"], c["id"]}
    assert ids(cbp, "") == {a["id"], b["id"]}
    assert ids(ice, "?status=accepted") == {b["id"]}
    assert ids(ice, "?status=accepted,submitted") == {a["id"], b["id"], c["id"]}
    assert ids(ice, "?priority=immediate_danger") == {a["id"]}
    assert ids(ice, "?direction=incoming") == {a["id"], b["id"], c["id"]}
    assert ids(ice, "?direction=outgoing") == set()
    assert ids(ice, "?sender=USCIS") == {c["id"]}
    assert ids(cbp, "?receiver=ICE") == {a["id"], b["id"]}
    assert ids(ice, "?overdue=true") == {a["id"]}
    assert ids(ice, "?overdue=false") == {b["id"], c["id"]}
    assert ids(ice, f"?external_reference={c['external_reference']}") == {c["id"]}
    assert ids(ice, "?referral_type=victim_assistance") == {a["id"], b["id"], c["id"]}
    assert ids(ice, "?created_after=2999-01-01T00:00:00Z") == set()
    assert ids(ice, "?created_before=2999-01-01T00:00:00Z") == {a["id"], b["id"], c["id"]}
    assert ids(ice, "?updated_after=2000-01-01T00:00:00Z") == {a["id"], b["id"], c["id"]}
    overdue = ice.get(f"{URL}{a['id']}/").json()
    assert overdue["overdue"] is True


@pytest.mark.parametrize(
    "query",
    ["status=lost", "status=", "priority=high", "direction=sideways", "sender=FBI", "overdue=maybe",
     "created_after=yesterday", "referral_type=x", "page_size=0", "page_size=201", "page_size=abc", "cursor=%%%",
     "given_name=Maria", "a_number=A123456789", "status=submitted&status=accepted"],
)  # fmt: skip
def test_bad_filters_are_400(cbp, query):
    assert_problem(cbp.get(f"{URL}?{query}"), 400, "validation-error")


def test_cursor_paging_returns_every_row_once_newest_first(cbp):
    created = [cbp.post(URL, referral_body(), format="json").json()["id"] for _ in range(7)]
    seen, url, pages = [], f"{URL}?page_size=3", 0
    while url:
        page = cbp.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
        pages += 1
        # A referral created while paging never makes a row appear twice.
        if pages == 1:
            cbp.post(URL, referral_body(), format="json")
    assert seen == list(reversed(created))
    assert pages == 3
    # And back again with `previous`.
    last = cbp.get(f"{URL}?page_size=3").json()
    second = cbp.get(last["next"]).json()
    back = cbp.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in last["results"]]


def test_list_page_leaves_one_read_audit_row_per_referral(cbp):
    for _ in range(3):
        cbp.post(URL, referral_body(), format="json")
    before = AuditEntry.objects.filter(action="referral.list_read").count()
    cbp.get(URL)
    assert AuditEntry.objects.filter(action="referral.list_read").count() == before + 3


# --- PATCH -------------------------------------------------------------------------------------------------
def test_patch_needs_if_match(make_referral, cbp, ice):
    referral = make_referral()
    url = f"{URL}{referral['id']}/"
    assert_problem(cbp.patch(url, {"summary": "new"}, format="json"), 428, "precondition-required")
    assert_problem(cbp.patch(url, {"summary": "new"}, format="json", HTTP_IF_MATCH='"9"'), 412, "precondition-failed")
    malformed = assert_problem(cbp.patch(url, {"summary": "new"}, format="json", HTTP_IF_MATCH="garbage"), 400,
                               "validation-error")  # fmt: skip
    assert malformed["errors"][0]["field"] == "If-Match"
    response = cbp.patch(url, {"summary": "new"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["summary"] == "new"
    assert response["ETag"] == '"2"'
    assert Referral.objects.get(pk=referral["id"]).summary == "new"
    assert_problem(ice.patch(url, {"summary": "x"}, format="json", HTTP_IF_MATCH='"2"'), 403, "permission-denied")


@pytest.mark.parametrize("status", ["accepted", "in_progress", "on_hold", "completed", "rejected", "withdrawn"])
def test_patch_only_in_editable_statuses(make_referral, cbp, status):
    referral = make_referral(status)
    response = cbp.patch(
        f"{URL}{referral['id']}/", {"summary": "x"}, format="json", HTTP_IF_MATCH=f'"{referral["version"]}"'
    )
    assert_problem(response, 409, "invalid-transition")


def test_patch_refuses_server_owned_and_receiver_agency(make_referral, cbp):
    referral = make_referral()
    url = f"{URL}{referral['id']}/"
    assert_problem(cbp.patch(url, {"status": "completed"}, format="json", HTTP_IF_MATCH='"1"'), 400,
                   "validation-error", "status")  # fmt: skip
    assert_problem(cbp.patch(url, {"receiver": {"agency": "USCIS"}}, format="json", HTTP_IF_MATCH='"1"'), 422,
                   "validation-error", "receiver.agency")  # fmt: skip
    assert_problem(cbp.patch(url, {}, format="json", HTTP_IF_MATCH='"1"'), 400, "validation-error")
    assert Referral.objects.get(pk=referral["id"]).version == 1


def test_patch_persons_re_applies_minor_rule(make_referral, cbp):
    referral = make_referral()
    response = cbp.patch(
        f"{URL}{referral['id']}/", {"persons": [person(date_of_birth="2013-03-03")]}, format="json",
        HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["priority"] == "urgent" and body["persons"][0]["is_minor"] is True
    assert body["hhs_notification"]["required"] is True


# --- notes -------------------------------------------------------------------------------------------------
def test_notes_from_both_parties_oldest_first(make_referral, cbp, ice):
    referral = make_referral()
    url = f"{URL}{referral['id']}/notes/"
    first = cbp.post(url, {"body": "Prefers a female interviewer.", "information_source": "victim"}, format="json")
    assert first.status_code == 201, first.content
    ice.post(url, {"body": "Interviewer assigned.", "information_source": "law_enforcement"}, format="json")
    notes = ice.get(url).json()["results"]
    assert [n["author"]["agency"] for n in notes] == ["CBP", "ICE"]
    assert notes[0]["information_source"] == "victim"
    assert_problem(cbp.post(url, {"body": "x", "information_source": "rumour"}, format="json"), 400,
                   "validation-error", "information_source")  # fmt: skip
    assert_problem(cbp.post(url, {"body": "", "information_source": "other"}, format="json"), 400,
                   "validation-error", "body")  # fmt: skip
    assert Note.objects.filter(referral_id=referral["id"]).count() == 2


def test_notes_are_append_only(make_referral, cbp):
    referral = make_referral()
    url = f"{URL}{referral['id']}/notes/"
    for method in ("put", "patch", "delete"):
        assert_problem(getattr(cbp, method)(url, {}, format="json"), 405, "method-not-allowed")


# --- access log --------------------------------------------------------------------------------------------
def test_access_log_shows_who_read_and_changed(make_referral, cbp, ice, uscis):
    referral = make_referral()
    rid = referral["id"]
    ice.get(f"{URL}{rid}/", HTTP_X_PURPOSE_OF_USE="victim services intake")
    ice.post(f"{URL}{rid}/acknowledge/", {}, format="json")
    uscis.get(f"{URL}{rid}/")  # refused: audited, not listed
    log = cbp.get(f"{URL}{rid}/access-log/")
    assert log.status_code == 200, log.content
    rows = log.json()["results"]
    actions = [(r["agency"], r["action"]) for r in rows]
    assert ("ICE", "referral.read") in actions and ("ICE", "referral.acknowledge") in actions
    assert ("CBP", "referral.created") in actions
    assert all(r["agency"] != "USCIS" for r in rows)
    read = next(r for r in rows if r["action"] == "referral.read")
    assert read["purpose"] == "victim services intake" and read["client_name"] == ice.issued.client.name
    assert_problem(uscis.get(f"{URL}{rid}/access-log/"), 404, "not-found")
    assert AuditEntry.objects.filter(action="referral.access_log_read", object_id=rid).count() == 1


def test_action_routes_answer_only_post(make_referral, ice):
    referral = make_referral()
    for method in ("get", "patch", "put", "delete"):
        assert_problem(getattr(ice, method)(f"{URL}{referral['id']}/accept/"), 405, "method-not-allowed")
