"""Writes on referrals. Each service runs in one transaction that writes the referral, its status event, its
audit row and its outbox event together: either all of them land or none does."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agencies.models import Agency, Client, Office
from agencies.selectors import receiver_lookup
from audit.context import AuditContext
from audit.services import audit_record
from events.services import event_emit
from referrals import deadlines, policies
from referrals.codes import VICTIM_ROLES
from referrals.deprecations import referral_type_refuse_after_sunset
from referrals.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    PersonNotFound,
    PreconditionFailed,
    RuleViolation,
    WrongSide,
)
from referrals.indexes import person_index
from referrals.lifecycle import RECEIVER, SENDER, TRANSITIONS, allowed_actions
from referrals.models import EDITABLE_STATUSES, Case, Note, Person, ReferenceCounter, Referral, Status, StatusEvent
from referrals.selectors import (
    possible_duplicates,
    prime_representation,
    referral_side,
    referral_visible,
    referrals_visible_to,
)

PERSON_FIELDS = (
    "role", "sex", "citizenships", "languages", "interpreter_needed", "us_citizen_or_lpr", "protected_1367",
    "protection_basis", "protection_ends_on", "given_name", "family_name", "aliases", "date_of_birth", "a_number",
    "other_identifiers", "safe_contact", "location",
)  # fmt: skip


# Audit ``reason`` of a recall: the receiver got information it should not have (domain.md, "Sent in error").
PRIVACY_INCIDENT = "privacy_incident"


# --- helpers -----------------------------------------------------------------------------------------------
def _next_reference(now: datetime.datetime, sender: Agency) -> str:
    """``REF-<sender code>-<year>-<number>``, numbered per sender and year (one upsert, no MAX()+1).

    A global sequence would tell a sender how many referrals other agencies made between two of its own. The
    counter row stays locked until the create commits, so one agency's creates are numbered one at a time
    (other agencies are not held up); a rolled-back create gives its number back. References made before
    (``REF-2026-000042``) are kept as they are.
    """
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - our table name
            f"ON CONFLICT (agency_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [sender.pk, now.year],
        )
        (number,) = cursor.fetchone()
    return f"REF-{sender.code}-{now.year}-{number:06d}"


def _is_minor(person: dict, on: datetime.date) -> bool:
    if person.get("is_minor"):
        return True
    dob = person.get("date_of_birth")
    if dob is None:
        return False
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return age < 18


def _build_person(referral: Referral, position: int, data: dict, today: datetime.date) -> Person:
    person = Person(referral=referral, position=position, minor_flag=bool(data.get("is_minor")))
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    basis = data.get("disclosure_basis") or {}
    person.disclosure_exception = basis.get("exception")
    person.disclosure_authority = basis.get("authority")
    person.disclosure_waiver_signed_on = basis.get("waiver_signed_on")
    person.is_minor = _is_minor(data, today)
    person_index(person)
    return person


def _hhs_notice_required(persons: list[dict] | list[Person], minors: list[bool]) -> bool:
    """The HHS child notice is owed exactly when a victim or possible victim is a minor and not a U.S. citizen
    or lawful permanent resident (22 U.S.C. 7105(b)(1)(G) covers foreign national minors; an unknown status
    counts as foreign until known)."""

    def value(person, name):
        return person.get(name) if isinstance(person, dict) else getattr(person, name)

    return any(
        minor and value(p, "role") in VICTIM_ROLES and (value(p, "us_citizen_or_lpr") or "unknown") != "yes"
        for p, minor in zip(persons, minors, strict=True)
    )


def _apply_deadlines(referral: Referral) -> None:
    """Minors raise the priority to at least urgent; the acknowledgement deadline follows the priority; a
    required HHS notice is due 24 hours after the encounter (referrals/deadlines.py)."""
    referral.priority = deadlines.minimum_priority(priority=referral.priority, involves_minor=referral.involves_minor)
    referral.acknowledge_by = deadlines.acknowledge_by(priority=referral.priority, created_at=referral.created_at)
    referral.hhs_notify_by = (
        deadlines.hhs_notification_due_by(encountered_at=referral.encountered_at) if referral.hhs_required else None
    )


def _resolve_receiver(receiver: dict, referral_type: str) -> tuple[Agency, Office | None, bool]:
    """The receiving agency and office named in ``receiver``, and whether the routing table lets the agency
    receive ``referral_type`` (one query); an unknown agency or office is a 422 naming the valid codes."""
    agency, office, routed = receiver_lookup(
        agency_code=receiver["agency"], office_code=receiver.get("office"), referral_type=referral_type
    )
    if agency is None:
        known = ", ".join(Agency.objects.filter(active=True).order_by("code").values_list("code", flat=True))
        raise RuleViolation(
            f"No active agency has this code. Active agencies: {known} (GET /api/v1/agencies/).",
            field="receiver.agency",
            code="unknown_agency",
        )
    if receiver.get("office") and office is None:
        offices = ", ".join(agency.offices.filter(active=True).order_by("code").values_list("code", flat=True))
        raise RuleViolation(
            f"{agency.code} has no active office with this code. Its offices: {offices or 'none'}.",
            field="receiver.office",
            code="unknown_office",
        )
    return agency, office, routed


def _resolve_related(related_id, agency: Agency) -> Referral | None:
    if related_id is None:
        return None
    related = referrals_visible_to(agency=agency).filter(pk=related_id, disposed_at__isnull=True).first()
    if related is None:
        # Need to know: a referral the caller cannot see is indistinguishable from one that does not exist.
        raise RuleViolation("No such referral.", field="related_referral", code="not_found")
    return related


def _check_rules(
    *,
    referral_type: str,
    sender: Agency,
    receiver: Agency,
    persons: list[dict],
    minors: list[bool],
    routed: bool | None = None,
):
    for problem in (
        policies.check_not_self(sender=sender, receiver=receiver),
        policies.check_routing(referral_type=referral_type, receiver=receiver, routed=routed),
        policies.check_1367(persons=persons, minors=minors, receiver=receiver),
    ):
        if problem is not None:
            raise problem


def _write_case(referral: Referral, case: dict | None, *, replace: bool = True) -> Case | None:
    if replace:
        Case.objects.filter(referral=referral).delete()
    if case is not None:
        return Case.objects.create(
            referral=referral,
            sender_case_number=case.get("sender_case_number"),
            title=case.get("title"),
            locations=case.get("locations", []),
            organizations=case.get("organizations", []),
        )
    return None


def _write_persons(referral: Referral, persons: list[dict], *, replace: bool = True) -> list[Person]:
    # Age is judged at the encounter (api-contract.md v1.1: "is_minor is judged at encountered_at").
    on = referral.encountered_at.date()
    built = [_build_person(referral, index, data, on) for index, data in enumerate(persons)]
    if replace:
        Person.objects.filter(referral=referral).delete()
    if built:
        Person.objects.bulk_create(built)
    _set_minor_flags(referral, built)
    return built


def _set_minor_flags(referral: Referral, persons: list[Person]) -> None:
    referral.involves_minor = any(p.is_minor for p in persons)
    referral.hhs_required = _hhs_notice_required(persons, [p.is_minor for p in persons])


def _minors(persons: list[dict], on: datetime.date) -> list[bool]:
    return [_is_minor(p, on) for p in persons]


def _encountered_at(value: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """``encountered_at`` defaults to now and may not be in the future (a little clock skew is tolerated)."""
    if value is None:
        return now
    if value > now + datetime.timedelta(minutes=5):
        raise RuleViolation("encountered_at cannot be in the future.", field="encountered_at", code="future")
    return value


def _record_deprecated_hhs_notified_at(referral: Referral, value, agency: Agency) -> None:
    """The deprecated ``hhs_notified_at`` field maps to the notice record with method ``null``."""
    if value is None:
        referral.hhs_notified_at = referral.hhs_notified_by = referral.hhs_method = None
        referral.hhs_request_number = None
        return
    if referral.hhs_method is not None:
        raise InvalidTransition(
            "The HHS notification is already recorded; it cannot be replaced through hhs_notified_at.",
            allowed_actions=[],
        )
    referral.hhs_notified_at = value
    referral.hhs_notified_by = agency


def _parties(referral: Referral) -> list[str]:
    return [referral.sender_agency.code, referral.receiver_agency.code]


def _recorded(referral: Referral, *, client: Client, context: AuditContext, action: str, event_type: str,
              data: dict) -> None:  # fmt: skip
    """Write the audit row and the outbox event of a change, in the caller's transaction."""
    audit_record(action=action, object_type="referral", object_id=str(referral.pk), context=context)
    _emit(referral, client=client, event_type=event_type, data=data)


def _emit(referral: Referral, *, client: Client, event_type: str, data: dict) -> None:
    event_emit(
        event_type=event_type, referral_id=referral.pk, reference=referral.reference,
        agency_codes=_parties(referral), actor_agency=client.agency.code, data=data,
    )  # fmt: skip


def _save_referral(referral: Referral, **kwargs) -> None:
    """Save, turning a second use of an ``external_reference`` by the same sender into a 409 on that field."""
    # No savepoint of its own: the caller's transaction (the service's atomic block) is the one that rolls back,
    # since the 409 ends the request.
    try:
        referral.save(**kwargs)
    except IntegrityError as exc:
        if "referral_external_reference_unique_per_sender" in str(exc):
            raise Conflict(
                "Your agency already sent a referral with this external_reference.", field="external_reference"
            ) from None
        raise


def _set_consent(referral: Referral, consent: dict | None) -> None:
    consent = consent or {}
    referral.consent_obtained = bool(consent.get("obtained", False))
    referral.consent_obtained_at = consent.get("obtained_at")
    referral.consent_scope = consent.get("scope")


# --- create ------------------------------------------------------------------------------------------------
@transaction.atomic
def referral_create(
    *, client: Client, data: dict, context: AuditContext, parent: Referral | None = None
) -> tuple[Referral, list[dict]]:
    """Create a referral from validated input; returns it and the sender's possible duplicates.

    ``parent`` is the referral this one is forwarded from (``referral_forward``); every rule applies the same.
    """
    sender = client.agency
    now = timezone.now()
    referral_type_refuse_after_sunset(data["referral_type"], now=now)
    receiver, receiver_office, routed = _resolve_receiver(data["receiver"], data["referral_type"])
    persons = data.get("persons", [])
    consent = data.get("consent") or {}
    encountered_at = _encountered_at(data.get("encountered_at"), now)
    minors = _minors(persons, encountered_at.date())
    _check_rules(
        referral_type=data["referral_type"],
        sender=sender,
        receiver=receiver,
        persons=persons,
        minors=minors,
        routed=routed,
    )
    related = _resolve_related(data.get("related_referral"), sender)
    problem = policies.check_extension_names_granted_cp(referral_type=data["referral_type"], related=related)
    if problem is not None:
        raise problem
    referral = Referral(
        reference=_next_reference(now, sender),
        referral_type=data["referral_type"],
        status=Status.SUBMITTED,
        priority=data["priority"],
        sender_agency=sender,
        sender_office=None,
        sender_client_id=client.client_id,
        receiver_agency=receiver,
        receiver_office=receiver_office,
        external_reference=data.get("external_reference"),
        summary=data["summary"],
        narrative=data.get("narrative"),
        trafficking_types=data.get("trafficking_types", []),
        indicators=data.get("indicators", []),
        related_referral=related,
        encountered_at=encountered_at,
        parent=parent,
        created_at=now,
        updated_at=now,
    )
    if data.get("hhs_notified_at") is not None:
        _record_deprecated_hhs_notified_at(referral, data["hhs_notified_at"], sender)
    _set_consent(referral, consent)
    referral.involves_minor = any(minors)
    referral.hhs_required = _hhs_notice_required(persons, minors)
    _apply_deadlines(referral)
    _save_referral(referral, force_insert=True)
    built = _write_persons(referral, persons, replace=False)
    case = _write_case(referral, data.get("case"), replace=False)
    StatusEvent.objects.create(
        referral=referral,
        action="create",
        from_status=None,
        to_status=Status.SUBMITTED,
        actor_agency=sender,
        actor_client_id=client.client_id,
        actor_client_name=client.name,
        created_at=now,
    )
    _recorded(
        referral,
        client=client,
        context=context,
        action="referral.created",
        event_type="referral.created",
        data={"referral_type": referral.referral_type, "priority": referral.priority, "status": referral.status},
    )
    duplicates = possible_duplicates(agency=sender, exclude_id=referral.pk, persons=built)
    # Its answer is built from what was just written (no second read).
    prime_representation(referral, persons=built, case=case, related=related)
    return referral, duplicates


# --- update ------------------------------------------------------------------------------------------------
def _with_parties(queryset):
    return queryset.select_related("sender_agency", "receiver_agency")


def referral_lock_visible(*, referral_id, agency: Agency, shape=None) -> Referral:
    """Lock and return a referral ``agency`` may see (``SELECT ... FOR UPDATE``), or raise ``NotVisible``.
    ``shape`` loads more with it (a caller that answers with the referral loads its representation)."""
    return referral_visible(agency=agency, referral_id=referral_id, shape=shape or _with_parties, lock=True)


def _check_if_match(referral: Referral, if_match: int | None) -> None:
    if if_match is not None and if_match != referral.version:
        raise PreconditionFailed(current_version=referral.version)


@transaction.atomic
def referral_update(*, referral_id, client: Client, data: dict, if_match: int, context: AuditContext) -> Referral:
    """Change a referral (sender only, while submitted, acknowledged or info_requested); RFC 9110 §13.1.1."""
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency)
    policies.require_side(referral=referral, agency=client.agency, side=SENDER, verb="edit")
    _check_if_match(referral, if_match)
    if referral.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            f"A referral can be edited only while {', '.join(sorted(EDITABLE_STATUSES))}; it is {referral.status}.",
            allowed_actions=allowed_actions(status=referral.status, side=SENDER),
        )
    changed: list[str] = []
    if "receiver" in data:
        receiver = data["receiver"]
        if receiver["agency"] != referral.receiver_agency.code:
            raise RuleViolation(
                "The receiving agency cannot change; withdraw this referral and send a new one.",
                field="receiver.agency",
                code="immutable",
            )
        _, office, _ = _resolve_receiver(receiver, referral.referral_type)
        if office != referral.receiver_office:
            referral.receiver_office = office
            changed.append("receiver")
    for field in ("priority", "external_reference", "summary", "narrative", "trafficking_types", "indicators"):
        if field in data and data[field] != getattr(referral, field):
            setattr(referral, field, data[field])
            changed.append(field)
    if "hhs_notified_at" in data and data["hhs_notified_at"] != referral.hhs_notified_at:
        _record_deprecated_hhs_notified_at(referral, data["hhs_notified_at"], client.agency)
        changed.append("hhs_notified_at")
    if "encountered_at" in data:
        encountered_at = _encountered_at(data["encountered_at"], timezone.now())
        if encountered_at != referral.encountered_at:
            referral.encountered_at = encountered_at
            changed.append("encountered_at")
    if "related_referral" in data:
        related = _resolve_related(data["related_referral"], client.agency)
        if related is not None and related.pk == referral.pk:
            raise RuleViolation("A referral cannot follow up itself.", field="related_referral", code="invalid")
        problem = policies.check_extension_names_granted_cp(referral_type=referral.referral_type, related=related)
        if problem is not None:
            raise problem
        referral.related_referral = related
        changed.append("related_referral")
    if "consent" in data:
        _set_consent(referral, data["consent"])
        changed.append("consent")
    persons = data.get("persons")
    current = list(referral.persons.all())
    if persons is not None:
        _check_protection_kept(current, persons)
        checked = persons
    else:
        checked = [_person_rule_view(p) for p in current]
    minors = _minors(checked, referral.encountered_at.date())
    _check_rules(
        referral_type=referral.referral_type,
        sender=referral.sender_agency,
        receiver=referral.receiver_agency,
        persons=checked,
        minors=minors,
    )
    if persons is not None:
        _write_persons(referral, persons)
        changed.append("persons")
    elif "encountered_at" in changed:
        for person, minor in zip(current, minors, strict=True):
            if person.is_minor != minor:
                person.is_minor = minor
                person.save(update_fields=["is_minor"])
        _set_minor_flags(referral, current)
    if "case" in data:
        _write_case(referral, data["case"])
        changed.append("case")
    if not changed:
        return referral
    if {"priority", "persons", "encountered_at"} & set(changed):
        _apply_deadlines(referral)
    referral.version += 1
    referral.updated_at = timezone.now()
    _save_referral(referral)
    _recorded(
        referral,
        client=client,
        context=context,
        action="referral.updated",
        event_type="referral.updated",
        data={"changed_fields": sorted(set(changed)), "version": referral.version},
    )
    return referral


def _person_rule_view(person: Person) -> dict:
    """A stored person as the 1367 and minor rules read it."""
    basis = {"exception": person.disclosure_exception} if person.disclosure_exception else None
    return {
        "role": person.role, "protected_1367": person.protected_1367, "disclosure_basis": basis,
        "is_minor": person.minor_flag, "date_of_birth": person.date_of_birth,
        "us_citizen_or_lpr": person.us_citizen_or_lpr,
    }  # fmt: skip


def _check_protection_kept(current: list[Person], replacement: list[dict]) -> None:
    """Protection is never removed through the API (api-contract.md v1.1): a PATCH replacing ``persons`` keeps
    at least as many protected people as there are (people get new ids, so the count is what can be held)."""
    protected_now = sum(1 for p in current if p.protected_1367)
    if sum(1 for p in replacement if p.get("protected_1367")) < protected_now:
        raise RuleViolation(
            f"{protected_now} person(s) of this referral are protected by 8 U.S.C. 1367; protection cannot be "
            "removed. Keep protected_1367: true on them.",
            field="persons",
            code="protection_cannot_be_removed",
        )


# --- lifecycle actions -------------------------------------------------------------------------------------
@transaction.atomic
def referral_act(
    *,
    referral_id,
    client: Client,
    action: str,
    data: dict,
    if_match: int | None,
    context: AuditContext,
    shape=None,
) -> Referral:
    """Take a lifecycle action. The row is locked, so of two racing actions exactly one wins. ``shape`` is what
    to load with the locked row (the caller's representation: it is then answered without a second read)."""
    transition = TRANSITIONS[action]
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency, shape=shape)
    policies.require_side(referral=referral, agency=client.agency, side=transition.actor, verb=action)
    _check_if_match(referral, if_match)
    if referral.status not in transition.sources:
        raise InvalidTransition(
            f"Cannot {action} a referral that is {referral.status}.",
            allowed_actions=allowed_actions(status=referral.status, side=transition.actor),
        )
    now = timezone.now()
    from_status = referral.status
    referral.status = transition.target
    referral.version += 1
    referral.updated_at = now
    for column in transition.stamps:
        if column in transition.field_names:
            if data.get(column) not in (None, ""):
                setattr(referral, column, data[column])
        elif getattr(referral, column) is None:
            setattr(referral, column, now)
    if transition.target == Status.COMPLETED:
        _record_continued_presence(referral, data.get("continued_presence"), now=now)
    referral.save()
    StatusEvent.objects.create(
        referral=referral,
        action=action,
        from_status=from_status,
        to_status=referral.status,
        actor_agency=client.agency,
        actor_client_id=client.client_id,
        actor_client_name=client.name,
        reason_code=data.get(transition.reason_code) if transition.reason_code else None,
        reason=data.get(transition.reason) if transition.reason else None,
        created_at=now,
    )
    data = {"action": action, "from_status": from_status, "to_status": referral.status, "version": referral.version}
    if transition.target == Status.RECALLED:
        # Sent in error: the disclosure to the receiver is a privacy incident (OMB M-17-12 calls a disclosure
        # to someone without a need to know a breach) and is recorded as such in the audit trail.
        audit_record(
            action="recall", object_type="referral", object_id=str(referral.pk), context=context,
            reason=PRIVACY_INCIDENT,
        )  # fmt: skip
        _emit(referral, client=client, event_type="referral.recalled", data=data)
    else:
        audit_record(action=f"referral.{action}", object_type="referral", object_id=str(referral.pk), context=context)
    _emit(referral, client=client, event_type="referral.status_changed", data=data)
    return referral


def _record_continued_presence(referral: Referral, dates: dict | None, *, now: datetime.datetime) -> None:
    """A Continued Presence granted on completion carries its dates (22 U.S.C. 7105(c)(3); 28 C.F.R. 1100.35);
    an extension granted marks the grant it extends as extended (its expiry deadline is met).

    The rule depends on the referral's type, which only the locked row tells: a missing or misplaced
    ``continued_presence`` is a 400 naming the field, as a malformed body is (the dates themselves were checked
    by the input serializer).
    """
    granted = deadlines.is_continued_presence_grant(
        referral_type=referral.referral_type, outcome_code=referral.outcome_code
    )
    if granted and dates is None:
        raise InvalidInput(
            "Required with continued_presence_granted: the grant's {effective_on, expires_on}.",
            field="continued_presence",
            code="required",
        )
    if not granted and dates is not None:
        raise InvalidInput(
            "Only a continued_presence or continued_presence_extension referral completed with "
            "continued_presence_granted carries continued_presence dates.",
            field="continued_presence",
            code="not_allowed",
        )
    if not granted:
        return
    referral.continued_presence_effective_on = dates["effective_on"]
    referral.continued_presence_expires_on = dates["expires_on"]
    if referral.referral_type == "continued_presence_extension" and referral.related_referral_id:
        extended = Referral.objects.select_for_update(of=("self",)).filter(pk=referral.related_referral_id).first()
        if extended is not None and extended.continued_presence_extended_at is None:
            extended.continued_presence_extended_at = now
            extended.version += 1
            extended.updated_at = now
            extended.save(update_fields=["continued_presence_extended_at", "version", "updated_at"])


# --- receiver fields ---------------------------------------------------------------------------------------
RECEIVER_EDITABLE_FIELDS = ("receiver_reference", "assignee")


def fields_not_yours(fields: list[str], *, side: str) -> WrongSide:
    """403 naming each field of a PATCH that belongs to the other party (api-contract.md v1.1, receiver PATCH)."""
    if side == RECEIVER:
        detail, code = "The receiving agency may change only receiver_reference and assignee.", "receiver_may_not_edit"
    else:
        detail, code = "receiver_reference and assignee are set by the receiving agency.", "sender_may_not_edit"
    errors = [{"field": f, "code": code, "message": detail} for f in fields]
    return WrongSide(f"{detail} Not yours to change: {', '.join(fields)}.", errors=errors)


@transaction.atomic
def referral_receiver_update(
    *, referral_id, client: Client, data: dict, if_match: int, context: AuditContext
) -> Referral:
    """The receiver sets its own case number and assignee, in any non-terminal status (RFC 9110 §13.1.1)."""
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency)
    policies.require_side(referral=referral, agency=client.agency, side=RECEIVER, verb="edit the receiver fields of")
    _check_if_match(referral, if_match)
    if referral.is_terminal:
        raise InvalidTransition(
            f"A referral that is {referral.status} cannot be edited.",
            allowed_actions=allowed_actions(status=referral.status, side="receiver"),
        )
    changed = [f for f in RECEIVER_EDITABLE_FIELDS if f in data and data[f] != getattr(referral, f)]
    if not changed:
        return referral
    for field in changed:
        setattr(referral, field, data[field])
    referral.version += 1
    referral.updated_at = timezone.now()
    referral.save()
    _recorded(
        referral,
        client=client,
        context=context,
        action="referral.updated",
        event_type="referral.updated",
        data={"changed_fields": sorted(changed), "version": referral.version},
    )
    return referral


# --- notes -------------------------------------------------------------------------------------------------
@transaction.atomic
def note_create(*, referral_id, client: Client, data: dict, context: AuditContext) -> Note:
    """Append a note from either party (notes are never edited or deleted)."""
    referral = referral_visible(agency=client.agency, referral_id=referral_id, shape=_with_parties)
    note = Note.objects.create(
        referral=referral,
        author_agency=client.agency,
        author_client_id=client.client_id,
        author_client_name=client.name,
        body=data["body"],
        information_source=data["information_source"],
    )
    _recorded(
        referral,
        client=client,
        context=context,
        action="note.created",
        event_type="referral.note_added",
        data={"note_id": str(note.pk), "information_source": note.information_source},
    )
    return note


# --- protection (8 U.S.C. 1367) ----------------------------------------------------------------------------
@transaction.atomic
def person_protection_set(
    *, referral_id, person_id, client: Client, data: dict, if_match: int | None, context: AuditContext
) -> Referral:
    """Flag a person as protected by 8 U.S.C. 1367, or change the end of the protection (either party).

    Protection only ever narrows who sees what (domain.md): it is never removed through the API, and a person
    flagged after the referral went to an agency not marked ``may_receive_1367_protected`` is masked for that
    agency until a 1367(b) basis is recorded (``policies.person_withheld``).
    """
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency)
    _check_if_match(referral, if_match)
    side = referral_side(referral, client.agency)
    if referral.is_terminal:
        raise InvalidTransition(
            f"Protection can be set only while the referral is open; it is {referral.status}.",
            allowed_actions=allowed_actions(status=referral.status, side=side),
        )
    person = Person.objects.filter(referral=referral, pk=person_id).first()
    if person is None:
        raise PersonNotFound("No such person in this referral.")
    if not data["protected_1367"]:
        raise RuleViolation(
            "8 U.S.C. 1367 protection cannot be removed through the API; send protected_1367: true.",
            field="protected_1367",
            code="protection_cannot_be_removed",
        )
    changed = []
    basis = data.get("protection_basis")
    if person.protected_1367 and person.protection_basis and basis and basis != person.protection_basis:
        raise RuleViolation(
            f"The protection of this person already rests on {person.protection_basis}; only its end date can change.",
            field="protection_basis",
            code="immutable",
        )
    if not person.protected_1367:
        person.protected_1367 = True
        changed.append("protected_1367")
    if basis and basis != person.protection_basis:
        person.protection_basis = basis
        changed.append("protection_basis")
    if "protection_ends_on" in data and data["protection_ends_on"] != person.protection_ends_on:
        person.protection_ends_on = data["protection_ends_on"]
        changed.append("protection_ends_on")
    if not changed:
        return referral
    person.save(update_fields=changed)
    referral.version += 1
    referral.updated_at = timezone.now()
    referral.save(update_fields=["version", "updated_at"])
    # No PII in the event: the person's id and which party changed it (actor_agency).
    _recorded(
        referral, client=client, context=context, action="referral.protection_changed",
        event_type="referral.protection_changed",
        data={"person_id": str(person.pk), "changed_by": side, "changed_fields": changed, "version": referral.version},
    )  # fmt: skip
    return referral


# --- HHS child notice (22 U.S.C. 7105(b)(1)(G)) ------------------------------------------------------------
@transaction.atomic
def hhs_notification_record(*, referral_id, client: Client, data: dict, context: AuditContext) -> Referral:
    """Record that HHS was notified of a possible foreign national child victim (either party, once).

    409 ``invalid-transition`` when no notice is required or one is already recorded.
    """
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency)
    side = referral_side(referral, client.agency)
    if not referral.hhs_required:
        raise InvalidTransition(
            "No HHS notification is required for this referral (no victim or possible victim who is a minor and "
            "not a U.S. citizen or lawful permanent resident).",
            allowed_actions=allowed_actions(status=referral.status, side=side),
        )
    if referral.hhs_notified_at is not None:
        raise InvalidTransition(
            "The HHS notification of this referral is already recorded.",
            allowed_actions=allowed_actions(status=referral.status, side=side),
        )
    now = timezone.now()
    notified_at = data["notified_at"]
    if notified_at > now + datetime.timedelta(minutes=5):
        raise RuleViolation("notified_at cannot be in the future.", field="notified_at", code="future")
    referral.hhs_notified_at = notified_at
    referral.hhs_method = data["method"]
    referral.hhs_request_number = data.get("request_number") or None
    referral.hhs_notified_by = client.agency
    referral.version += 1
    referral.updated_at = now
    referral.save(
        update_fields=[
            "hhs_notified_at", "hhs_method", "hhs_request_number", "hhs_notified_by", "version", "updated_at",
        ]
    )  # fmt: skip
    on_time = referral.hhs_notify_by is None or notified_at <= referral.hhs_notify_by
    _recorded(
        referral, client=client, context=context, action="referral.hhs_notified", event_type="referral.hhs_notified",
        data={"method": referral.hhs_method, "on_time": on_time, "version": referral.version},
    )  # fmt: skip
    return referral
