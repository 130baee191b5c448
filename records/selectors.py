"""Reads of the records lifecycle: the Privacy Act accounting of disclosures.

5 U.S.C. 552a(c)(1): for each disclosure of a record, the date, nature and purpose, and the name of the agency it
was disclosed to; (c)(2): the accounting is kept for five years or the life of the record, whichever is longer.
A referral is a disclosure of each person it names, from its sender to its receiver, made when it was sent for the
purpose its type states; each later read by the receiver is listed from the audit trail.

People are found through the blind index (an HMAC of the A-number), never by decrypting records; a disposed
referral is still listed, from its tombstone (``records.models.Disposal``).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from audit.models import AuditEntry
from records.models import Disposal
from referral_api.crypto import blind_index
from referrals.models import Person, Referral

A_NUMBER = re.compile(r"^A\d{8,9}$")
# What the receiving agency did that read the person's record (refusals and writes are not reads).
READ_ACTIONS = (
    "referral.read",
    "referral.list_read",
    "referral.history_read",
    "referral.notes_read",
    "attachment.read",
    "attachment.list_read",
    "attachment.downloaded",
)


class InvalidQuery(ValueError):
    """The A-number or person id is malformed."""


@dataclass
class Disclosure:
    reference: str
    from_agency: str
    to_agency: str
    disclosed_at: datetime.datetime
    purpose: str
    disposed: bool
    referral_id: uuid.UUID
    reads: list[dict] = field(default_factory=list)


def a_number_indexes(a_number: str) -> list[str]:
    """The blind-index values an A-number may be stored under (one per blind-index key in use)."""
    value = (a_number or "").strip().upper()
    if not A_NUMBER.match(value):
        raise InvalidQuery("An A-number is A followed by 8 or 9 digits, e.g. A123456789.")
    return [blind_index(value, purpose="a_number")]


def _referrals_for(*, indexes: list[str], person_id: uuid.UUID | None) -> tuple[set, set]:
    """Return ``(live referral ids, tombstones)`` naming the person; a person id also brings every referral that
    names the same A-number."""
    live_people = Person.objects.none()
    tombstones = Disposal.objects.none()
    indexes = list(indexes)
    if person_id is not None:
        own = Person.objects.filter(pk=person_id).values_list("referral_id", "a_number_index").first()
        if own is not None:
            indexes += [own[1]] if own[1] else []
            live_people = Person.objects.filter(pk=person_id)
        tomb = Disposal.objects.filter(person_ids__contains=[person_id]).first()
        if tomb is not None:
            indexes += tomb.a_number_indexes
            tombstones = Disposal.objects.filter(pk=tomb.pk)
    if indexes:
        live_people = live_people | Person.objects.filter(a_number_index__in=indexes)
        tombstones = tombstones | Disposal.objects.filter(a_number_indexes__overlap=indexes)
    return set(live_people.values_list("referral_id", flat=True)), set(tombstones)


def disclosures_account(*, a_number: str | None = None, person_id: str | None = None) -> list[Disclosure]:
    """Every disclosure of one person's record, oldest first, with the receiving agency's reads of it."""
    if (a_number is None) == (person_id is None):
        raise InvalidQuery("Give exactly one of an A-number or a person id.")
    parsed_id = None
    if person_id is not None:
        try:
            parsed_id = uuid.UUID(str(person_id))
        except ValueError:
            raise InvalidQuery("A person id is a UUID.") from None
    indexes = a_number_indexes(a_number) if a_number is not None else []
    live_ids, tombstones = _referrals_for(indexes=indexes, person_id=parsed_id)
    found: list[Disclosure] = []
    for r in Referral.objects.filter(pk__in=live_ids, disposed_at__isnull=True).select_related(
        "sender_agency", "receiver_agency"
    ):
        found.append(
            Disclosure(
                r.reference, r.sender_agency.code, r.receiver_agency.code, r.created_at, r.referral_type, False, r.pk
            )
        )
    for t in tombstones:
        found.append(
            Disclosure(
                t.reference, t.sender_agency, t.receiver_agency, t.created_at, t.referral_type, True, t.referral_id
            )
        )
    if not found:
        return []
    receiver_of = {str(d.referral_id): d.to_agency for d in found}
    reads = defaultdict(list)
    condition = Q()
    for rid, agency in receiver_of.items():
        condition |= Q(object_id=rid, agency_code=agency)
    rows = (
        AuditEntry.objects.filter(condition, object_type="referral", outcome="success", action__in=READ_ACTIONS)
        .order_by("occurred_at", "id")
        .values_list("object_id", "agency_code", "occurred_at", "purpose", "action")
    )
    for object_id, agency, at, purpose, action in rows:
        reads[object_id].append({"agency": agency, "at": at, "purpose": purpose, "action": action})
    for disclosure in found:
        disclosure.reads = reads.get(str(disclosure.referral_id), [])
    return sorted(found, key=lambda d: (d.disclosed_at, d.reference))
