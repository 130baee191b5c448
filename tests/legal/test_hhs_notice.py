"""HHS child notice (TVPRA of 2008, 22 U.S.C. 7105(b)(1)(G)): who it is owed for, when it is due, its record."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from events.models import Event
from referrals.models import Referral
from referrals.tasks import referrals_mark_hhs_overdue
from tests.problems import assert_problem
from tests.referrals.conftest import BASE_PERSON, referral_body

URL = "/api/v1/referrals/"
MINOR_DOB = (datetime.date.today() - datetime.timedelta(days=365 * 15)).isoformat()
UTC = datetime.UTC


def person(**overrides) -> dict:
    return {**BASE_PERSON, "a_number": None, **overrides}


def stamp(value: datetime.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


@pytest.mark.parametrize(
    ("who", "required"),
    [
        ({"role": "victim", "us_citizen_or_lpr": "yes", "citizenships": ["US"]}, False),  # U.S. citizen minor
        ({"role": "victim", "us_citizen_or_lpr": "yes", "citizenships": ["MX"]}, False),  # LPR minor
        ({"role": "suspect"}, False),  # minor suspect
        ({"role": "witness"}, False),
        ({"role": "victim"}, True),  # minor victim of unknown status
        ({"role": "potential_victim", "us_citizen_or_lpr": "no"}, True),
    ],
    ids=["us-citizen-minor", "lpr-minor", "minor-suspect", "minor-witness", "unknown-status-victim",
         "foreign-potential-victim"],
)  # fmt: skip
def test_notice_required_exactly_for_a_foreign_national_minor_victim(cbp, who, required):
    persons = [person(date_of_birth=MINOR_DOB, **who)]
    if who["role"] not in ("victim", "potential_victim"):
        persons.append(person())  # the referral type needs a victim; this one is an adult
    response = cbp.post(URL, referral_body(persons=persons), format="json")
    assert response.status_code == 201, response.content
    notice = response.json()["hhs_notification"]
    assert notice["required"] is required
    assert (notice["due_by"] is not None) is required
    assert Referral.objects.get(pk=response.json()["id"]).hhs_required is required


def test_due_by_runs_from_the_encounter_not_from_creation(cbp):
    encountered = datetime.datetime.now(UTC).replace(microsecond=0) - datetime.timedelta(hours=5)
    body = referral_body(persons=[person(date_of_birth=MINOR_DOB)], encountered_at=stamp(encountered))
    created = cbp.post(URL, body, format="json").json()
    assert parse(created["encountered_at"]) == encountered
    assert parse(created["hhs_notification"]["due_by"]) == encountered + datetime.timedelta(hours=24)
    assert created["hhs_notification"]["overdue"] is False


def test_encountered_at_defaults_to_creation(cbp):
    created = cbp.post(URL, referral_body(persons=[person(date_of_birth=MINOR_DOB)]), format="json").json()
    assert created["encountered_at"] == created["created_at"]


def test_encountered_at_in_the_future_is_400(cbp):
    future = stamp(datetime.datetime.now(UTC) + datetime.timedelta(hours=2))
    assert_problem(cbp.post(URL, referral_body(encountered_at=future), format="json"), 400, "validation-error",
                   "encountered_at")  # fmt: skip
    assert not Referral.objects.exists()


def test_encountered_30_hours_before_creation_is_overdue_at_once_and_the_event_goes_out_once(cbp, ice):
    encountered = datetime.datetime.now(UTC) - datetime.timedelta(hours=30)
    body = referral_body(persons=[person(date_of_birth=MINOR_DOB)], encountered_at=stamp(encountered))
    created = cbp.post(URL, body, format="json").json()
    assert created["hhs_notification"]["overdue"] is True
    assert [r["id"] for r in ice.get(URL, {"hhs_overdue": "true"}).json()["results"]] == [created["id"]]
    assert ice.get(URL, {"hhs_overdue": "false"}).json()["results"] == []
    out = StringIO()
    call_command("deadlines_run", "--json", stdout=out)
    assert '"hhs_notification_overdue": 1' in out.getvalue()
    assert referrals_mark_hhs_overdue() == 0  # once only, whoever runs it
    call_command("deadlines_run", stdout=StringIO())
    events = Event.objects.filter(type="referral.hhs_notification_overdue", referral_id=created["id"])
    assert events.count() == 1
    assert set(events.get().agency_codes) == {"CBP", "ICE"} and set(events.get().data) == {"due_by"}


def test_minor_is_judged_at_the_encounter(cbp):
    today = datetime.date.today()
    dob = today.replace(year=today.year - 18) - datetime.timedelta(days=3)  # 18 now, 17 at the encounter
    encountered = datetime.datetime.now(UTC) - datetime.timedelta(days=10)
    body = referral_body(persons=[person(date_of_birth=dob.isoformat())], encountered_at=stamp(encountered))
    created = cbp.post(URL, body, format="json").json()
    assert created["persons"][0]["is_minor"] is True and created["hhs_notification"]["required"] is True


# --- the record -------------------------------------------------------------------------------------------
def notice_url(referral_id):
    return f"{URL}{referral_id}/hhs-notification/"


@pytest.fixture
def minor_referral(make_referral):
    return make_referral(persons=[person(date_of_birth=MINOR_DOB)])


@pytest.mark.parametrize("side", ["sender", "receiver"])
def test_either_party_records_the_notice_once(minor_referral, cbp, ice, side):
    actor, other = (cbp, ice) if side == "sender" else (ice, cbp)
    when = stamp(datetime.datetime.now(UTC) - datetime.timedelta(minutes=10))
    body = {"notified_at": when, "method": "shepherd", "request_number": "RFA-2026-004217"}
    response = actor.post(notice_url(minor_referral["id"]), body, format="json")
    assert response.status_code == 200, response.content
    notice = response.json()["hhs_notification"]
    assert notice == {
        "required": True, "due_by": minor_referral["hhs_notification"]["due_by"], "notified_at": when,
        "method": "shepherd", "request_number": "RFA-2026-004217", "notified_by": actor.agency, "overdue": False,
    }  # fmt: skip
    assert other.get(f"{URL}{minor_referral['id']}/").json()["hhs_notification"]["notified_by"] == actor.agency
    event = Event.objects.get(type="referral.hhs_notified", referral_id=minor_referral["id"])
    assert event.data["on_time"] is True and "RFA" not in str(event.data)
    assert AuditEntry.objects.filter(action="referral.hhs_notified", object_id=minor_referral["id"]).count() == 1
    again = other.post(notice_url(minor_referral["id"]), {**body, "method": "phone"}, format="json")
    assert_problem(again, 409, "invalid-transition")
    assert Referral.objects.get(pk=minor_referral["id"]).hhs_method == "shepherd"


def test_no_notice_required_is_409(make_referral, cbp):
    referral = make_referral()
    body = {"notified_at": stamp(datetime.datetime.now(UTC)), "method": "phone"}
    assert_problem(cbp.post(notice_url(referral["id"]), body, format="json"), 409, "invalid-transition")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"notified_at": "now", "method": "phone"}, 400, "notified_at"),
        ({"method": "phone"}, 400, "notified_at"),
        ({"notified_at": "2026-12-01T00:00:00Z", "method": "email"}, 400, "method"),
        ({"notified_at": "2026-12-01T00:00:00Z", "method": "shepherd"}, 400, "request_number"),
        ({"notified_at": "2026-12-01T00:00:00Z", "method": "phone", "notes": "x"}, 400, "notes"),
        ({"notified_at": "2999-01-01T00:00:00Z", "method": "phone"}, 422, "notified_at"),
    ],
)
def test_notice_body_is_validated(minor_referral, cbp, body, status, field):
    assert_problem(cbp.post(notice_url(minor_referral["id"]), body, format="json"), status, "validation-error", field)
    assert Referral.objects.get(pk=minor_referral["id"]).hhs_notified_at is None


def test_notice_route_matrix(minor_referral, api, anon):
    url = notice_url(minor_referral["id"])
    body = {"notified_at": stamp(datetime.datetime.now(UTC)), "method": "phone"}
    assert anon.post(url, body, format="json").status_code == 401
    assert api("ICE", "referrals:read pii:read").post(url, body, format="json").status_code == 403
    assert api("USCIS").post(url, body, format="json").status_code == 404
    assert Referral.objects.get(pk=minor_referral["id"]).hhs_notified_at is None


def test_notice_query_count(minor_referral, cbp, django_assert_max_num_queries):
    cbp.get(f"{URL}{minor_referral['id']}/")
    body = {"notified_at": stamp(datetime.datetime.now(UTC)), "method": "phone"}
    with django_assert_max_num_queries(16):
        assert cbp.post(notice_url(minor_referral["id"]), body, format="json").status_code == 200


def test_a_late_notice_is_no_longer_overdue_and_counts_as_late(cbp, ice):
    encountered = datetime.datetime.now(UTC) - datetime.timedelta(hours=30)
    body = referral_body(persons=[person(date_of_birth=MINOR_DOB)], encountered_at=stamp(encountered))
    late = cbp.post(URL, body, format="json").json()
    on_time = cbp.post(URL, referral_body(persons=[person(date_of_birth=MINOR_DOB)]), format="json").json()
    now = stamp(datetime.datetime.now(UTC))
    cbp.post(notice_url(late["id"]), {"notified_at": now, "method": "phone"}, format="json")
    cbp.post(notice_url(on_time["id"]), {"notified_at": now, "method": "backup_form"}, format="json")
    shown = ice.get(f"{URL}{late['id']}/").json()["hhs_notification"]
    assert shown["overdue"] is False and shown["notified_at"] == now
    assert ice.get(URL, {"hhs_overdue": "true"}).json()["results"] == []
    assert Event.objects.get(type="referral.hhs_notified", referral_id=late["id"]).data["on_time"] is False
    stats = ice.get("/api/v1/stats/referrals/").json()["results"]
    assert stats[0]["hhs_notified_on_time_share"] == 0.5


def test_hhs_overdue_filter_refuses_a_bad_value(cbp):
    assert_problem(cbp.get(URL, {"hhs_overdue": "maybe"}), 400, "validation-error", "hhs_overdue")


# --- the deprecated v1 field --------------------------------------------------------------------------------
def test_v1_hhs_notified_at_still_works_with_deprecation_headers(cbp, ice):
    when = stamp(datetime.datetime.now(UTC) - datetime.timedelta(minutes=5))
    body = referral_body(persons=[person(date_of_birth=MINOR_DOB)], hhs_notified_at=when)
    response = cbp.post(URL, body, format="json")
    assert response.status_code == 201
    assert response["Deprecation"].startswith("@")
    assert 'rel="deprecation"' in response["Link"]
    assert "Sunset" not in response  # no sunset date set yet
    notice = response.json()["hhs_notification"]
    assert notice["notified_at"] == when and notice["method"] is None and notice["notified_by"] == "CBP"
    # A body without the deprecated field gets no deprecation headers.
    plain = cbp.post(URL, referral_body(), format="json")
    assert "Deprecation" not in plain and "Link" not in plain
    # PATCH with it: headers too.
    other = cbp.post(URL, referral_body(persons=[person(date_of_birth=MINOR_DOB)]), format="json").json()
    patched = cbp.patch(f"{URL}{other['id']}/", {"hhs_notified_at": when}, format="json", HTTP_IF_MATCH='"1"')
    assert patched.status_code == 200 and patched["Deprecation"].startswith("@")
    assert patched.json()["hhs_notification"]["notified_at"] == when
    # Once recorded through the endpoint (with a method), the old field cannot replace it.
    third = cbp.post(URL, referral_body(persons=[person(date_of_birth=MINOR_DOB)]), format="json").json()
    cbp.post(notice_url(third["id"]), {"notified_at": when, "method": "phone"}, format="json")
    refused = cbp.patch(f"{URL}{third['id']}/", {"hhs_notified_at": now_stamp()}, format="json", HTTP_IF_MATCH='"2"')
    assert_problem(refused, 409, "invalid-transition")


def now_stamp() -> str:
    return stamp(datetime.datetime.now(UTC))
