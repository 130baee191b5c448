"""Locust users for the Partner Referral API: several clients of each agency creating, listing, reading and
acting on referrals, adding notes and polling the event feed.

Run through loadtest/run.py (which boots the stack); the clients come from ``LOADTEST_CLIENTS`` (the JSON of
``agency_client_create --json``), and every answer is tallied into ``LOADTEST_OUT`` (JSON) when the run ends:
status codes per request, the id and external reference of every referral answered 201, and the first bodies
of any 5xx. Creates carry an Idempotency-Key and are retried with the same key after a 5xx or a connection
error, as a careful client would.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import threading
import time
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

CLIENTS = json.loads(open(os.environ["LOADTEST_CLIENTS"]).read())
_next_client = itertools.count()

# What each sender sends: (receiver agency, referral type, receiver office) that the routing table allows.
ROUTES = {
    "CBP": [("ICE", "victim_assistance", "VAP"), ("USCIS", "immigration_relief_screening", None)],
    "ICE": [("USCIS", "immigration_relief_screening", None), ("CBP", "information_request", None)],
    "USCIS": [("ICE", "victim_assistance", "VAP"), ("ICE", "continued_presence", None)],
}

LOCK = threading.Lock()
TALLY = {
    "status": Counter(),
    "by_request": {},
    "created": [],
    "server_errors": [],
    # When each 5xx (or connection error, status 0) happened: the cluster test attributes them to its kills.
    "server_error_times": [],
    "retries": 0,
    "gave_up": 0,
}


def record(name: str, status: int, body: bytes | None = None) -> None:
    with LOCK:
        TALLY["status"][str(status)] += 1
        TALLY["by_request"].setdefault(name, Counter())[str(status)] += 1
        if status >= 500 or status == 0:
            TALLY["server_error_times"].append([time.time(), status, name])
        if status >= 500 and len(TALLY["server_errors"]) < 20:
            TALLY["server_errors"].append(
                {"request": name, "status": status, "body": (body or b"")[:500].decode("utf-8", "replace")}
            )


@events.quitting.add_listener
def _dump(environment, **kwargs):
    out = os.environ.get("LOADTEST_OUT")
    if out:
        with LOCK:
            data = {
                **TALLY,
                "status": dict(TALLY["status"]),
                "by_request": {k: dict(v) for k, v in TALLY["by_request"].items()},
            }
        with open(out, "w") as handle:
            json.dump(data, handle)


def person():
    return {
        "role": "victim",
        "given_name": random.choice(["Maria", "Ana", "Li", "Amal"]),
        "family_name": random.choice(["Lopez", "Chen", "Haddad"]),
        "date_of_birth": "1999-04-01",
        "sex": "female",
        "citizenships": ["HN"],
        "languages": ["es"],
        "a_number": "A" + str(random.randint(10**8, 10**9 - 1)),
        "safe_contact": {"phone": "+15555550100", "instructions": "text only", "do_not_contact": False},
        "location": {"city": "San Diego", "state": "CA", "country": "US"},
        "protected_1367": False,
    }


class Partner(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.client_creds = CLIENTS[next(_next_client) % len(CLIENTS)]
        self.agency = self.client_creds["agency"]
        self.token = None
        self.mine: list[str] = []
        self.refresh_token()

    # --- plumbing -----------------------------------------------------------------------------------------
    def refresh_token(self):
        basic = base64.b64encode(f"{self.client_creds['client_id']}:{self.client_creds['client_secret']}".encode())
        with self.client.post(
            "/oauth/token/",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": "Basic " + basic.decode()},
            name="POST /oauth/token/",
            catch_response=True,
        ) as response:
            record("POST /oauth/token/", response.status_code, response.content)
            if response.status_code == 200:
                self.token = response.json()["access_token"]
                response.success()
            elif response.status_code in (429, 503):
                response.success()  # expected refusals (rate limit, outage): counted, not failures of the test

    def call(self, method: str, path: str, name: str, body=None, headers=None, expect=(200,)):
        if self.token is None:
            self.refresh_token()
        all_headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        with self.client.request(
            method, path, json=body, headers=all_headers, name=name, catch_response=True
        ) as response:
            record(name, response.status_code, response.content)
            if response.status_code == 401:
                self.token = None
                response.success()
            elif response.status_code in expect or response.status_code in (409, 412, 429, 503):
                # 409/412: another user moved the referral first (expected under concurrency); 503: an outage.
                response.success()
            else:
                response.failure(f"{response.status_code}")
            return response

    # --- tasks --------------------------------------------------------------------------------------------
    @task(4)
    def create(self):
        receiver, referral_type, office = random.choice(ROUTES[self.agency])
        body = {
            "referral_type": referral_type,
            "receiver": {"agency": receiver, "office": office},
            "priority": random.choice(["routine", "urgent", "immediate_danger"]),
            "external_reference": f"LOAD-{uuid.uuid4().hex[:16]}",
            "summary": "Adult encountered with indicators of labor trafficking",
            "narrative": "Reports a debt owed to a recruiter.",
            "trafficking_types": ["labor"],
            "indicators": ["debt_bondage"],
            "persons": [person() for _ in range(random.randint(1, 3))],
            "case": None,
            "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share"},
            "related_referral": None,
        }
        if referral_type == "information_request":
            body["persons"] = [dict(body["persons"][0], role="potential_victim")]
        key = str(uuid.uuid4())
        for attempt in range(6):
            response = self.call(
                "POST", "/api/v1/referrals/", "POST /api/v1/referrals/", body, {"Idempotency-Key": key}, expect=(201,)
            )
            if response.status_code == 201:
                referral_id = response.json()["id"]
                with LOCK:
                    TALLY["created"].append(
                        {"id": referral_id, "external_reference": body["external_reference"], "sender": self.agency}
                    )
                self.mine.append(referral_id)
                return
            if response.status_code not in (0, 401, 409, 429, 500, 502, 503, 504):
                return  # a refusal for what was sent: not retried
            with LOCK:
                TALLY["retries"] += 1
            import time

            time.sleep(min(0.5 * 2**attempt, 4))
        with LOCK:
            TALLY["gave_up"] += 1

    @task(4)
    def list_referrals(self):
        self.call("GET", "/api/v1/referrals/?page_size=20", "GET /api/v1/referrals/")

    @task(3)
    def read(self):
        if self.mine:
            referral_id = random.choice(self.mine[-50:])
            self.call("GET", f"/api/v1/referrals/{referral_id}/", "GET /api/v1/referrals/{id}/")

    @task(3)
    def act_on_incoming(self):
        response = self.call(
            "GET", "/api/v1/referrals/?direction=incoming&status=submitted,acknowledged&page_size=10",
            "GET /api/v1/referrals/?direction=incoming",
        )  # fmt: skip
        if response.status_code != 200:
            return
        results = response.json().get("results", [])
        if not results:
            return
        referral = random.choice(results)
        action = "acknowledge" if referral["status"] == "submitted" else random.choice(["accept", "request-info"])
        body = {"question": "Is an interpreter needed?"} if action == "request-info" else {}
        self.call(
            "POST", f"/api/v1/referrals/{referral['id']}/{action}/", f"POST /api/v1/referrals/{{id}}/{action}/", body,
            {"Idempotency-Key": str(uuid.uuid4())},
        )  # fmt: skip

    @task(1)
    def note(self):
        if self.mine:
            referral_id = random.choice(self.mine[-20:])
            self.call(
                "POST", f"/api/v1/referrals/{referral_id}/notes/", "POST /api/v1/referrals/{id}/notes/",
                {"body": "Follow-up call scheduled.", "information_source": "law_enforcement"}, expect=(201,),
            )  # fmt: skip

    @task(1)
    def history(self):
        if self.mine:
            referral_id = random.choice(self.mine[-20:])
            self.call("GET", f"/api/v1/referrals/{referral_id}/history/", "GET /api/v1/referrals/{id}/history/")

    @task(2)
    def events(self):
        self.call("GET", "/api/v1/events/?page_size=50", "GET /api/v1/events/")
