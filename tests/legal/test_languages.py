"""Languages are BCP 47 tags (RFC 5646) validated by langcodes, stored canonical; ISO 639-1 data stays valid."""

from __future__ import annotations

import pytest

from referrals.languages import canonical_language_tag
from referrals.models import Person
from tests.referrals.conftest import BASE_PERSON, referral_body

URL = "/api/v1/referrals/"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [("mam", "mam"), ("quc", "quc"), ("kek", "kek"), ("ixl", "ixl"), ("zh-Hant", "zh-Hant"), ("zh-hant", "zh-Hant"),
     ("EN", "en"), ("es", "es"), ("es-419", "es-419"), ("iw", "he")],
)  # fmt: skip
def test_bcp47_tags_are_accepted_and_stored_canonical(cbp, sent, stored):
    response = cbp.post(URL, referral_body(persons=[{**BASE_PERSON, "languages": [sent]}]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["persons"][0]["languages"] == [stored]
    assert Person.objects.get(referral_id=response.json()["id"]).languages == [stored]


@pytest.mark.parametrize("sent", ["xx-invalid", "spanish", "e", "", "en_US", "x" * 40, 7])
def test_invalid_tags_are_400_naming_the_field(cbp, sent):
    response = cbp.post(URL, referral_body(persons=[{**BASE_PERSON, "languages": [sent]}]), format="json")
    assert response.status_code == 400, response.content
    assert any(e["field"].startswith("persons[0].languages") for e in response.json()["errors"])


def test_every_iso_639_1_code_stays_valid_and_unchanged():
    # The codes the service accepted before v1.1 (ISO 639-1): each is still a canonical BCP 47 tag, except the
    # three that ISO itself withdrew in favour of a new code (IANA registry "Preferred-Value").
    old = """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee
    el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
    ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb
    nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
    changed = {code: canonical_language_tag(code) for code in old if canonical_language_tag(code) != code}
    assert all(canonical_language_tag(code) for code in old)
    assert set(changed) <= {"no", "tl", "mo"}


def test_interpreter_needed_defaults_false_and_stays_visible_when_masked(cbp, api):
    body = referral_body(persons=[{**BASE_PERSON, "languages": ["mam"], "interpreter_needed": True}, BASE_PERSON])
    created = cbp.post(URL, body, format="json").json()
    assert [p["interpreter_needed"] for p in created["persons"]] == [True, False]
    masked = api("ICE", "referrals:read").get(f"{URL}{created['id']}/").json()["persons"][0]
    assert masked["masked"] is True and masked["given_name"] is None
    assert masked["languages"] == ["mam"] and masked["interpreter_needed"] is True
