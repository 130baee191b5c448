"""Wrapped data keys. No foreign key to referrals: the table may live in another database (KEYSTORE_DATABASE_URL)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class DataKey(models.Model):
    """One generation of one referral's data key, wrapped (AES-256-GCM) by the KEK named ``kek_id``.

    Destroying a referral's keys (crypto-shredding) empties ``wrapped`` and ``kek_id`` and sets ``destroyed_at``:
    the row stays as a tombstone so that no later write can create a fresh key and start a disposed referral
    again.
    """

    id = models.BigAutoField(primary_key=True)
    referral_id = models.UUIDField()
    # 1, then +1 for each re-encryption under a fresh data key (``rotate_encryption_keys --reencrypt``).
    generation = models.PositiveIntegerField(default=1)
    kek_id = models.CharField(max_length=16, blank=True, default="")
    wrapped = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    rewrapped_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral_id", "generation"], name="data_key_generation_unique"),
            models.CheckConstraint(
                condition=Q(destroyed_at__isnull=True, wrapped__isnull=False)
                | Q(destroyed_at__isnull=False, wrapped__isnull=True),
                name="data_key_wrapped_or_destroyed",
            ),
        ]
        indexes = [
            # Rotation finds the keys not yet under the newest KEK without scanning the rest.
            models.Index(fields=["kek_id", "id"], name="data_key_kek", condition=Q(destroyed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"data key {self.referral_id} #{self.generation}"
