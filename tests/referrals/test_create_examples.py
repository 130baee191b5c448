"""Every worked create example in the OpenAPI document is a referral the API accepts."""

from __future__ import annotations

import copy

import pytest

from referrals.api.views import CREATE_EXAMPLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("title", list(CREATE_EXAMPLES))
def test_create_example_is_accepted(api, title):
    sender, body = CREATE_EXAMPLES[title]
    response = api(sender, "referrals:read referrals:write").post(
        "/api/v1/referrals/", copy.deepcopy(body), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["referral_type"] == body["referral_type"]


def test_every_referral_type_with_a_seeded_route_has_an_example(seeded):
    from agencies.models import Route

    documented = {body["referral_type"] for _, body in CREATE_EXAMPLES.values()}
    routed = set(Route.objects.values_list("referral_type", flat=True)) - {"immigration_relief_screening"}
    assert routed <= documented, routed - documented
