"""Writes of the records lifecycle: retention policies, legal holds, disposal.

Every write is audited in its own transaction (NIST SP 800-53 AU-2). Disposal follows 44 U.S.C. 3303a (records
are destroyed only as an approved schedule says) and 36 CFR 1226.24 (destruction so that the information cannot
be read or reconstructed): the referral's data key is destroyed, so every copy of its ciphertexts, backups
included, becomes unreadable, and the ciphertexts themselves are deleted.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from agencies.models import ReferralType
from attachments.models import Attachment
from attachments.storage import delete_object
from audit.context import AuditContext
from audit.services import audit_record, audit_record_many
from events.services import event_emit_many
from records import keys
from records.models import Disposal, LegalHold, PendingFileDeletion, RecordKind, RetentionPolicy
from referrals.fields import ENCRYPTED_FIELD_TYPES
from referrals.models import TERMINAL_STATUSES, Case, Note, Person, Referral

logger = logging.getLogger("records")

DISPOSAL_BATCH_SIZE = 200
# The referral's content: deleted with everything that cascades from it.
_CONTENT_MODELS = (Person, Case, Note)
# Handled on their own (attachments: objects in storage) or part of the records process itself.
_HANDLED_RELATED = {Referral, Attachment, LegalHold, Disposal}


class RecordsError(Exception):
    """A records command was refused (unknown type, unknown reference, hold already placed...)."""


def _operator_context(actor: str, *, purpose: str | None = None) -> AuditContext:
    """The audit identity of an operator act (a command line or an admin user), never an API client."""
    return AuditContext(client_id=actor[:255], client_name="records officer", purpose=purpose)


# --- Retention policies --------------------------------------------------------------------------------------
def retention_policy_set(*, referral_type: str, days: int, citation: str, actor: str) -> tuple[RetentionPolicy, bool]:
    """Create or replace the policy of a referral type; return it and whether it was created."""
    if referral_type not in ReferralType.values:
        raise RecordsError(
            f"Unknown referral type {referral_type!r}; one of: {', '.join(sorted(ReferralType.values))}."
        )
    if days < 0:
        raise RecordsError("--days must be 0 or more.")
    citation = (citation or "").strip()
    if not citation:
        raise RecordsError("--citation (the records schedule item the period rests on) is required.")
    if len(citation) > 200:
        raise RecordsError("--citation must be at most 200 characters.")
    with transaction.atomic():
        policy, created = RetentionPolicy.objects.select_for_update().get_or_create(
            record=RecordKind.REFERRAL,
            referral_type=referral_type,
            defaults={"days": days, "citation": citation},
        )
        if not created:
            policy.days, policy.citation, policy.updated_at = days, citation, timezone.now()
            policy.save(update_fields=["days", "citation", "updated_at"])
        audit_record(
            action="retention_policy.set",
            object_type="retention_policy",
            object_id=str(policy.pk),
            context=_operator_context(actor),
            reason=f"days:{days}",
        )
    return policy, created


def retention_policy_delete(*, policy: RetentionPolicy, actor: str) -> None:
    """Remove a policy: referrals of that type are kept forever again."""
    with transaction.atomic():
        audit_record(
            action="retention_policy.deleted",
            object_type="retention_policy",
            object_id=str(policy.pk),
            context=_operator_context(actor),
        )
        policy.delete()


# --- Legal holds ---------------------------------------------------------------------------------------------
def _referral_by_reference(reference: str) -> Referral:
    referral = Referral.objects.select_for_update().filter(reference=(reference or "").strip()).first()
    if referral is None:
        raise RecordsError("No referral with this reference.")
    return referral


@transaction.atomic
def legal_hold_place(*, reference: str, matter: str, actor: str) -> LegalHold:
    """Place a legal hold on a referral: it is not disposed of until the hold is released."""
    matter = (matter or "").strip()
    if not matter:
        raise RecordsError("--matter (the litigation, investigation or oversight matter) is required.")
    referral = _referral_by_reference(reference)
    if referral.is_disposed:
        raise RecordsError(f"{referral.reference} was disposed of on {referral.disposed_at:%Y-%m-%d}; nothing to hold.")
    if LegalHold.objects.filter(referral=referral, released_at__isnull=True).exists():
        raise RecordsError(f"{referral.reference} is already on legal hold.")
    hold = LegalHold.objects.create(referral=referral, matter=matter, placed_by=actor[:150])
    Referral.objects.filter(pk=referral.pk).update(legal_hold=True)
    audit_record(
        action="legal_hold.placed",
        object_type="referral",
        object_id=str(referral.pk),
        context=_operator_context(actor),
        reason=f"legal_hold:{hold.pk}",
    )
    return hold


@transaction.atomic
def legal_hold_release(*, reference: str, actor: str) -> LegalHold:
    """Release a referral's active legal hold: disposal may proceed under its policy."""
    referral = _referral_by_reference(reference)
    hold = LegalHold.objects.select_for_update().filter(referral=referral, released_at__isnull=True).first()
    if hold is None:
        raise RecordsError(f"{referral.reference} is not on legal hold.")
    hold.released_at = timezone.now()
    hold.released_by = actor[:150]
    hold.save(update_fields=["released_at", "released_by"])
    Referral.objects.filter(pk=referral.pk).update(legal_hold=False)
    audit_record(
        action="legal_hold.released",
        object_type="referral",
        object_id=str(referral.pk),
        context=_operator_context(actor),
        reason=f"legal_hold:{hold.pk}",
    )
    return hold


# --- Disposal ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DisposalResult:
    reference: str
    referral_type: str
    citation: str
    disposed: bool

    def as_json(self) -> dict:
        return {
            "reference": self.reference,
            "referral_type": self.referral_type,
            "citation": self.citation,
            "disposed": self.disposed,
        }


def _due(policy: RetentionPolicy, now: datetime.datetime) -> models.QuerySet[Referral]:
    """Referrals past ``policy``'s period: terminal for at least ``days``, not on hold, not yet disposed."""
    return Referral.objects.filter(
        referral_type=policy.referral_type,
        status__in=TERMINAL_STATUSES,
        closed_at__isnull=False,
        closed_at__lte=now - datetime.timedelta(days=policy.days),
        legal_hold=False,
        disposed_at__isnull=True,
    )


def _encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED_FIELD_TYPES)]


def _wipe_related(chosen: list) -> None:
    """Delete the referral's content rows; in every other table that points at it (status events, ...), clear
    the encrypted columns, or delete the rows when a column cannot be cleared."""
    for model in _CONTENT_MODELS:
        model._base_manager.filter(referral_id__in=chosen).delete()
    for relation in Referral._meta.related_objects:
        model = relation.related_model
        if model in _HANDLED_RELATED or model in _CONTENT_MODELS or not relation.field.concrete:
            continue
        rows = model._base_manager.filter(**{f"{relation.field.name}__in": chosen})
        encrypted = [model._meta.get_field(name) for name in _encrypted_fields(model)]
        if any(not field.null for field in encrypted):
            rows.delete()
        elif encrypted:
            rows.update(**{field.name: None for field in encrypted})


def _dispose_batch(policy: RetentionPolicy, ids: list, now: datetime.datetime) -> list[Referral]:
    """Dispose of the referrals among ``ids`` that are still due, in one transaction; return them."""
    with transaction.atomic():
        # SKIP LOCKED: a referral being changed right now (or by a second disposal run) is left for the next pass.
        referrals = list(
            _due(policy, now)
            .filter(pk__in=ids)
            .select_related("sender_agency", "receiver_agency")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("closed_at", "id")
        )
        if not referrals:
            return []
        chosen = [r.pk for r in referrals]
        people: dict = {}
        for row in Person.objects.filter(referral_id__in=chosen).values("id", "referral_id", "a_number_index"):
            entry = people.setdefault(row["referral_id"], ([], []))
            entry[0].append(row["id"])
            if row["a_number_index"]:
                entry[1].append(row["a_number_index"])
        Disposal.objects.bulk_create(
            [
                Disposal(
                    referral=r,
                    reference=r.reference,
                    referral_type=r.referral_type,
                    sender_agency=r.sender_agency.code,
                    receiver_agency=r.receiver_agency.code,
                    created_at=r.created_at,
                    closed_at=r.closed_at,
                    final_status=r.status,
                    disposed_at=now,
                    policy_id=policy.pk,
                    policy_days=policy.days,
                    citation=policy.citation,
                    person_ids=people.get(r.pk, ([], []))[0],
                    a_number_indexes=sorted(set(people.get(r.pk, ([], []))[1])),
                )
                for r in referrals
            ]
        )
        # Attachment objects leave storage after commit (PendingFileDeletion); their rows go now.
        storage_keys = list(
            Attachment.objects.filter(referral_id__in=chosen)
            .exclude(storage_key="")
            .values_list("storage_key", "referral_id")
        )
        PendingFileDeletion.objects.bulk_create(
            [PendingFileDeletion(storage_key=key, referral_id=rid) for key, rid in storage_keys], ignore_conflicts=True
        )
        Attachment.objects.filter(referral_id__in=chosen).delete()
        _wipe_related(chosen)
        wipe = dict.fromkeys(_encrypted_fields(Referral))
        Referral.objects.filter(pk__in=chosen).update(**wipe, external_reference=None, disposed_at=now, updated_at=now)
        # The data keys go last, still inside the transaction: if anything above failed, they are intact.
        keys.data_keys_destroy(referral_ids=chosen)
        audit_record_many(
            action="referral.disposed",
            object_type="referral",
            object_ids=[str(pk) for pk in chosen],
            context=AuditContext(
                client_id="records_dispose",
                client_name="records disposal",
                purpose=f"retention policy {policy.citation}"[:200],
            ),
            occurred_at=now,
            reason=f"retention_policy:{policy.pk}",
        )
        event_emit_many(
            event_type="referral.disposed",
            actor_agency="",
            events=[
                {
                    "referral_id": r.pk,
                    "reference": r.reference,
                    "agency_codes": [r.sender_agency.code, r.receiver_agency.code],
                    "data": {"referral_type": r.referral_type, "citation": policy.citation,
                             "retention_days": policy.days},
                }
                for r in referrals
            ],
        )  # fmt: skip
    return referrals


def pending_files_delete() -> int:
    """Delete every attachment object of disposed referrals still in storage; return how many went."""
    deleted = 0
    for pending in PendingFileDeletion.objects.order_by("created_at").iterator(chunk_size=500):
        try:
            delete_object(pending.storage_key)
        except Exception:  # noqa: BLE001 - storage down: kept for the next run
            logger.warning("attachment object not deleted yet; the next disposal run retries")
            continue
        PendingFileDeletion.objects.filter(pk=pending.pk).delete()
        deleted += 1
    return deleted


def records_dispose(
    *, dry_run: bool = False, now: datetime.datetime | None = None, batch_size: int = DISPOSAL_BATCH_SIZE
) -> list[DisposalResult]:
    """Dispose of every terminal referral past its policy's period and not on hold; ``dry_run`` only lists them.

    Idempotent and resumable: each batch commits on its own, a disposed referral is never chosen again, and
    attachment objects left in storage by an interrupted run are deleted by the next one.
    """
    now = now or timezone.now()
    results: list[DisposalResult] = []
    if not dry_run:
        pending_files_delete()
    for policy in RetentionPolicy.objects.filter(record=RecordKind.REFERRAL).order_by("referral_type"):
        due = _due(policy, now).order_by("closed_at", "id")
        if dry_run:
            results += [
                DisposalResult(reference, referral_type, policy.citation, False)
                for reference, referral_type in due.values_list("reference", "referral_type").iterator(chunk_size=2000)
            ]
            continue
        skipped: set = set()
        while True:
            ids = list(due.exclude(pk__in=skipped).values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            done = _dispose_batch(policy, ids, now)
            results += [DisposalResult(r.reference, r.referral_type, policy.citation, True) for r in done]
            # Locked by someone else just now: leave them to the next run instead of spinning on them.
            skipped.update(set(ids) - {r.pk for r in done})
    if not dry_run:
        # After every batch committed: a file is deleted only once its rows are gone for good.
        pending_files_delete()
    return results
