"""A CBP case system: send a referral to ICE's Victim Assistance Program, then wait until ICE acknowledges it.

    pip install ./clients/python
    REFERRAL_API_URL=http://127.0.0.1:8000 CLIENT_ID=... CLIENT_SECRET=... python examples/send_referral.py

The client needs the scopes referrals:write, referrals:read and events:read (`make run` prints such a CBP
client). The script gets a token, creates the referral with an Idempotency-Key (the typed client's session
sends one on every write and resends the same key on retries), handles the answers a case system must
handle (201 created, 409 already sent, 422 refused by a rule), then follows the event feed until the
referral is acknowledged. Exit status: 0 acknowledged, 1 refused, 2 timed out.
"""

from __future__ import annotations

import os
import sys
import time
import uuid

from partner_referral_api_client.api.events import events_list
from partner_referral_api_client.api.identity import me
from partner_referral_api_client.api.referrals import referrals_create, referrals_list
from partner_referral_api_client.models import Problem, ReferralCreateRequest
from partner_referral_api_client.session import connect


def referral_body(external_reference: str) -> ReferralCreateRequest:
    """A victim-assistance referral; the people here are fictitious."""
    return ReferralCreateRequest.from_dict(
        {
            "referral_type": "victim_assistance",
            "receiver": {"agency": "ICE", "office": "VAP"},
            "priority": "urgent",
            "external_reference": external_reference,
            "summary": "Adult encountered at a port of entry, indicators of labor trafficking",
            "trafficking_types": ["labor"],
            "indicators": ["debt_bondage", "documents_withheld"],
            "persons": [
                {
                    "role": "victim",
                    "given_name": "Example",
                    "family_name": "Person",
                    "date_of_birth": "1999-04-01",
                    "sex": "female",
                    "citizenships": ["HN"],
                    "languages": ["es"],
                }
            ],
            "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share with VAP"},
        }
    )


def main() -> int:
    api = connect(
        os.environ["REFERRAL_API_URL"], client_id=os.environ["CLIENT_ID"], client_secret=os.environ["CLIENT_SECRET"]
    )
    print(f"signed in as {me.sync(client=api).agency.code}")
    external_reference = os.environ.get("EXTERNAL_REFERENCE") or f"CBP-EXAMPLE-{uuid.uuid4().hex[:12]}"

    # Read the feed to its end first, so that we only wait on what happens from now on.
    after = None
    while (page := events_list.sync(client=api, **({"after": after} if after else {}))).results:
        after = page.next_after

    answer = referrals_create.sync_detailed(client=api, body=referral_body(external_reference))
    if answer.status_code == 201:
        referral = answer.parsed
    elif answer.status_code == 409:
        # This external reference was sent before (a retry after a crash): carry on with that referral.
        referral = referrals_list.sync(client=api, external_reference=external_reference).results[0]
    else:
        problem = answer.parsed
        if isinstance(problem, Problem):
            print(f"refused ({problem.status}): {problem.title}: {problem.detail}", file=sys.stderr)
            for error in problem.errors or []:
                print(f"  {error.field}: {error.message}", file=sys.stderr)
        return 1
    print(f"sent {referral.reference} ({referral.id}), status {referral.status}")

    deadline = time.monotonic() + float(os.environ.get("EXAMPLE_TIMEOUT", "120"))
    while time.monotonic() < deadline:
        page = events_list.sync(client=api, **({"after": after} if after else {}))
        for event in page.results:
            data = event.data.to_dict() if event.data else {}
            if str(event.referral.id) == str(referral.id) and data.get("to_status") == "acknowledged":
                print(f"acknowledged {referral.reference} by {data.get('actor_agency')}")
                return 0
        after = page.next_after or after
        if not page.results:
            time.sleep(1)
    print(f"{referral.reference} was not acknowledged in time", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
