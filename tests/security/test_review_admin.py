"""Security review (issue 16): the admin findings H1, L8 and the audit part of L9, and M1's scope narrowing.

Each test is named after its finding and fails on the code before the fix.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client as BrowserClient

from agencies.models import Agency, Client, Route
from audit.models import AuditEntry
from tests.agencies.test_commands import token_status
from tests.conftest import obtain_token
from tests.factories import agency_admin_form
from tests.security.conftest import bearer


def _staff(username: str, *perms: str, superuser: bool = False) -> BrowserClient:
    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", "a long enough password 1")
    else:
        user = User.objects.create_user(username, f"{username}@example.org", "a long enough password 1", is_staff=True)
        for codename in perms:
            user.user_permissions.add(Permission.objects.get(codename=codename))
    browser = BrowserClient()
    browser.force_login(user)
    return browser


def _action(browser, action: str, client: Client):
    return browser.post(
        "/admin/agencies/client/", {"action": action, "_selected_action": [str(client.pk)]}, follow=True
    )


# --- H1 ----------------------------------------------------------------------------------------------------


def test_h1_view_only_staff_cannot_rotate_secret(make_client):
    issued = make_client("ICE")
    viewer = _staff("viewer", "view_client")
    listing = viewer.get("/admin/agencies/client/")
    assert listing.status_code == 200
    assert "rotate_secret" not in listing.content.decode()  # not offered
    response = _action(viewer, "rotate_secret", issued.client)
    page = response.content.decode()
    assert "New secret" not in page
    assert all("New secret" not in str(m) for m in response.context["messages"])
    # The old secret still works: nothing was rotated.
    assert token_status(issued.client.client_id, issued.client_secret) == 200
    assert not AuditEntry.objects.filter(action="client.secret_rotated").exists()


def test_h1_view_only_staff_cannot_revoke(make_client):
    issued = make_client("ICE")
    viewer = _staff("viewer", "view_client")
    _action(viewer, "revoke", issued.client)
    issued.client.refresh_from_db()
    assert issued.client.active is True
    assert token_status(issued.client.client_id, issued.client_secret) == 200


def test_h1_staff_with_change_permission_rotates_and_the_audit_row_names_the_admin_user(make_client):
    issued = make_client("ICE")
    editor = _staff("editor", "view_client", "change_client")
    response = _action(editor, "rotate_secret", issued.client)
    assert any("New secret" in str(m) for m in response.context["messages"])
    assert token_status(issued.client.client_id, issued.client_secret) == 401
    row = AuditEntry.objects.get(action="client.secret_rotated")
    assert row.client_id == "admin:editor"
    assert row.object_id == issued.client.client_id
    assert row.agency_code == "ICE"
    _action(editor, "revoke", issued.client)
    row = AuditEntry.objects.get(action="client.revoked")
    assert row.client_id == "admin:editor"
    assert row.object_id == issued.client.client_id


# --- M1 ----------------------------------------------------------------------------------------------------


def test_m1_removing_a_scope_from_a_client_reduces_its_live_tokens_at_once(make_client, seeded):
    issued = make_client("CBP", "referrals:read events:read pii:read")
    api = bearer(obtain_token(issued))
    assert api.get("/api/v1/events/").status_code == 200
    assert api.get("/api/v1/events/").status_code == 200  # now served from the token cache
    call_command("agency_client_set_scopes", issued.client.client_id, "--scopes", "referrals:read")
    response = api.get("/api/v1/events/")
    assert response.status_code == 403, response.content
    assert response.json()["type"].endswith("insufficient-scope")
    assert api.get("/api/v1/me/").json()["scopes"] == ["referrals:read"]
    assert api.get("/api/v1/referrals/").status_code == 200


def test_m1_widening_a_client_gives_live_tokens_nothing_new(make_client):
    issued = make_client("CBP", "referrals:read")
    api = bearer(obtain_token(issued))
    call_command("agency_client_set_scopes", issued.client.client_id, "--scopes", "referrals:read events:read")
    assert api.get("/api/v1/me/").json()["scopes"] == ["referrals:read"]
    assert api.get("/api/v1/events/").status_code == 403
    assert bearer(obtain_token(issued)).get("/api/v1/events/").status_code == 200


def test_m1_narrowing_in_the_admin_reduces_live_tokens(make_client):
    issued = make_client("CBP", "referrals:read events:read")
    api = bearer(obtain_token(issued))
    api.get("/api/v1/me/")
    admin = _staff("editor", superuser=True)
    response = admin.post(
        f"/admin/agencies/client/{issued.client.pk}/change/",
        {"name": issued.client.name, "allowed_scopes": "referrals:read", "active": "on"},
    )
    assert response.status_code == 302
    assert api.get("/api/v1/me/").json()["scopes"] == ["referrals:read"]
    assert api.get("/api/v1/events/").status_code == 403
    row = AuditEntry.objects.get(action="client.admin_changed")
    assert (row.client_id, row.reason) == ("admin:editor", "field:allowed_scopes")
    assert row.object_id == issued.client.client_id


def test_m1_set_scopes_command_validates_and_audits(make_client, capsys):
    issued = make_client("CBP", "referrals:read events:read")
    with pytest.raises(Exception) as excinfo:
        call_command("agency_client_set_scopes", issued.client.client_id, "--scopes", "introspection")
    assert "introspection" in str(excinfo.value)
    with pytest.raises(Exception):
        call_command("agency_client_set_scopes", "no-such-client", "--scopes", "referrals:read")
    issued.client.refresh_from_db()
    assert issued.client.allowed_scopes == "events:read referrals:read"
    call_command("agency_client_set_scopes", issued.client.client_id, "--scopes", "referrals:read", "--json")
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["scopes"] == "referrals:read"
    rows = AuditEntry.objects.filter(action="client.scopes_changed", object_id=issued.client.client_id)
    assert [r.reason for r in rows] == ["removed:events:read"]


# --- L8 ----------------------------------------------------------------------------------------------------


def test_l8_agency_code_is_immutable_in_the_admin_once_used(make_client):
    make_client("USCIS")
    agency = Agency.objects.get(code="USCIS")
    admin = _staff("editor", superuser=True)
    data = {
        "code": "XUSCIS",
        "name": agency.name,
        "may_receive_1367_protected": "on",
        "active": "on",
        "offices-TOTAL_FORMS": "0",
        "offices-INITIAL_FORMS": "0",
        "offices-MIN_NUM_FORMS": "0",
        "offices-MAX_NUM_FORMS": "1000",
    }
    response = admin.post(f"/admin/agencies/agency/{agency.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    assert Agency.objects.filter(code="USCIS").exists()
    assert not Agency.objects.filter(code="XUSCIS").exists()


def test_l8_a_new_unused_agency_code_can_still_be_corrected(db):
    agency = Agency.objects.create(code="HHSX", name="Typo")
    admin = _staff("editor", superuser=True)
    data = {
        "code": "HHS",
        "name": "HHS",
        "active": "on",
        "offices-TOTAL_FORMS": "0",
        "offices-INITIAL_FORMS": "0",
        "offices-MIN_NUM_FORMS": "0",
        "offices-MAX_NUM_FORMS": "1000",
    }
    assert admin.post(f"/admin/agencies/agency/{agency.pk}/change/", data).status_code == 302
    assert Agency.objects.get(pk=agency.pk).code == "HHS"


# --- L9 (audit of admin changes) ---------------------------------------------------------------------------


def test_l9_admin_changes_to_agencies_and_routes_are_in_the_hash_chained_audit_trail(seeded):
    from audit.chain import audit_seal, audit_verify_chain

    admin = _staff("editor", superuser=True)
    agency = Agency.objects.get(code="CBP")
    data = agency_admin_form(agency, may_receive_1367_protected=False, active=True)
    assert admin.post(f"/admin/agencies/agency/{agency.pk}/change/", data).status_code == 302
    row = AuditEntry.objects.get(action="agency.admin_changed")
    assert (row.client_id, row.object_id, row.reason) == ("admin:editor", "CBP", "field:may_receive_1367_protected")

    route = Route.objects.filter(agency__code="CBP").first()
    response = admin.post(
        f"/admin/agencies/route/{route.pk}/change/",
        {"referral_type": route.referral_type, "agency": str(route.agency_id), "active": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    row = AuditEntry.objects.get(action="route.admin_changed")
    assert row.client_id == "admin:editor"
    assert row.object_id == f"{route.referral_type}:CBP"
    assert row.reason == "field:active"
    audit_seal(wait=False)
    assert audit_verify_chain().intact


# --- L9 (second factor and login throttling) ---------------------------------------------------------------


def _totp_now(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def test_l9_admin_requires_a_totp_second_factor_in_production(db, settings, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ADMIN_OTP_REQUIRED = True
    User = get_user_model()
    User.objects.create_superuser("root", "root@example.org", "a long enough password 1")
    browser = BrowserClient()
    # Password alone: refused (the form asks for the code), and a session without a verified device is not staff.
    response = browser.post("/admin/login/?next=/admin/", {"username": "root", "password": "a long enough password 1"})
    assert response.status_code == 200
    assert browser.get("/admin/").status_code == 302
    forced = BrowserClient()
    forced.force_login(User.objects.get(username="root"))
    assert forced.get("/admin/").status_code == 302  # logged in, but not verified: sent to the login page
    # Bootstrap: the command gives the first superuser a device and prints its secret once.
    call_command("admin_otp_add", "root", "--json")
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["otpauth_uri"].startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user__username="root")
    assert AuditEntry.objects.filter(action="admin.otp_device_added", object_id="root").exists()
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "a long enough password 1", "otp_device": device.persistent_id,
         "otp_token": _totp_now(device)},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    assert browser.get("/admin/").status_code == 200


def test_l9_admin_otp_bootstrap_refuses_unknown_or_non_staff_users(db):
    get_user_model().objects.create_user("plain", "p@example.org", "a long enough password 1")
    for username in ("plain", "nobody"):
        with pytest.raises(Exception, match="No staff user"):
            call_command("admin_otp_add", username)


@pytest.mark.redis
def test_l9_admin_login_is_throttled_per_address(db, settings):
    settings.ADMIN_LOGIN_RATE_LIMIT = "3/min"
    get_user_model().objects.create_superuser("root", "root@example.org", "a long enough password 1")
    browser = BrowserClient(REMOTE_ADDR="198.51.100.77")
    statuses = [
        browser.post("/admin/login/", {"username": "root", "password": f"wrong {n}"}).status_code for n in range(3)
    ]
    assert statuses == [200] * 3
    refused = browser.post("/admin/login/", {"username": "root", "password": "a long enough password 1"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    other = BrowserClient(REMOTE_ADDR="198.51.100.78")
    assert other.post("/admin/login/", {"username": "root", "password": "a long enough password 1"}).status_code == 302
