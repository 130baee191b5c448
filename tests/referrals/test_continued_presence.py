"""Continued Presence: dates on a grant, extensions that must name a granted CP, reminders once each, filters,
the new relief types and outcome codes, the deprecated type and its sunset (api-contract.md v1.1)."""

from __future__ import annotations

import datetime
import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event
from referrals.models import Referral
from referrals.tasks import continued_presence_remind
from tests.referrals.conftest import referral_body

URL = "/api/v1/referrals/"
TODAY = datetime.date.today


def complete(client, referral, **body):
    return client.post(f"{URL}{referral['id']}/complete/", body, format="json")


def granted(make_referral, ice, *, effective_on=None, expires_on=None, referral_type="continued_presence", **kw):
    referral = make_referral("accepted", referral_type=referral_type, **kw)
    effective_on = effective_on or TODAY()
    expires_on = expires_on or (effective_on.replace(year=effective_on.year + 2) - datetime.timedelta(days=1))
    response = complete(
        ice, referral, outcome_code="continued_presence_granted", outcome="Granted by CCHT.",
        continued_presence={"effective_on": effective_on.isoformat(), "expires_on": expires_on.isoformat()},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json()


def test_granting_records_the_dates_shown_to_both_parties(make_referral, cbp, ice):
    referral = granted(
        make_referral, ice, effective_on=datetime.date(2026, 12, 1), expires_on=datetime.date(2028, 12, 1)
    )
    assert referral["continued_presence"] == {"effective_on": "2026-12-01", "expires_on": "2028-12-01"}
    seen = cbp.get(f"{URL}{referral['id']}/").json()
    assert seen["continued_presence"] == referral["continued_presence"]
    cp = [d for d in seen["deadlines"] if d["kind"] == "continued_presence_expiry"]
    assert cp == [{"kind": "continued_presence_expiry", "due_at": "2028-12-02T00:00:00Z", "open": True,
                   "overdue": False}]  # fmt: skip


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        (None, "continued_presence"),  # required with the granted outcome
        ({"effective_on": "2026-01-01", "expires_on": "2028-02-01"}, "continued_presence.expires_on"),  # 25 months
        ({"effective_on": "2026-01-01", "expires_on": "2028-01-02"}, "continued_presence.expires_on"),  # 2 y + 1 day
        ({"effective_on": "2026-01-01", "expires_on": "2026-01-01"}, "continued_presence.expires_on"),
        ({"effective_on": "2026-01-01", "expires_on": "2025-12-01"}, "continued_presence.expires_on"),
        ({"effective_on": "2026-01-01"}, "continued_presence.expires_on"),
        ({"effective_on": "soon", "expires_on": "2027-01-01"}, "continued_presence.effective_on"),
        (
            {"effective_on": "2026-01-01", "expires_on": "2027-01-01", "granted_by": "x"},
            "continued_presence.granted_by",
        ),
    ],
)
def test_bad_continued_presence_dates_are_400(make_referral, ice, dates, field):
    referral = make_referral("accepted", referral_type="continued_presence")
    body = {"outcome_code": "continued_presence_granted", "outcome": "Granted."}
    if dates is not None:
        body["continued_presence"] = dates
    response = complete(ice, referral, **body)
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    row = Referral.objects.get(pk=referral["id"])
    assert (row.status, row.continued_presence_expires_on) == ("accepted", None)


def test_exactly_two_years_is_accepted(make_referral, ice):
    referral = granted(make_referral, ice, effective_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2028, 1, 1))
    assert referral["continued_presence"]["expires_on"] == "2028-01-01"


@pytest.mark.parametrize(
    ("referral_type", "outcome_code"),
    [("continued_presence", "continued_presence_denied"), ("victim_assistance", "services_provided")],
)
def test_dates_are_refused_without_a_grant(make_referral, ice, referral_type, outcome_code):
    referral = make_referral("accepted", referral_type=referral_type)
    response = complete(
        ice, referral, outcome_code=outcome_code, outcome="Done.",
        continued_presence={"effective_on": "2026-01-01", "expires_on": "2027-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "continued_presence"


# --- extensions ----------------------------------------------------------------------------------------------
def extension(client, related_id, **overrides):
    body = referral_body(referral_type="continued_presence_extension", receiver={"agency": "ICE", "office": "CCHT"},
                         related_referral=related_id, **overrides)  # fmt: skip
    body["receiver"] = {"agency": "ICE"}
    return client.post(URL, body, format="json")


def test_extension_of_a_granted_cp_is_accepted_and_marks_it_extended_once_granted(make_referral, cbp, ice):
    original = granted(make_referral, ice)
    response = extension(cbp, original["id"])
    assert response.status_code == 201, response.content
    ext = response.json()
    for action in ("accept",):
        assert ice.post(f"{URL}{ext['id']}/{action}/", {}, format="json").status_code == 200
    expires = datetime.date.fromisoformat(original["continued_presence"]["expires_on"])
    done = complete(
        ice, ext, outcome_code="continued_presence_granted", outcome="Extended.",
        continued_presence={"effective_on": (expires + datetime.timedelta(days=1)).isoformat(),
                            "expires_on": (expires + datetime.timedelta(days=730)).isoformat()},
    )  # fmt: skip
    assert done.status_code == 200, done.content
    seen = cbp.get(f"{URL}{original['id']}/").json()
    assert seen["version"] == original["version"] + 1
    [cp] = [d for d in seen["deadlines"] if d["kind"] == "continued_presence_expiry"]
    assert cp["open"] is False  # the deadline is met by the extension
    # An extension of the extension is allowed (it is a granted CP too).
    assert extension(cbp, ext["id"]).status_code == 201


def test_extension_naming_a_denied_cp_is_422(make_referral, cbp, ice):
    referral = make_referral("accepted", referral_type="continued_presence")
    complete(ice, referral, outcome_code="continued_presence_denied", outcome="Denied.")
    response = extension(cbp, referral["id"])
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "related_referral", "code": "not_granted_continued_presence",
        "message": response.json()["errors"][0]["message"],
    }  # fmt: skip


@pytest.mark.parametrize("status", ["accepted", "submitted"])
def test_extension_naming_an_open_cp_is_422(make_referral, cbp, status):
    referral = make_referral(status, referral_type="continued_presence")
    assert extension(cbp, referral["id"]).status_code == 422


def test_extension_naming_a_granted_non_cp_referral_is_422(make_referral, cbp, ice):
    referral = make_referral("accepted")
    complete(ice, referral, outcome_code="services_provided", outcome="Done.")
    assert extension(cbp, referral["id"]).json()["errors"][0]["code"] == "not_granted_continued_presence"


def test_extension_naming_a_referral_the_sender_cannot_see_leaks_nothing(make_referral, api, ice):
    """A granted CP between ICE and CBP, named by USCIS (no party to it), answers exactly like a random id."""
    hidden = granted(make_referral, ice)
    uscis = api("USCIS")
    seen = extension(uscis, hidden["id"], external_reference="EXT-A")
    missing = extension(uscis, str(uuid.uuid4()), external_reference="EXT-B")
    assert seen.status_code == missing.status_code == 422
    strip = lambda body: {k: v for k, v in body.items() if k not in ("instance", "request_id")}  # noqa: E731
    assert strip(seen.json()) == strip(missing.json())
    assert hidden["id"] not in seen.content.decode()


def test_extension_without_related_referral_is_422(cbp, seeded):
    response = extension(cbp, None)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "related_referral",
        "code": "required",
        "message": response.json()["errors"][0]["message"],
    }


# --- reminders ----------------------------------------------------------------------------------------------
def reminders(referral_id):
    return list(
        Event.objects.filter(type="referral.continued_presence_expiring", referral_id=referral_id).order_by("position")
    )


def test_reminder_job_run_twice_emits_one_event_per_threshold(make_referral, ice):
    today = TODAY()
    referral = granted(
        make_referral, ice, effective_on=today - datetime.timedelta(days=600),
        expires_on=today + datetime.timedelta(days=80),
    )  # fmt: skip
    assert continued_presence_remind(today=today) == 1
    assert continued_presence_remind(today=today) == 0
    [event] = reminders(referral["id"])
    assert sorted(event.agency_codes) == ["CBP", "ICE"]
    assert event.data == {"expires_on": (today + datetime.timedelta(days=80)).isoformat(), "days_before": 90,
                          "days_left": 80}  # fmt: skip
    later = today + datetime.timedelta(days=55)  # 25 days left: the 30-day reminder, once
    assert continued_presence_remind(today=later) == 1
    assert continued_presence_remind(today=later) == 0
    assert [e.data["days_before"] for e in reminders(referral["id"])] == [90, 30]
    # After expiry nothing more; an extended grant is not reminded either.
    assert continued_presence_remind(today=today + datetime.timedelta(days=81)) == 0


def test_a_late_job_announces_only_the_nearest_threshold(make_referral, ice):
    today = TODAY()
    referral = granted(make_referral, ice, effective_on=today - datetime.timedelta(days=700),
                       expires_on=today + datetime.timedelta(days=10))  # fmt: skip
    assert continued_presence_remind(today=today) == 1
    assert [e.data["days_before"] for e in reminders(referral["id"])] == [30]
    assert Referral.objects.get(pk=referral["id"]).continued_presence_reminders_sent == [90, 30]


def test_far_expiry_and_extended_grants_get_no_reminder(make_referral, cbp, ice):
    today = TODAY()
    far = granted(make_referral, ice)  # two years away
    near = granted(make_referral, ice, effective_on=today - datetime.timedelta(days=700),
                   expires_on=today + datetime.timedelta(days=20))  # fmt: skip
    Referral.objects.filter(pk=near["id"]).update(continued_presence_extended_at=timezone.now())
    assert continued_presence_remind(today=today) == 0
    assert reminders(far["id"]) == reminders(near["id"]) == []


def test_deadlines_run_command_runs_every_job_once(make_referral, ice, settings):
    settings.CP_REMINDER_DAYS = [90, 30]
    today = TODAY()
    granted(make_referral, ice, effective_on=today - datetime.timedelta(days=700),
            expires_on=today + datetime.timedelta(days=5))  # fmt: skip
    out = io.StringIO()
    call_command("deadlines_run", "--json", stdout=out)
    done = json.loads(out.getvalue())
    assert done["continued_presence_reminders"] == 1
    assert "acknowledgement_overdue" in done
    out = io.StringIO()
    call_command("deadlines_run", "--json", stdout=out)
    assert json.loads(out.getvalue())["continued_presence_reminders"] == 0


def test_reminder_days_follow_the_setting(make_referral, ice, settings):
    settings.CP_REMINDER_DAYS = [60]
    today = TODAY()
    referral = granted(make_referral, ice, effective_on=today - datetime.timedelta(days=600),
                       expires_on=today + datetime.timedelta(days=61))  # fmt: skip
    assert continued_presence_remind(today=today) == 0
    assert continued_presence_remind(today=today + datetime.timedelta(days=1)) == 1
    assert reminders(referral["id"])[0].data["days_before"] == 60


# --- filters --------------------------------------------------------------------------------------------------
def test_cp_expires_before_filter(make_referral, cbp, ice):
    today = TODAY()
    soon = granted(make_referral, ice, effective_on=today - datetime.timedelta(days=700),
                   expires_on=today + datetime.timedelta(days=20))  # fmt: skip
    granted(make_referral, ice)
    make_referral()
    before = (today + datetime.timedelta(days=30)).isoformat()
    for client in (cbp, ice):
        found = client.get(f"{URL}?cp_expires_before={before}").json()["results"]
        assert [r["id"] for r in found] == [soon["id"]]
    for bad in ("tomorrow", "2026-13-01", "2026-01-01T00:00:00Z"):
        response = cbp.get(f"{URL}?cp_expires_before={bad}")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "cp_expires_before"


def test_deadline_before_filter_finds_what_is_due(make_referral, cbp, ice):
    now = timezone.now()
    submitted = make_referral()  # acknowledgement due in 3 days (routine)
    accepted = make_referral("accepted")  # acknowledgement met: no open deadline
    soon = granted(make_referral, ice, effective_on=TODAY() - datetime.timedelta(days=700),
                   expires_on=TODAY() + datetime.timedelta(days=10))  # fmt: skip

    def ids(when):
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        response = cbp.get(f"{URL}?deadline_before={stamp}")
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids(now + datetime.timedelta(hours=1)) == set()
    assert ids(now + datetime.timedelta(days=4)) == {submitted["id"]}
    assert ids(now + datetime.timedelta(days=12)) == {submitted["id"], soon["id"]}
    assert accepted["id"] not in ids(now + datetime.timedelta(days=3650))
    response = cbp.get(f"{URL}?deadline_before=next-week")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "deadline_before"


# --- types, outcome codes, deprecation ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sender", "referral_type", "receiver", "outcome_code"),
    [
        ("CBP", "relief_support", "USCIS", "noted_on_application"),
        ("ICE", "relief_support", "USCIS", "noted_on_application"),
        ("USCIS", "certification_verification", "ICE", "certification_confirmed"),
        ("USCIS", "certification_verification", "CBP", "certification_not_confirmed"),
        ("CBP", "victim_assistance", "ICE", "declaration_signed"),
        ("CBP", "victim_assistance", "ICE", "certification_signed"),
        ("CBP", "victim_assistance", "ICE", "declined_to_certify"),
    ],
)
def test_new_types_route_and_new_outcome_codes_complete(api, sender, referral_type, receiver, outcome_code):
    sending, receiving = api(sender), api(receiver)
    response = sending.post(URL, referral_body(referral_type=referral_type, receiver={"agency": receiver}),
                            format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert "Deprecation" not in response
    referral = response.json()
    assert receiving.post(f"{URL}{referral['id']}/accept/", {}, format="json").status_code == 200
    done = complete(receiving, referral, outcome_code=outcome_code, outcome="Recorded.")
    assert done.status_code == 200, done.content
    assert done.json()["outcome_code"] == outcome_code


@pytest.mark.parametrize(
    ("referral_type", "receiver"),
    [("relief_support", "ICE"), ("certification_verification", "USCIS"), ("continued_presence_extension", "USCIS")],
)
def test_new_types_follow_the_routing_table(cbp, referral_type, receiver):
    response = cbp.post(URL, referral_body(referral_type=referral_type, receiver={"agency": receiver}), format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in ("receiver.agency", "related_referral")


@pytest.mark.parametrize("referral_type", ["relief_support", "certification_verification"])
def test_new_person_types_need_a_victim(cbp, referral_type):
    receiver = "USCIS" if referral_type == "relief_support" else "ICE"
    body = referral_body(referral_type=referral_type, receiver={"agency": receiver}, persons=[])
    response = cbp.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "persons"


def screening(client):
    return client.post(
        URL, referral_body(referral_type="immigration_relief_screening", receiver={"agency": "USCIS"}), format="json"
    )


def test_deprecated_type_before_its_sunset_is_201_with_deprecation_and_sunset(cbp, settings):
    settings.DEPRECATED_TYPES_SUNSET = TODAY() + datetime.timedelta(days=30)
    response = screening(cbp)
    assert response.status_code == 201, response.content
    assert response["Deprecation"].startswith("@")
    sunset = (TODAY() + datetime.timedelta(days=30)).strftime("%d %b %Y")
    assert sunset in response["Sunset"]
    assert 'rel="deprecation"' in response["Link"]


def test_deprecated_type_without_sunset_has_no_sunset_header(cbp, settings):
    settings.DEPRECATED_TYPES_SUNSET = None
    response = screening(cbp)
    assert response.status_code == 201
    assert "Deprecation" in response and "Sunset" not in response


def test_deprecated_type_after_its_sunset_is_422(cbp, settings):
    settings.DEPRECATED_TYPES_SUNSET = TODAY() - datetime.timedelta(days=1)
    total = Referral.objects.count()
    response = screening(cbp)
    assert response.status_code == 422, response.content
    assert response.json()["type"].endswith("/validation-error")
    assert response.json()["errors"][0]["field"] == "referral_type"
    assert response.json()["errors"][0]["code"] == "sunset"
    assert Referral.objects.count() == total


def test_deprecated_type_stays_readable_after_its_sunset(cbp, settings):
    settings.DEPRECATED_TYPES_SUNSET = None
    referral = screening(cbp).json()
    settings.DEPRECATED_TYPES_SUNSET = TODAY() - datetime.timedelta(days=1)
    response = cbp.get(f"{URL}{referral['id']}/")
    assert response.status_code == 200
    assert response.json()["referral_type"] == "immigration_relief_screening"


def test_agencies_directory_lists_the_new_routes(cbp):
    directory = {a["code"]: a for a in cbp.get("/api/v1/agencies/").json()["results"]}
    assert "relief_support" in directory["USCIS"]["accepts_referral_types"]
    assert "continued_presence_extension" in directory["ICE"]["accepts_referral_types"]
    assert "certification_verification" in directory["ICE"]["accepts_referral_types"]
    assert "certification_verification" in directory["CBP"]["accepts_referral_types"]
