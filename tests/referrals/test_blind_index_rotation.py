"""Blind-index key rotation: with a new key in front, lookups still match rows indexed under the old one;
``blind_index_rotate`` recomputes every digest under the newest key, resumably."""

from __future__ import annotations

import io
import secrets

import pytest
from django.core.management import CommandError, call_command

from referrals.indexes import index_key_id
from referrals.management.commands.blind_index_rotate import blind_indexes_recompute
from referrals.models import Person
from tests.referrals.conftest import referral_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def duplicates_of(client) -> list[str]:
    response = client.post(URL, referral_body(), format="json")
    assert response.status_code == 201, response.content
    return [d["match"] for d in response.json()["possible_duplicates"]]


def test_lookups_match_any_key_and_recompute_moves_every_digest(cbp, settings):
    first = cbp.post(URL, referral_body(), format="json")
    assert first.status_code == 201
    old_digests = set(Person.objects.values_list("a_number_index", "name_dob_index"))
    old_key_id = index_key_id()

    settings.BLIND_INDEX_KEYS = [secrets.token_hex(32), *settings.BLIND_INDEX_KEYS]
    assert index_key_id() != old_key_id
    # The old person is still found although the new person's digests are under the new key.
    assert duplicates_of(cbp) == [["a_number", "name_and_date_of_birth"]]

    out = io.StringIO()
    call_command("blind_index_rotate", "--dry-run", stdout=out)
    assert "1 people to recompute" in out.getvalue()
    call_command("blind_index_rotate", "--batch-size", "1", stdout=out)
    assert set(Person.objects.values_list("index_key_id", flat=True)) == {index_key_id()}
    assert not set(Person.objects.values_list("a_number_index", "name_dob_index")) & old_digests
    assert blind_indexes_recompute() == 0  # nothing left

    settings.BLIND_INDEX_KEYS = settings.BLIND_INDEX_KEYS[:1]  # the old key removed: matches still found
    assert len(duplicates_of(cbp)) == 2


def test_an_interrupted_recompute_finishes_on_the_next_run(cbp, settings):
    for _ in range(3):
        assert cbp.post(URL, referral_body(), format="json").status_code == 201
    settings.BLIND_INDEX_KEYS = [secrets.token_hex(32), *settings.BLIND_INDEX_KEYS]

    class Crash(Exception):
        pass

    def crash(done):
        raise Crash

    with pytest.raises(Crash):
        blind_indexes_recompute(batch_size=1, after_batch=crash)
    assert Person.objects.filter(index_key_id=index_key_id()).count() == 1
    assert blind_indexes_recompute(batch_size=2) == 2
    assert Person.objects.exclude(index_key_id=index_key_id()).count() == 0


def test_batch_size_must_be_positive():
    with pytest.raises(CommandError):
        call_command("blind_index_rotate", "--batch-size", "0")
