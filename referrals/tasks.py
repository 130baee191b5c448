"""Deadline jobs on referrals, listed in ``referrals.deadlines.DEADLINE_JOBS`` (Celery beat runs them all
through ``referrals.deadlines_run``; so does ``manage.py deadlines_run``)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.services import event_emit
from referrals import deadlines
from referrals.models import AWAITING_ACKNOWLEDGEMENT, Referral


def _emit_once_per_referral(*, due, order: str, stamp: str, event_type: str, actor, data, batch_size: int) -> int:
    """Emit ``event_type`` once for each referral matching ``due`` whose ``stamp`` column is still empty, and
    set the stamp in the same transaction. Rows are claimed with ``SKIP LOCKED``, so several workers (or two
    schedulers) never emit the same event twice. ``actor`` and ``data`` take the referral."""
    total = 0
    while True:
        with transaction.atomic():
            batch = list(
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("sender_agency", "receiver_agency")
                .filter(due, **{f"{stamp}__isnull": True})
                .order_by(order)[:batch_size]
            )
            now = timezone.now()
            for referral in batch:
                setattr(referral, stamp, now)
                referral.save(update_fields=[stamp])
                event_emit(
                    event_type=event_type, referral_id=referral.pk, reference=referral.reference,
                    agency_codes=[referral.sender_agency.code, referral.receiver_agency.code],
                    actor_agency=actor(referral), data=data(referral),
                )  # fmt: skip
        total += len(batch)
        if len(batch) < batch_size:
            return total


def referrals_mark_overdue(*, batch_size: int = 500) -> int:
    """Emit ``referral.overdue`` once for each referral that passed its acknowledgement deadline unanswered
    (domain.md, "Deadlines")."""
    return _emit_once_per_referral(
        due=Q(status__in=AWAITING_ACKNOWLEDGEMENT, acknowledge_by__lte=timezone.now()),
        order="acknowledge_by",
        stamp="overdue_notified_at",
        event_type="referral.overdue",
        actor=lambda referral: referral.receiver_agency.code,
        data=lambda referral: {"status": referral.status, "acknowledge_by": referral.acknowledge_by.isoformat()},
        batch_size=batch_size,
    )


@shared_task(name="referrals.mark_overdue", ignore_result=True)
def mark_overdue() -> int:
    # Kept for messages already queued under this name by an earlier release; the schedule runs deadlines_run.
    return referrals_mark_overdue()


def continued_presence_remind(*, batch_size: int = 500, today: datetime.date | None = None) -> int:
    """Emit ``referral.continued_presence_expiring`` to both parties of each granted, unextended Continued
    Presence that reached one of ``CP_REMINDER_DAYS`` days before ``expires_on``; returns how many were emitted.

    Once each: the thresholds announced are recorded on the referral in the same transaction as the event, and
    rows are claimed with ``SKIP LOCKED``, so a rerun, a restart or a second worker never repeats one. A job that
    was down past several thresholds announces only the nearest (the earlier ones are marked as passed).
    """
    today = today or timezone.now().date()
    horizon = today + datetime.timedelta(days=max(settings.CP_REMINDER_DAYS))
    total = 0
    last_id = None
    while True:
        with transaction.atomic():
            candidates = (
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("sender_agency", "receiver_agency")
                .filter(
                    continued_presence_expires_on__gte=today,
                    continued_presence_expires_on__lte=horizon,
                    continued_presence_extended_at__isnull=True,
                )
                .order_by("id")
            )
            if last_id is not None:
                candidates = candidates.filter(id__gt=last_id)
            batch = list(candidates[:batch_size])
            for referral in batch:
                due = deadlines.cp_reminders_due(
                    expires_on=referral.continued_presence_expires_on,
                    today=today,
                    sent=referral.continued_presence_reminders_sent,
                )
                if not due:
                    continue
                referral.continued_presence_reminders_sent = sorted(
                    {*referral.continued_presence_reminders_sent, *due}, reverse=True
                )
                referral.save(update_fields=["continued_presence_reminders_sent"])
                event_emit(
                    event_type="referral.continued_presence_expiring", referral_id=referral.pk,
                    reference=referral.reference,
                    agency_codes=[referral.sender_agency.code, referral.receiver_agency.code],
                    actor_agency=referral.receiver_agency.code,
                    data={
                        "expires_on": referral.continued_presence_expires_on.isoformat(),
                        "days_before": min(due),
                        "days_left": (referral.continued_presence_expires_on - today).days,
                    },
                )  # fmt: skip
                total += 1
        if len(batch) < batch_size:
            return total
        last_id = batch[-1].id


@shared_task(name="referrals.deadlines_run", ignore_result=True)
def run_deadlines() -> dict[str, int]:
    from referrals.deadlines import deadlines_run

    return deadlines_run()


def referrals_mark_hhs_overdue(*, batch_size: int = 500) -> int:
    """Emit ``referral.hhs_notification_overdue`` once for each referral whose required HHS child notice was not
    recorded by its due time (22 U.S.C. 7105(b)(1)(G): within 24 hours of the encounter), whatever the
    referral's status: the duty to notify HHS does not end with the referral. Claimed with ``SKIP LOCKED``."""
    return _emit_once_per_referral(
        due=Q(hhs_required=True, hhs_notified_at__isnull=True, hhs_notify_by__lte=timezone.now()),
        order="hhs_notify_by",
        stamp="hhs_overdue_notified_at",
        event_type="referral.hhs_notification_overdue",
        actor=lambda referral: referral.sender_agency.code,
        data=lambda referral: {"due_by": referral.hhs_notify_by.isoformat()},
        batch_size=batch_size,
    )
