"""The Django admin: clients are reviewed, rotated and revoked there; secrets and tokens are never shown."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client as BrowserClient
from oauth2_provider.models import get_access_token_model, get_grant_model, get_id_token_model, get_refresh_token_model

from agencies.models import Agency, Client
from tests.agencies.test_commands import token_status
from tests.agencies.test_tokens import assert_invalid_token, bearer
from tests.conftest import obtain_token
from tests.factories import agency_admin_form

AccessToken = get_access_token_model()


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_superuser("operator", "ops@example.org", "a long enough password 1")
    browser = BrowserClient()
    browser.force_login(user)
    return browser


def test_client_list_and_change_page_show_no_secret_or_token(staff, make_client):
    issued = make_client("CBP", "referrals:read")
    raw = obtain_token(issued)
    issued.client.refresh_from_db()
    pages = [
        staff.get("/admin/agencies/client/"),
        staff.get(f"/admin/agencies/client/{issued.client.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert issued.client.client_id in html
        assert issued.client_secret not in html
        assert issued.client.client_secret not in html  # the stored hash either
        assert raw not in html
        assert "client_secret" not in html


@pytest.mark.parametrize(
    "model_getter", [get_access_token_model, get_refresh_token_model, get_grant_model, get_id_token_model]
)
def test_oauth_token_admin_pages_are_not_registered(staff, model_getter):
    model = model_getter()
    assert not admin.site.is_registered(model)
    response = staff.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    assert response.status_code == 404


def test_clients_cannot_be_added_or_deleted_in_admin(staff, make_client):
    issued = make_client()
    assert staff.get("/admin/agencies/client/add/").status_code == 403
    assert staff.get(f"/admin/agencies/client/{issued.client.pk}/delete/").status_code == 403


def _action(staff, action: str, client: Client):
    return staff.post(
        "/admin/agencies/client/",
        {"action": action, "_selected_action": [str(client.pk)]},
        follow=True,
    )


def test_rotate_action_shows_new_secret_once_and_revokes_tokens(staff, make_client):
    issued = make_client("ICE")
    raw = obtain_token(issued)
    response = _action(staff, "rotate_secret", issued.client)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    match = re.search(r"New secret for \S+: (\S+) ", " ".join(messages))
    assert match, messages
    new_secret = match.group(1)
    assert token_status(issued.client.client_id, issued.client_secret) == 401
    assert token_status(issued.client.client_id, new_secret) == 200
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))
    # The next page view does not show it again.
    assert new_secret not in staff.get("/admin/agencies/client/").content.decode()


def test_revoke_action(staff, make_client):
    issued = make_client("ICE")
    raw = obtain_token(issued)
    response = _action(staff, "revoke", issued.client)
    assert response.status_code == 200
    issued.client.refresh_from_db()
    assert issued.client.active is False
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))
    assert token_status(issued.client.client_id, issued.client_secret) == 401


def test_deactivating_a_client_in_the_change_form_deletes_its_tokens(staff, make_client):
    issued = make_client("CBP", "referrals:read events:read")
    raw = obtain_token(issued)
    response = staff.post(
        f"/admin/agencies/client/{issued.client.pk}/change/",
        {"name": issued.client.name, "allowed_scopes": issued.client.allowed_scopes, "active": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    assert AccessToken.objects.filter(application=issued.client).count() == 0
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))


def test_change_form_refuses_a_scope_outside_partner_scopes(staff, make_client):
    issued = make_client("CBP", "referrals:read")
    response = staff.post(
        f"/admin/agencies/client/{issued.client.pk}/change/",
        {"name": issued.client.name, "allowed_scopes": "referrals:read introspection", "active": "on"},
    )
    assert response.status_code == 200  # the form comes back with an error
    issued.client.refresh_from_db()
    assert issued.client.allowed_scopes == "referrals:read"


def test_deactivating_an_agency_in_admin_stops_its_tokens(staff, make_client):
    issued = make_client("USCIS")
    raw = obtain_token(issued)
    agency = Agency.objects.get(code="USCIS")
    data = agency_admin_form(agency, may_receive_1367_protected=True, active=False)
    response = staff.post(f"/admin/agencies/agency/{agency.pk}/change/", data)
    assert response.status_code == 302, response.content[:3000]
    assert Agency.objects.get(code="USCIS").active is False
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))
    assert token_status(issued.client.client_id, issued.client_secret) == 401
