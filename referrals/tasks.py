"""Deadline jobs on referrals, listed in ``referrals.deadlines.DEADLINE_JOBS`` (Celery beat runs them all
through ``referrals.deadlines_run``; so does ``manage.py deadlines_run``)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from events.services import event_emit
from referrals.models import AWAITING_ACKNOWLEDGEMENT, Referral


def referrals_mark_overdue(*, batch_size: int = 500) -> int:
    """Emit ``referral.overdue`` once for each referral that passed its acknowledgement deadline unanswered.

    Rows are claimed with ``SKIP LOCKED``, so several workers never emit the same event twice.
    """
    total = 0
    while True:
        with transaction.atomic():
            batch = list(
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("sender_agency", "receiver_agency")
                .filter(
                    status__in=AWAITING_ACKNOWLEDGEMENT,
                    acknowledge_by__lte=timezone.now(),
                    overdue_notified_at__isnull=True,
                )
                .order_by("acknowledge_by")[:batch_size]
            )
            now = timezone.now()
            for referral in batch:
                referral.overdue_notified_at = now
                referral.save(update_fields=["overdue_notified_at"])
                event_emit(
                    event_type="referral.overdue", referral_id=referral.pk, reference=referral.reference,
                    agency_codes=[referral.sender_agency.code, referral.receiver_agency.code],
                    actor_agency=referral.receiver_agency.code,
                    data={"status": referral.status, "acknowledge_by": referral.acknowledge_by.isoformat()},
                )  # fmt: skip
        total += len(batch)
        if len(batch) < batch_size:
            return total


@shared_task(name="referrals.mark_overdue", ignore_result=True)
def mark_overdue() -> int:
    # Kept for messages already queued under this name by an earlier release; the schedule runs deadlines_run.
    return referrals_mark_overdue()


@shared_task(name="referrals.deadlines_run", ignore_result=True)
def run_deadlines() -> dict[str, int]:
    from referrals.deadlines import deadlines_run

    return deadlines_run()


def referrals_mark_hhs_overdue(*, batch_size: int = 500) -> int:
    """Emit ``referral.hhs_notification_overdue`` once for each referral whose required HHS child notice was not
    recorded by its due time (22 U.S.C. 7105(b)(1)(G): within 24 hours of the encounter), whatever the
    referral's status: the duty to notify HHS does not end with the referral. Claimed with ``SKIP LOCKED``."""
    total = 0
    while True:
        with transaction.atomic():
            batch = list(
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("sender_agency", "receiver_agency")
                .filter(
                    hhs_required=True,
                    hhs_notified_at__isnull=True,
                    hhs_notify_by__lte=timezone.now(),
                    hhs_overdue_notified_at__isnull=True,
                )
                .order_by("hhs_notify_by")[:batch_size]
            )
            now = timezone.now()
            for referral in batch:
                referral.hhs_overdue_notified_at = now
                referral.save(update_fields=["hhs_overdue_notified_at"])
                event_emit(
                    event_type="referral.hhs_notification_overdue", referral_id=referral.pk,
                    reference=referral.reference,
                    agency_codes=[referral.sender_agency.code, referral.receiver_agency.code],
                    actor_agency=referral.sender_agency.code,
                    data={"due_by": referral.hhs_notify_by.isoformat()},
                )  # fmt: skip
        total += len(batch)
        if len(batch) < batch_size:
            return total
