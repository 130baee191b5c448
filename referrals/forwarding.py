"""Forwarding: the receiver hands chosen people of a referral on to a third agency (api-contract.md v1.1).

The forward is a new referral from the forwarding agency (its sender) to the new receiver, linked to the original
as its child (FHIR ``Task.partOf``). It is created by ``referral_create``, so every create rule applies to it
as to any other referral: routing, 8 U.S.C. 1367 (with a disclosure basis per protected person going to an agency
not marked for it), minors and the HHS notice, deprecated types. The original records the forward in its history
and its ``children``; both happen in one transaction with their audit rows and events.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from agencies.models import Client
from audit.context import AuditContext
from referrals import policies
from referrals.errors import InvalidTransition, RuleViolation
from referrals.lifecycle import TRANSITIONS, allowed_actions
from referrals.models import Person, Referral, StatusEvent
from referrals.services import PERSON_FIELDS, _check_if_match, _recorded, referral_create, referral_lock_visible

FORWARD = TRANSITIONS["forward"]
# A disclosure basis covers one disclosure (to one agency): the original's never travels with the person.
NOT_CARRIED = {"disclosure_basis"}


def _person_data(person: Person) -> dict:
    """The create input of a person as the original holds it (decrypted in memory only, never logged)."""
    data = {field: getattr(person, field) for field in PERSON_FIELDS if field not in NOT_CARRIED}
    data["is_minor"] = person.minor_flag
    return data


@transaction.atomic
def referral_forward(
    *, referral_id, client: Client, data: dict, if_match: int | None, context: AuditContext
) -> tuple[Referral, list[dict]]:
    """Forward chosen people of a referral the caller's agency received; returns the new child referral and the
    forwarder's possible duplicates. Raises ``NotVisible``, ``WrongSide``, ``PreconditionFailed``,
    ``InvalidTransition`` or a ``RuleViolation`` (422) of the create rules."""
    original = referral_lock_visible(referral_id=referral_id, agency=client.agency)
    policies.require_side(referral=original, agency=client.agency, side=FORWARD.actor, verb="forward")
    _check_if_match(original, if_match)
    if original.status not in FORWARD.sources:
        raise InvalidTransition(
            f"Cannot forward a referral that is {original.status}.",
            allowed_actions=allowed_actions(status=original.status, side=FORWARD.actor),
        )
    by_id = {p.id: p for p in Person.objects.filter(referral=original, id__in=data["person_ids"])}
    for index, person_id in enumerate(data["person_ids"]):
        if person_id not in by_id:
            raise RuleViolation(
                "Not a person of this referral (use persons[].id).", field=f"person_ids[{index}]", code="not_found"
            )
    for index, person_id in enumerate(data["person_ids"]):
        # 8 U.S.C. 1367(a)(2): a person withheld from the forwarding agency (protected, flagged after the referral
        # reached it, no basis recorded) is not disclosed onward by it either; the forward would also show the
        # forwarder, as the child's sender, the identity withheld from it.
        if policies.person_withheld(person=by_id[person_id], referral=original, side=FORWARD.actor):
            raise RuleViolation(
                "This person is withheld from your agency under 8 U.S.C. 1367(a)(2) and cannot be forwarded by it; "
                "ask the sender to refer the person directly.",
                field=f"person_ids[{index}]",
                code="withheld_1367",
            )
    bases = {b["person_id"]: b["disclosure_basis"] for b in data.get("disclosure_bases") or []}
    persons = []
    for person_id in data["person_ids"]:
        person = _person_data(by_id[person_id])
        if person_id in bases:
            person["disclosure_basis"] = bases[person_id]
        persons.append(person)
    child_data = {
        "referral_type": data["referral_type"],
        "receiver": data["receiver"],
        "priority": original.priority,
        "summary": data["summary"],
        "narrative": data.get("note") or None,
        "persons": persons,
        "case": None,
        "consent": None,
        "related_referral": None,
        # The people were encountered once: their ages and the HHS clock run from the original encounter.
        "encountered_at": original.encountered_at,
    }
    try:
        child, duplicates = referral_create(client=client, data=child_data, context=context, parent=original)
    except RuleViolation as problem:
        raise _in_forward_terms(problem, person_ids=data["person_ids"]) from None

    if child.hhs_required and original.hhs_notified_at is not None and child.hhs_notified_at is None:
        # HHS was already notified of these children (22 U.S.C. 7105(b)(1)(G) asks for one notice on discovery):
        # the child carries that record instead of a second 24-hour clock.
        child.hhs_notified_at = original.hhs_notified_at
        child.hhs_method = original.hhs_method
        child.hhs_request_number = original.hhs_request_number
        child.hhs_notified_by = original.hhs_notified_by
        child.hhs_notified_by_code = child.hhs_notified_by.code  # the answer is built from the child in memory
        child.save(update_fields=["hhs_notified_at", "hhs_method", "hhs_request_number", "hhs_notified_by"])

    now = timezone.now()
    original.version += 1
    original.updated_at = now
    original.save(update_fields=["version", "updated_at"])
    StatusEvent.objects.create(
        referral=original,
        action="forward",
        from_status=original.status,
        to_status=original.status,
        actor_agency=client.agency,
        actor_client_id=client.client_id,
        actor_client_name=client.name,
        reason_code=None,
        # Server-made text of codes and references only: the people and the note are not repeated here.
        reason=f"Forwarded to {child.receiver_agency.code} as {child.reference}.",
        created_at=now,
    )
    _recorded(
        original,
        client=client,
        context=context,
        action="referral.forward",
        event_type="referral.forwarded",
        data={
            "child": {"id": str(child.pk), "reference": child.reference},
            "receiver_agency": child.receiver_agency.code,
            "referral_type": child.referral_type,
            "person_count": len(persons),
            "version": original.version,
        },
    )
    return child, duplicates


def _in_forward_terms(problem: RuleViolation, *, person_ids: list) -> RuleViolation:
    """Name the forward body's fields in a create rule's error: ``persons[i].x`` is ``person_ids[i]``'s person,
    whose 1367 basis goes in ``disclosure_bases``."""
    errors = problem.extra.get("errors") or []
    for error in errors:
        field = error.get("field") or ""
        if field.startswith("persons["):
            index, _, rest = field[len("persons[") :].partition("]")
            if rest.startswith((".disclosure_basis", ".protected_1367")):
                error["field"] = "disclosure_bases"
                error["person_id"] = str(person_ids[int(index)])
            else:
                error["field"] = f"person_ids[{index}]"
    return problem
