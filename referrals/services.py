"""Writes on referrals. Each service runs in one transaction that writes the referral, its status event, its
audit row and its outbox event together: either all of them land or none does."""

from __future__ import annotations

import datetime
import unicodedata

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agencies.models import Agency, Client, Office
from audit.context import AuditContext
from audit.services import audit_record
from events.services import event_emit
from referral_api.crypto import blind_index
from referrals import deadlines, policies
from referrals.deprecations import referral_type_refuse_after_sunset
from referrals.errors import Conflict, InvalidTransition, PreconditionFailed, RuleViolation, WrongSide
from referrals.lifecycle import RECEIVER, SENDER, TRANSITIONS, allowed_actions
from referrals.models import EDITABLE_STATUSES, Case, Note, Person, Referral, Status, StatusEvent
from referrals.selectors import possible_duplicates, referral_visible, referrals_visible_to

PERSON_FIELDS = (
    "role", "sex", "citizenships", "languages", "protected_1367", "given_name", "family_name", "aliases",
    "date_of_birth", "a_number", "other_identifiers", "safe_contact", "location",
)  # fmt: skip


# --- helpers -----------------------------------------------------------------------------------------------
def _next_reference(now: datetime.datetime) -> str:
    # A sequence, not MAX()+1: concurrent creates never collide; a rolled-back create leaves a gap.
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('referral_reference_seq')")
        (number,) = cursor.fetchone()
    return f"REF-{now.year}-{number:06d}"


def _normalise_name(value: str | None) -> str:
    value = unicodedata.normalize("NFKD", value or "")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.casefold().split())


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
    person.is_minor = _is_minor(data, today)
    if person.a_number:
        person.a_number_index = blind_index(person.a_number.upper(), purpose="a_number")
    names = (_normalise_name(person.given_name), _normalise_name(person.family_name))
    if person.date_of_birth and any(names):
        person.name_dob_index = blind_index(
            f"{names[0]}|{names[1]}|{person.date_of_birth.isoformat()}", purpose="name_dob"
        )
    return person


def _apply_deadlines(referral: Referral) -> None:
    """Minors raise the priority to at least urgent and start the 24-hour HHS clock; the acknowledgement
    deadline follows the priority (referrals/deadlines.py)."""
    referral.priority = deadlines.minimum_priority(priority=referral.priority, involves_minor=referral.involves_minor)
    referral.acknowledge_by = deadlines.acknowledge_by(priority=referral.priority, created_at=referral.created_at)
    if referral.involves_minor and referral.hhs_notify_by is None:
        referral.hhs_notify_by = deadlines.hhs_notification_due_by(encountered_at=referral.created_at)


def _resolve_receiver(receiver: dict) -> tuple[Agency, Office | None]:
    agency = Agency.objects.filter(code=receiver["agency"], active=True).first()
    if agency is None:
        known = ", ".join(Agency.objects.filter(active=True).order_by("code").values_list("code", flat=True))
        raise RuleViolation(
            f"No active agency has this code. Active agencies: {known} (GET /api/v1/agencies/).",
            field="receiver.agency",
            code="unknown_agency",
        )
    office = None
    if receiver.get("office"):
        office = Office.objects.filter(agency=agency, code=receiver["office"], active=True).first()
        if office is None:
            offices = ", ".join(agency.offices.filter(active=True).order_by("code").values_list("code", flat=True))
            raise RuleViolation(
                f"{agency.code} has no active office with this code. Its offices: {offices or 'none'}.",
                field="receiver.office",
                code="unknown_office",
            )
    return agency, office


def _resolve_related(related_id, agency: Agency) -> Referral | None:
    if related_id is None:
        return None
    related = referrals_visible_to(agency=agency).filter(pk=related_id, disposed_at__isnull=True).first()
    if related is None:
        # Need to know: a referral the caller cannot see is indistinguishable from one that does not exist.
        raise RuleViolation("No such referral.", field="related_referral", code="not_found")
    return related


def _check_rules(*, referral_type: str, sender: Agency, receiver: Agency, persons: list[dict], consent: bool):
    for problem in (
        policies.check_not_self(sender=sender, receiver=receiver),
        policies.check_routing(referral_type=referral_type, receiver=receiver),
        policies.check_1367(persons=persons, receiver=receiver, consent_obtained=consent),
    ):
        if problem is not None:
            raise problem


def _write_case(referral: Referral, case: dict | None, *, replace: bool = True) -> None:
    if replace:
        Case.objects.filter(referral=referral).delete()
    if case is not None:
        Case.objects.create(
            referral=referral,
            sender_case_number=case.get("sender_case_number"),
            title=case.get("title"),
            locations=case.get("locations", []),
            organizations=case.get("organizations", []),
        )


def _write_persons(referral: Referral, persons: list[dict], *, replace: bool = True) -> list[Person]:
    today = referral.created_at.date()
    built = [_build_person(referral, index, data, today) for index, data in enumerate(persons)]
    if replace:
        Person.objects.filter(referral=referral).delete()
    if built:
        Person.objects.bulk_create(built)
    referral.involves_minor = any(p.is_minor for p in built)
    return built


def _parties(referral: Referral) -> list[str]:
    return [referral.sender_agency.code, referral.receiver_agency.code]


def _recorded(referral: Referral, *, client: Client, context: AuditContext, action: str, event_type: str,
              data: dict) -> None:  # fmt: skip
    """Write the audit row and the outbox event of a change, in the caller's transaction."""
    audit_record(action=action, object_type="referral", object_id=str(referral.pk), context=context)
    event_emit(
        event_type=event_type, referral_id=referral.pk, reference=referral.reference,
        agency_codes=_parties(referral), actor_agency=client.agency.code, data=data,
    )  # fmt: skip


def _save_referral(referral: Referral, **kwargs) -> None:
    """Save, turning a second use of an ``external_reference`` by the same sender into a 409 on that field."""
    try:
        with transaction.atomic():
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
    receiver, receiver_office = _resolve_receiver(data["receiver"])
    persons = data.get("persons", [])
    consent = data.get("consent") or {}
    _check_rules(
        referral_type=data["referral_type"],
        sender=sender,
        receiver=receiver,
        persons=persons,
        consent=bool(consent.get("obtained")),
    )
    related = _resolve_related(data.get("related_referral"), sender)
    problem = policies.check_extension_names_granted_cp(referral_type=data["referral_type"], related=related)
    if problem is not None:
        raise problem
    referral = Referral(
        reference=_next_reference(now),
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
        parent=parent,
        hhs_notified_at=data.get("hhs_notified_at"),
        created_at=now,
        updated_at=now,
    )
    _set_consent(referral, consent)
    today = now.date()
    referral.involves_minor = any(_is_minor(p, today) for p in persons)
    _apply_deadlines(referral)
    _save_referral(referral, force_insert=True)
    built = _write_persons(referral, persons, replace=False)
    _write_case(referral, data.get("case"), replace=False)
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
    return referral, duplicates


# --- update ------------------------------------------------------------------------------------------------
EDITABLE_FIELDS = (
    "priority", "external_reference", "summary", "narrative", "trafficking_types", "indicators", "persons", "case",
    "consent", "related_referral", "hhs_notified_at", "receiver",
)  # fmt: skip


def _with_parties(queryset):
    return queryset.select_related("sender_agency", "receiver_agency")


def referral_lock_visible(*, referral_id, agency: Agency) -> Referral:
    """Lock and return a referral ``agency`` may see (``SELECT ... FOR UPDATE``), or raise ``NotVisible``."""
    return referral_visible(agency=agency, referral_id=referral_id, shape=_with_parties, lock=True)


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
        _, office = _resolve_receiver(receiver)
        if office != referral.receiver_office:
            referral.receiver_office = office
            changed.append("receiver")
    for field in ("priority", "external_reference", "summary", "narrative", "trafficking_types", "indicators",
                  "hhs_notified_at"):  # fmt: skip
        if field in data and data[field] != getattr(referral, field):
            setattr(referral, field, data[field])
            changed.append(field)
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
    current_persons = list(referral.persons.values("protected_1367"))
    _check_rules(
        referral_type=referral.referral_type,
        sender=referral.sender_agency,
        receiver=referral.receiver_agency,
        persons=persons if persons is not None else current_persons,
        consent=referral.consent_obtained,
    )
    if persons is not None:
        _write_persons(referral, persons)
        changed.append("persons")
    if "case" in data:
        _write_case(referral, data["case"])
        changed.append("case")
    if not changed:
        return referral
    if "priority" in changed or "persons" in changed:
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


# --- lifecycle actions -------------------------------------------------------------------------------------
@transaction.atomic
def referral_act(
    *, referral_id, client: Client, action: str, data: dict, if_match: int | None, context: AuditContext
) -> Referral:
    """Take a lifecycle action. The row is locked, so of two racing actions exactly one wins."""
    transition = TRANSITIONS[action]
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency)
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
    _recorded(
        referral,
        client=client,
        context=context,
        action=f"referral.{action}",
        event_type="referral.status_changed",
        data={"action": action, "from_status": from_status, "to_status": referral.status, "version": referral.version},
    )
    return referral


def _record_continued_presence(referral: Referral, dates: dict | None, *, now: datetime.datetime) -> None:
    """A Continued Presence granted on completion carries its dates (22 U.S.C. 7105(c)(3); 28 C.F.R. 1100.35);
    an extension granted marks the grant it extends as extended (its expiry deadline is met).

    The input serializer already refused a missing or misplaced ``continued_presence`` (400, it knows the
    referral's type); this is the same rule under the row lock, for any other caller of the service.
    """
    granted = deadlines.is_continued_presence_grant(
        referral_type=referral.referral_type, outcome_code=referral.outcome_code
    )
    if granted != (dates is not None):
        raise RuleViolation(deadlines.CONTINUED_PRESENCE_DATES_RULE, field="continued_presence", code="invalid")
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
