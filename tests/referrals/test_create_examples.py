"""Every worked create example in the OpenAPI document is a referral the API accepts."""

from __future__ import annotations

import copy

import pytest

from referrals.api.views import CREATE_EXAMPLES

pytestmark = pytest.mark.django_db


def granted_continued_presence(sender, ice) -> str:
    """A continued_presence referral granted by ICE: what an extension must name in related_referral."""
    from tests.referrals.conftest import referral_body

    made = sender.post("/api/v1/referrals/", referral_body(referral_type="continued_presence"), format="json").json()
    assert ice.post(f"/api/v1/referrals/{made['id']}/accept/", {}, format="json").status_code == 200
    dates = {"effective_on": "2026-12-01", "expires_on": "2028-11-30"}
    done = ice.post(
        f"/api/v1/referrals/{made['id']}/complete/",
        {"outcome_code": "continued_presence_granted", "outcome": "Granted.", "continued_presence": dates},
        format="json",
    )
    assert done.status_code == 200, done.content
    return made["id"]


@pytest.mark.parametrize("title", list(CREATE_EXAMPLES))
def test_create_example_is_accepted(api, title):
    sender, body = CREATE_EXAMPLES[title]
    body = copy.deepcopy(body)
    client = api(sender, "referrals:read referrals:write")
    if body["referral_type"] == "continued_presence_extension":
        body["related_referral"] = granted_continued_presence(client, api("ICE"))
    response = client.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["referral_type"] == body["referral_type"]


def test_every_referral_type_with_a_seeded_route_has_an_example(seeded):
    from agencies.models import Route

    documented = {body["referral_type"] for _, body in CREATE_EXAMPLES.values()}
    routed = set(Route.objects.values_list("referral_type", flat=True)) - {"immigration_relief_screening"}
    assert routed <= documented, routed - documented
