"""Fill a development database with fictitious referrals in every status, type and deadline state.

Everything goes through the public API (tokens, create, lifecycle actions, notes), as a partner system would,
so the sandbox holds only what the contract allows and every rule is applied; only the deadline states are
then made real by moving timestamps into the past (``--no-backdate`` leaves them as created). People come from
Faker with a fixed seed (``--seed``) and carry the family-name prefix ``Sandbox-`` so nobody mistakes them for
real people. Refuses to run unless ``DJANGO_DEBUG=true``: it must never touch a production database.
"""

from __future__ import annotations

import base64
import datetime
import logging
import random
import uuid
from collections import deque

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.services import agencies_seed, client_create
from referrals.lifecycle import TRANSITIONS
from referrals.models import Referral

SCOPES = ["referrals:read", "referrals:write", "pii:read", "events:read", "webhooks:manage"]
HOST = "127.0.0.1"
# Sample values for the fields lifecycle actions ask for (free text is plainly marked as sandbox data).
ACTION_FIELDS = {
    "reason_code": "insufficient_information",
    "outcome_code": "services_provided",
    "reason": "Sandbox: reason given by the case worker.",
    "question": "Sandbox: is the person in a safe place now?",
    "answer": "Sandbox: yes, at a shelter.",
    "outcome": "Sandbox: shelter and legal services arranged.",
    "assignee": "Sandbox case worker",
}


def status_paths() -> dict[str, list[str]]:
    """The shortest sequence of actions from ``submitted`` to every status, read from the lifecycle table."""
    paths = {"submitted": []}
    queue = deque(["submitted"])
    while queue:
        status = queue.popleft()
        for transition in TRANSITIONS.values():
            # ``forward`` changes no status (it makes a new referral): no step on any path.
            if transition.target is None:
                continue
            if status in transition.sources and transition.target not in paths:
                paths[transition.target] = [*paths[status], transition.action]
                queue.append(transition.target)
    return paths


class Command(BaseCommand):
    help = "Fill a development database with fictitious referrals in every status, type and deadline state."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261202, help="Faker seed (same seed, same people).")
        parser.add_argument("--per-status", type=int, default=2, help="Referrals per referral type and status.")
        parser.add_argument("--no-backdate", action="store_true", help="Do not move deadlines into the past.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("sandbox_seed fills a development database only: set DJANGO_DEBUG=true.")
        from faker import Faker

        logging.getLogger("referral_api.access").setLevel(logging.WARNING)  # one line per request is noise here

        self.fake = Faker(["en_US", "es_MX"])
        self.fake.seed_instance(options["seed"])
        self.random = random.Random(options["seed"])
        agencies_seed()
        self.apis = {code: self._api(code) for code in ("CBP", "ICE", "USCIS")}
        directory = self.apis["CBP"].get("/api/v1/agencies/").json()["results"]
        routes = [
            (agency["code"], referral_type)
            for agency in directory
            if agency["code"] in self.apis
            for referral_type in agency["accepts_referral_types"]
        ]
        created = 0
        for receiver, referral_type in routes:
            sender = next(code for code in ("CBP", "ICE", "USCIS") if code != receiver)
            for actions in status_paths().values():
                for _ in range(options["per_status"]):
                    if self._referral(sender, receiver, referral_type, actions):
                        created += 1
        overdue = 0 if options["no_backdate"] else self._backdate()
        self.stdout.write(
            self.style.SUCCESS(f"Sandbox: {created} referrals over {len(routes)} routes; {overdue} made overdue.")
        )
        for code, api in self.apis.items():
            self.stdout.write(f"  {code}: client_id={api.issued.client.client_id} secret={api.issued.client_secret}")

    def seed(self, seed: int) -> None:
        """Same seed, same people and the same choices."""
        from faker import Faker

        self.fake = Faker(["en_US", "es_MX"])
        self.fake.seed_instance(seed)
        self.random = random.Random(seed)

    def _api(self, agency: str) -> APIClient:
        issued = client_create(agency_code=agency, name=f"sandbox {agency} case system", scopes=SCOPES)
        api = APIClient(SERVER_NAME=HOST)
        basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
        answer = api.post("/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
        if answer.status_code != 200:
            raise CommandError(f"could not get a sandbox token for {agency} ({answer.status_code})")
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access_token']}")
        api.issued = issued
        return api

    def _person(self, role: str, minor: bool = False) -> dict:
        years = self.random.randint(13, 17) if minor else self.random.randint(19, 60)
        born = timezone.now().date() - datetime.timedelta(days=365 * years + self.random.randint(0, 364))
        return {
            "role": role,
            "given_name": self.fake.first_name(),
            "family_name": f"Sandbox-{self.fake.last_name()}",
            "date_of_birth": born.isoformat(),
            "sex": self.random.choice(["female", "male", "x", "unknown"]),
            "citizenships": [self.random.choice(["GT", "HN", "MX", "SV", "VE", "CN"])],
            "languages": [self.random.choice(["es", "en", "zh"])],
            "a_number": f"A0{self.random.randint(10_000_000, 99_999_999)}",
        }

    def _granted_continued_presence(self, sender: str) -> str:
        """A continued_presence referral from ``sender`` granted by ICE (what an extension must name), made once."""
        granted = self.__dict__.setdefault("_granted_cp", {})
        if sender not in granted:
            made = self.apis[sender].post("/api/v1/referrals/", self._body("continued_presence", "ICE"), format="json")
            referral_id = made.json()["id"]
            url = f"/api/v1/referrals/{referral_id}/"
            self.apis["ICE"].post(f"{url}accept/", {}, format="json")
            today = timezone.now().date()
            dates = {
                "effective_on": today.isoformat(),
                "expires_on": (today + datetime.timedelta(days=700)).isoformat(),
            }
            self.apis["ICE"].post(
                f"{url}complete/",
                {
                    "outcome_code": "continued_presence_granted",
                    "outcome": "Sandbox grant.",
                    "continued_presence": dates,
                },
                format="json",
            )
            granted[sender] = referral_id
        return granted[sender]

    def _body(self, referral_type: str, receiver: str, sender: str | None = None) -> dict:
        minor = self.random.random() < 0.2
        body = {
            "referral_type": referral_type,
            "receiver": {"agency": receiver},
            "priority": self.random.choice(["routine", "urgent", "immediate_danger"]),
            "external_reference": f"SANDBOX-{uuid.UUID(int=self.random.getrandbits(128)).hex[:12]}",
            "summary": f"Sandbox {referral_type.replace('_', ' ')} referral (fictitious)",
            "narrative": self.fake.paragraph(nb_sentences=3),
            "trafficking_types": [self.random.choice(["labor", "sex"])],
            "indicators": ["debt_bondage"],
            "persons": [self._person("victim", minor=minor)],
            "consent": {"obtained": True, "obtained_at": timezone.now().isoformat(), "scope": "sandbox"},
        }
        if referral_type in ("investigative_lead", "information_request"):
            body["case"] = {
                "sender_case_number": f"SANDBOX-CASE-{self.random.randint(1000, 9999)}",
                "title": f"Sandbox case: {self.fake.company()}",
                "locations": [{"city": self.fake.city(), "state": "TX", "country": "US"}],
                "organizations": [{"name": f"{self.fake.company()} (fictitious)", "kind": "business"}],
            }
            body["persons"].append(self._person("suspect"))
        if referral_type == "continued_presence_extension" and sender is not None:
            body["related_referral"] = self._granted_continued_presence(sender)
        return body

    def _referral(self, sender: str, receiver: str, referral_type: str, actions: list[str]) -> bool:
        body = self._body(referral_type, receiver, sender)
        answer = self.apis[sender].post("/api/v1/referrals/", body, format="json")
        if answer.status_code != 201:
            self.stderr.write(
                f"  skipped {referral_type} to {receiver}: {answer.status_code} {answer.json().get('title')}"
            )
            return False
        referral = answer.json()
        if self.random.random() < 0.5:
            self.apis[sender].post(
                f"/api/v1/referrals/{referral['id']}/notes/",
                {"body": "Sandbox note: called the shelter.", "information_source": "law_enforcement"},
                format="json",
            )
        for action in actions:
            transition = TRANSITIONS[action]
            actor = sender if transition.actor == "sender" else receiver
            fields = {name: ACTION_FIELDS[name] for name in transition.required if name in ACTION_FIELDS}
            done = self.apis[actor].post(f"/api/v1/referrals/{referral['id']}/{action}/", fields, format="json")
            if done.status_code != 200:
                self.stderr.write(f"  {action} on {referral['reference']}: {done.status_code}")
                return True
        return True

    @transaction.atomic
    def _backdate(self) -> int:
        """Make about a third of the open referrals overdue by moving their clocks back (sandbox only)."""
        open_ids = list(
            Referral.objects.filter(status="submitted", external_reference__startswith="SANDBOX-")
            .order_by("id")
            .values_list("id", flat=True)
        )
        chosen = open_ids[::3]
        past = timezone.now() - datetime.timedelta(days=5)
        Referral.objects.filter(id__in=chosen).update(
            created_at=past, acknowledge_by=past + datetime.timedelta(hours=1)
        )
        return len(chosen)
