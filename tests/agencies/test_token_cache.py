"""The token cache: a cached token is refused at once after revocation, deactivation, rotation or expiry."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from agencies.tokens import TOKEN_KEY
from tests.conftest import obtain_token

pytestmark = pytest.mark.redis
AccessToken = get_access_token_model()
ME = "/api/v1/me/"


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def cached_token(make_client, agency: str = "CBP"):
    """A client, its raw token, and an API client whose token is now served from the cache."""
    issued = make_client(agency)
    raw = obtain_token(issued)
    api = bearer(raw)
    for _ in range(2):  # cached from the second use on
        assert api.get(ME).status_code == 200
    assert token_queries(api) == 0
    return issued, raw, api


def token_queries(api) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(ME)
    assert response.status_code in (200, 401)
    return sum("oauth2_provider_accesstoken" in q["sql"] for q in ctx.captured_queries)


def assert_refused(api) -> None:
    response = api.get(ME)
    assert response.status_code == 401, response.content
    assert response.json()["type"].endswith("/invalid-token")


def test_second_use_is_cached_and_holds_no_secret(make_client):
    import hashlib

    issued = make_client()
    raw = obtain_token(issued)
    api = bearer(raw)
    assert token_queries(api) == 1
    assert token_queries(api) == 1  # generations read before the row: cached from here on
    assert token_queries(api) == 0
    entry = cache.get(TOKEN_KEY.format(hashlib.sha256(raw.encode()).hexdigest()))
    assert entry["client"] == issued.client.client_id
    client = entry["token"].application
    assert "client_secret" not in client.__dict__  # deferred: the secret's hash is not in the cache
    assert client.agency.code == "CBP"


def test_client_revoked_by_command_service(make_client):
    from agencies.services import client_revoke

    issued, _, api = cached_token(make_client)
    client_revoke(client_id=issued.client.client_id)
    assert_refused(api)


def test_client_deactivated_by_save(make_client):
    issued, _, api = cached_token(make_client)
    client = issued.client
    client.active = False
    client.save()
    assert_refused(api)


def test_client_deactivated_by_queryset_update(make_client):
    issued, _, api = cached_token(make_client)
    type(issued.client).objects.filter(pk=issued.client.pk).update(active=False)
    assert_refused(api)


def test_agency_deactivated_by_save_and_by_update(make_client):
    from agencies.models import Agency

    _, _, api = cached_token(make_client, "ICE")
    agency = Agency.objects.get(code="ICE")
    agency.active = False
    agency.save()
    assert_refused(api)
    Agency.objects.filter(code="ICE").update(active=True)
    assert api.get(ME).status_code == 200

    _, _, other = cached_token(make_client, "ICE")
    Agency.objects.filter(code="ICE").update(active=False)
    assert_refused(other)


def test_other_agencies_tokens_stay_cached(make_client):
    from agencies.models import Agency

    _, _, cbp = cached_token(make_client, "CBP")
    Agency.objects.filter(code="ICE").update(active=False)
    assert token_queries(cbp) == 0


def test_secret_rotation_revokes_cached_tokens(make_client):
    from agencies.services import client_rotate_secret

    issued, _, api = cached_token(make_client)
    client_rotate_secret(client_id=issued.client.client_id)
    assert_refused(api)


def test_token_revoked_through_the_revocation_endpoint(make_client):
    import base64

    issued, raw, api = cached_token(make_client)
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    response = APIClient().post("/oauth/revoke_token/", {"token": raw}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200
    assert not AccessToken.objects.filter(application=issued.client).exists()
    assert_refused(api)


def test_token_deleted_or_revoked_in_the_model(make_client):
    issued, _, api = cached_token(make_client)
    AccessToken.objects.get(application=issued.client).revoke()
    assert_refused(api)


def test_token_expiry_shortened_by_update(make_client):
    issued, _, api = cached_token(make_client)
    AccessToken.objects.filter(application=issued.client).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert_refused(api)


def test_cached_token_refused_once_it_expires(make_client):
    issued = make_client()
    raw = obtain_token(issued)
    # Leave the token two seconds to live (set before its first use, so nothing is invalidated by this).
    AccessToken.objects.filter(application=issued.client).update(expires=timezone.now() + datetime.timedelta(seconds=2))
    api = bearer(raw)
    for _ in range(2):
        assert api.get(ME).status_code == 200
    assert token_queries(api) == 0
    time.sleep(2.2)
    assert_refused(api)


def test_invalidation_also_after_commit(make_client, django_capture_on_commit_callbacks):
    """A request that read the row before the commit cannot leave a stale entry: the bump runs after commit."""
    issued, _, api = cached_token(make_client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        type(issued.client).objects.filter(pk=issued.client.pk).update(active=False)
    assert callbacks, "the generation bump is scheduled after commit too"
    assert_refused(api)


def test_unknown_token_is_never_cached(seeded):
    api = bearer("not-a-real-token")
    assert_refused(api)
    assert token_queries(api) == 1
