"""Need to know, scopes, lifecycle, audit of refused access, query counts."""

from __future__ import annotations

import pytest

from attachments.models import Attachment
from audit.models import AuditEntry
from tests.attachments.conftest import BOUNDARY, PDF_BYTES, TEXT_BYTES, multipart, upload

pytestmark = pytest.mark.django_db


def routes(referral_id, attachment_id):
    base = f"/api/v1/referrals/{referral_id}/attachments/"
    return [
        ("get", base),
        ("post", base),
        ("get", f"{base}{attachment_id}/"),
        ("get", f"{base}{attachment_id}/content/"),
    ]


def call(client, method, path):
    if method == "post":
        return client.generic(
            "POST",
            path,
            multipart([("file", "a.txt", TEXT_BYTES), ("kind", None, "other")]),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    return getattr(client, method)(path)


@pytest.fixture
def attached(cbp, referral):
    return upload(cbp, referral["id"], PDF_BYTES, name="a.pdf").json()


def test_other_agency_gets_404_on_every_attachment_route(uscis, referral, attached, settings):
    for method, path in routes(referral["id"], attached["id"]):
        response = call(uscis, method, path)
        assert response.status_code == 404, (method, path)
        assert response.json()["type"].endswith("/not-found")
    assert Attachment.objects.count() == 1
    denied = AuditEntry.objects.filter(action="referral.access_denied", agency_code="USCIS")
    assert [(d.object_id, d.outcome, d.reason) for d in denied] == [(referral["id"], "denied", "http_404")] * 4
    # The referral is resolved before the body is looked at: a non-party never learns about limits or content.
    settings.ATTACHMENT_MAX_BYTES = 10
    big = b"x" * 100_000
    assert upload(uscis, referral["id"], big).status_code == 404
    assert Attachment.objects.count() == 1


def test_attachment_of_another_referral_or_unknown_is_404(cbp, make_referral, referral, attached):
    other = make_referral()
    for referral_id, attachment_id in [(other["id"], attached["id"]), (referral["id"], other["id"])]:
        for method, path in routes(referral_id, attachment_id)[2:]:
            assert call(cbp, method, path).status_code == 404


def test_upload_needs_write_scope(api, referral):
    reader = api("CBP", "referrals:read")
    response = upload(reader, referral["id"], TEXT_BYTES)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert not Attachment.objects.exists()


def test_reads_need_read_scope(api, referral, attached):
    writer = api("ICE", "referrals:write")
    for method, path in routes(referral["id"], attached["id"]):
        if method == "get":
            response = call(writer, method, path)
            assert response.status_code == 403
            assert response.json()["type"].endswith("/insufficient-scope")


def test_anonymous_is_401(anon, referral, attached):
    for method, path in routes(referral["id"], attached["id"]):
        assert call(anon, method, path).status_code == 401


@pytest.mark.parametrize("status", ["rejected", "withdrawn"])
def test_upload_refused_on_terminal_referral(make_referral, cbp, ice, status):
    referral = make_referral(status)
    for client in (cbp, ice):
        response = upload(client, referral["id"], TEXT_BYTES)
        assert response.status_code == 409
        body = response.json()
        assert body["type"].endswith("/invalid-transition")
        assert body["allowed_actions"] == []
    assert not Attachment.objects.exists()
    # Reading stays possible.
    assert cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/").status_code == 200


def test_both_parties_may_upload_while_open(make_referral, cbp, ice):
    referral = make_referral("info_requested")
    assert upload(cbp, referral["id"], TEXT_BYTES).status_code == 201
    assert upload(ice, referral["id"], TEXT_BYTES).status_code == 201


def test_read_accesses_are_audited(cbp, referral, attached):
    cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/")
    cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{attached['id']}/")
    actions = list(
        AuditEntry.objects.filter(object_type="referral", object_id=referral["id"], action__startswith="attachment.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["attachment.uploaded", "attachment.list_read", "attachment.read"]


def test_list_query_count_is_constant(cbp, ice, referral, django_assert_num_queries):
    upload(cbp, referral["id"], PDF_BYTES)
    path = f"/api/v1/referrals/{referral['id']}/attachments/"
    cbp.get(path)  # the token is cached from its second use
    # referral (need to know), page (with uploader agency), audit insert
    with django_assert_num_queries(3):
        assert len(cbp.get(path).json()["results"]) == 1
    for _ in range(4):
        upload(ice, referral["id"], TEXT_BYTES)
    with django_assert_num_queries(3):
        assert len(cbp.get(path).json()["results"]) == 5


def test_metadata_query_count(cbp, referral, attached, django_assert_num_queries):
    cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/")  # the token is cached from its second use
    # the referral (need to know, resolved once by the referral-scoped base view), the attachment, audit insert
    with django_assert_num_queries(3):
        response = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{attached['id']}/")
    assert response.status_code == 200
