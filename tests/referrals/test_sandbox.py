"""manage.py sandbox_seed: fictitious referrals in every status and type, never in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from referrals.management.commands.sandbox_seed import status_paths
from referrals.models import Person, Referral

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_refuses_to_run_in_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("sandbox_seed")
    assert not Referral.objects.exists()


def test_status_paths_reach_every_status_from_the_lifecycle_table():
    from referrals.models import Status

    paths = status_paths()
    assert set(paths) == {str(s) for s in Status}
    assert paths["on_hold"] == ["accept", "start", "hold"]


def test_fills_every_routed_type_and_status_with_fictitious_people(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("sandbox_seed", "--per-status", "1", stdout=out, stderr=io.StringIO())
    from agencies.models import Route

    routed = set(Route.objects.values_list("referral_type", flat=True))
    seen = set(Referral.objects.values_list("referral_type", "status"))
    for referral_type in routed:
        for status in status_paths():
            assert (referral_type, status) in seen, (referral_type, status)
    assert Referral.objects.filter(acknowledge_by__lt=timezone.now()).exists()  # some made overdue
    people = list(Person.objects.all())
    assert people and all(p.family_name.startswith("Sandbox-") for p in people)
    assert "client_id=" in out.getvalue()


def test_same_seed_same_people():
    from referrals.management.commands.sandbox_seed import Command

    def people(seed):
        command = Command()
        command.seed(seed)
        return [command._person("victim") for _ in range(5)]

    assert people(7) == people(7)
    assert people(7) != people(8)
