"""``manage.py blind_index_rotate``: recompute every person's blind indexes under the newest BLIND_INDEX_KEYS key."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referral_api.keystore import keyring
from referrals.indexes import index_key_id, person_index
from referrals.models import Person


def blind_indexes_recompute(*, batch_size: int = 500, dry_run: bool = False, after_batch=None) -> int:
    """Recompute the digests of every person not yet under the newest key; return how many (resumable).

    A person is done when ``index_key_id`` names the newest key; an interrupted run is simply run again. Each
    batch decrypts its people (one key unwrap query per batch) and writes in one short transaction, only rows
    still under the key read.
    """
    newest = index_key_id()
    done = 0
    after = None
    while True:
        rows = Person.objects.exclude(index_key_id=newest).order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        with keyring.scope():
            batch = list(rows[:batch_size])
            if not batch:
                return done
            after = batch[-1].pk
            if dry_run:
                done += len(batch)
                continue
            with transaction.atomic():
                for person in batch:
                    old = person.index_key_id
                    person_index(person)
                    done += Person.objects.filter(pk=person.pk, index_key_id=old).update(
                        a_number_index=person.a_number_index,
                        name_dob_index=person.name_dob_index,
                        index_key_id=person.index_key_id,
                    )
        if after_batch is not None:
            after_batch(done)


class Command(BaseCommand):
    help = (
        "Recompute every person's blind indexes under the first key of BLIND_INDEX_KEYS (lookups match any listed "
        "key meanwhile). Resumable: run it again after an interruption; then older keys may be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="People per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Only count the people still to recompute.")

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.perf_counter()
        count = blind_indexes_recompute(batch_size=batch_size, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} people to recompute.")
            return
        self.stdout.write(f"{count} people recomputed in {time.perf_counter() - started:.2f} s.")
        self.stdout.write(self.style.SUCCESS("Every blind index is under the newest key; older keys may be removed."))
