"""Audit rows in the Django admin: visible, filterable, searchable, never added, changed or deleted."""

from __future__ import annotations

import pytest

from audit.context import AuditContext
from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("auditor", "auditor@example.org", "a-long-password-1")
    client.force_login(user)
    return client


@pytest.fixture
def entry():
    ctx = AuditContext(agency_code="CBP", client_id="cid", client_name="OFO system", request_id="r-1")
    return audit_record(action="referral.read", object_type="referral", object_id="3f0c0d5e-ref", context=ctx)


URL = "/admin/audit/auditentry/"


def test_changelist_lists_filters_and_searches(admin_client, entry):
    audit_record(action="client.created", object_type="client", object_id="other-object")
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert b"3f0c0d5e-ref" in response.content and b"Add audit entry" not in response.content
    for query in ["agency_code=CBP", "client_name=OFO+system", "action=referral.read", "object_type=referral"]:
        filtered = admin_client.get(f"{URL}?{query}")
        assert filtered.status_code == 200, query
        assert b"3f0c0d5e-ref" in filtered.content and b"other-object" not in filtered.content, query
    found = admin_client.get(f"{URL}?q=3f0c0d5e-ref")
    assert b"3f0c0d5e-ref" in found.content and b"other-object" not in found.content


def test_admin_cannot_add_change_or_delete(admin_client, entry):
    assert admin_client.get(f"{URL}add/").status_code == 403
    detail = admin_client.get(f"{URL}{entry.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert admin_client.post(f"{URL}{entry.pk}/change/", {"action": "forged"}).status_code == 403
    assert admin_client.get(f"{URL}{entry.pk}/delete/").status_code == 403
    assert admin_client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = admin_client.post(URL, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk, action="referral.read").exists()
