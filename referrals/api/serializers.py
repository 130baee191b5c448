"""Referral serializers: strict input (unknown and server-owned fields are errors), explicit output."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping

from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from agencies.models import ReferralType
from referral_api.fields import ChoiceField
from referral_api.parsers import json_type_errors
from referral_api.renderers import rfc3339
from referral_api.timestamps import BadTimestamp, checked_timestamp
from referrals import deadlines
from referrals.codes import (
    INDICATORS,
    VICTIM_ROLES,
    CitizenOrLpr,
    DisclosureException,
    HhsNotificationMethod,
    InformationSource,
    PersonRole,
    Priority,
    ProtectionBasis,
    Sex,
    TraffickingType,
    Withheld,
)
from referrals.iso import COUNTRIES
from referrals.languages import LanguageTag
from referrals.lifecycle import RECEIVER_REFERENCE, TRANSITIONS, ActionField, Transition, allowed_actions
from referrals.models import PERSON_IDENTIFYING_FIELDS
from referrals.policies import person_withheld, referral_content_withheld

SERVER_OWNED = {
    "id", "reference", "status", "sender", "version", "created_at", "updated_at", "acknowledge_by", "overdue",
    "allowed_actions", "outcome", "outcome_code", "is_minor", "masked", "possible_duplicates", "hhs_notification",
    "assignee", "closed_at", "acknowledged_at", "accepted_at", "author", "actor", "uploaded_by", "withheld",
    "parent", "children", "deadlines", "continued_presence", "receiver_reference", "usable_until",
}  # fmt: skip
# Types about people: they need at least one person whose role is victim or potential_victim.
VICTIM_TYPES = (
    ReferralType.VICTIM_ASSISTANCE, ReferralType.CONTINUED_PRESENCE, ReferralType.CONTINUED_PRESENCE_EXTENSION,
    ReferralType.RELIEF_SUPPORT, ReferralType.CERTIFICATION_VERIFICATION, ReferralType.IMMIGRATION_RELIEF_SCREENING,
)  # fmt: skip
MAX_PERSONS = 100


# --- strict input building blocks -------------------------------------------------------------------------
class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields and fields the server owns, naming each (api-contract.md, Conventions)."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise ValidationError({"non_field_errors": [ErrorDetail("Expected a JSON object.", code="invalid")]})
        errors: dict = {}
        writable = {name for name, field in self.fields.items() if not field.read_only}
        for key in data:
            if key in writable:
                continue
            if key in SERVER_OWNED:
                errors[key] = [ErrorDetail("This field is set by the server; do not send it.", code="read_only")]
            else:
                errors[key] = [ErrorDetail("Unknown field.", code="unknown_field")]
        # JSON types as sent: DRF would turn 0 into False or 5 into "5" (referral_api.parsers).
        errors.update(json_type_errors(self.fields, data))
        try:
            value = super().to_internal_value(data)
        except ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            errors = {**detail, **errors}
            raise ValidationError(errors) from None
        if errors:
            raise ValidationError(errors)
        return value


def _no_control_characters(multiline: bool):
    allowed = {"\n", "\r", "\t"} if multiline else set()

    def validate(value: str) -> None:
        for ch in value:
            if ch in allowed:
                continue
            category = unicodedata.category(ch)
            if category in ("Cc", "Cs", "Co", "Cn") or ch in ("\u2028", "\u2029"):
                raise ValidationError("Control characters are not allowed.", code="invalid_character")

    return validate


class Text(serializers.CharField):
    """Printable text, trimmed, bounded; NUL and control characters refused."""

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs):
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], _no_control_characters(multiline)]
        super().__init__(max_length=max_length, **kwargs)


class CodeList(serializers.ListField):
    """A list of distinct codes from a published list."""

    def __init__(self, *, choices, max_length: int, **kwargs):
        super().__init__(child=ChoiceField(choices=choices), max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if len(set(values)) != len(values):
            raise ValidationError("Each code may appear only once.", code="duplicate")
        return values


class CountryCode(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(min_length=2, max_length=2, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in COUNTRIES:
            raise ValidationError("Not an ISO 3166-1 alpha-2 country code (e.g. US, HN).", code="invalid_country")
        return value


LanguageCode = LanguageTag


class UtcDateTime(serializers.DateTimeField):
    """RFC 3339 timestamp; output in UTC with a ``Z``. Input is checked for offset and range and converted to UTC
    (``referral_api.timestamps``): a value PostgreSQL would refuse is a 400 naming the field, never a 500."""

    def enforce_timezone(self, value):
        # Before DRF converts the value to UTC (which would hide an out-of-range offset).
        if timezone.is_aware(value):
            try:
                value = checked_timestamp(value)
            except BadTimestamp as exc:
                raise ValidationError(str(exc), code="invalid") from None
        return super().enforce_timezone(value)

    def to_representation(self, value):
        return rfc3339(value)


# --- input -------------------------------------------------------------------------------------------------
class ReceiverInputSerializer(StrictSerializer):
    agency = serializers.RegexField(
        r"^[A-Z][A-Z0-9_]{1,15}$",
        help_text="Agency code, e.g. ICE.",
        error_messages={"invalid": "Must be an agency code from GET /api/v1/agencies/, e.g. ICE."},
    )
    office = serializers.RegexField(
        r"^[A-Z][A-Z0-9_]{1,15}$",
        required=False,
        allow_null=True,
        help_text="Office code, e.g. VAP.",
        error_messages={"invalid": "Must be an office code of the agency (GET /api/v1/agencies/), e.g. VAP."},
    )


class SafeContactSerializer(StrictSerializer):
    phone = serializers.RegexField(
        r"^\+[1-9]\d{6,14}$",
        required=False,
        allow_null=True,
        help_text="E.164, e.g. +15555550100.",
        error_messages={"invalid": "Must be an E.164 phone number: + and 7 to 15 digits, e.g. +15555550100."},
    )
    email = serializers.EmailField(required=False, allow_null=True, max_length=254)
    instructions = Text(max_length=500, required=False, allow_null=True, allow_blank=True, multiline=True)
    do_not_contact = serializers.BooleanField(default=False)


class LocationSerializer(StrictSerializer):
    city = Text(max_length=100, required=False, allow_null=True, allow_blank=True)
    state = Text(max_length=100, required=False, allow_null=True, allow_blank=True)
    country = CountryCode(required=False, allow_null=True)
    description = Text(max_length=500, required=False, allow_null=True, allow_blank=True, multiline=True)


class OtherIdentifierSerializer(StrictSerializer):
    type = Text(max_length=50, help_text="e.g. passport, fin, ssn_last4, sevis")
    value = Text(max_length=100)
    country = CountryCode(required=False, allow_null=True)


class DisclosureBasisSerializer(StrictSerializer):
    """The 8 U.S.C. 1367(b) exception relied on to disclose one protected person, and what it rests on."""

    exception = ChoiceField(
        choices=DisclosureException.choices,
        help_text="b2_law_enforcement: 1367(b)(2); b4_waiver: 1367(b)(4), the person's own signed waiver, only when "
        "every person in the referral is an adult; b5_benefits: 1367(b)(5); b6_victim_services: 1367(b)(6).",
    )
    authority = Text(
        max_length=1000, required=False, allow_null=True, multiline=True,
        help_text="The decision or agreement relied on (required except for b4_waiver).",
    )  # fmt: skip
    waiver_signed_on = serializers.DateField(
        required=False, allow_null=True, input_formats=["iso-8601"],
        help_text="The day the person signed the waiver: required for b4_waiver, refused otherwise.",
    )  # fmt: skip

    def validate(self, attrs):
        exception = attrs["exception"]
        errors = {}
        if exception == DisclosureException.B4_WAIVER:
            signed = attrs.get("waiver_signed_on")
            if signed is None:
                errors["waiver_signed_on"] = [ErrorDetail("Required for b4_waiver.", code="required")]
            elif signed > timezone.now().date():
                errors["waiver_signed_on"] = [ErrorDetail("Cannot be in the future.", code="future")]
        else:
            if attrs.get("waiver_signed_on") is not None:
                errors["waiver_signed_on"] = [ErrorDetail(f"Only for b4_waiver, not {exception}.", code="not_allowed")]
            if not (attrs.get("authority") or "").strip():
                errors["authority"] = [
                    ErrorDetail(f"Required for {exception}: name the decision or agreement relied on.",
                                code="required")
                ]  # fmt: skip
        if errors:
            raise ValidationError(errors)
        return attrs


class PersonInputSerializer(StrictSerializer):
    role = ChoiceField(choices=PersonRole.choices)
    given_name = Text(max_length=200, required=False, allow_null=True, allow_blank=True)
    family_name = Text(max_length=200, required=False, allow_null=True, allow_blank=True)
    aliases = serializers.ListField(child=Text(max_length=200), max_length=20, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True, input_formats=["iso-8601"])
    sex = ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    citizenships = serializers.ListField(child=CountryCode(), max_length=10, required=False)
    languages = serializers.ListField(
        child=LanguageCode(), max_length=10, required=False,
        help_text="BCP 47 language tags (RFC 5646), e.g. es, mam, quc, kek, ixl, zh-Hant; stored in canonical form "
        "(EN becomes en). ISO 639-1 codes are BCP 47 tags too.",
    )  # fmt: skip
    interpreter_needed = serializers.BooleanField(default=False, help_text="Needs an interpreter.")
    us_citizen_or_lpr = ChoiceField(
        choices=CitizenOrLpr.choices, default=CitizenOrLpr.UNKNOWN,
        help_text="U.S. citizen or lawful permanent resident? The HHS child notice covers minors who are not "
        "(22 U.S.C. 7105(b)(1)(G)).",
    )  # fmt: skip
    a_number = serializers.RegexField(
        r"^A\d{8,9}$",
        required=False,
        allow_null=True,
        help_text="Alien registration number: A and 8 or 9 digits.",
        error_messages={"invalid": "Must be A and 8 or 9 digits, e.g. A123456789."},
    )
    other_identifiers = OtherIdentifierSerializer(many=True, required=False, max_length=20)
    safe_contact = SafeContactSerializer(required=False, allow_null=True)
    location = LocationSerializer(required=False, allow_null=True)
    protected_1367 = serializers.BooleanField(
        default=False, help_text="Has applied for or holds T, U or VAWA relief (8 U.S.C. 1367(a)(2))."
    )
    protection_basis = ChoiceField(
        choices=ProtectionBasis.choices, required=False, allow_null=True,
        help_text="What the 1367 protection rests on (only with protected_1367: true).",
    )  # fmt: skip
    protection_ends_on = serializers.DateField(
        required=False, allow_null=True, input_formats=["iso-8601"], help_text="When the protection ends, if known."
    )
    disclosure_basis = DisclosureBasisSerializer(
        required=False, allow_null=True,
        help_text="The exception of 8 U.S.C. 1367(b) that allows disclosing this protected person to a receiving "
        "agency that is not `may_receive_1367_protected` (422 `disclosure-basis-required` without it).",
    )  # fmt: skip
    is_minor = serializers.BooleanField(
        required=False,
        help_text="Flag a minor when the date of birth is unknown (under 18 at encountered_at by date of birth "
        "counts anyway).",
    )

    def validate_date_of_birth(self, value):
        if value is not None and not (datetime.date(1900, 1, 1) <= value <= timezone.now().date()):
            raise ValidationError("Must be a past date after 1900-01-01.", code="invalid_date")
        return value

    def validate(self, attrs):
        if not attrs.get("protected_1367"):
            only_protected = [f for f in ("protection_basis", "protection_ends_on", "disclosure_basis") if attrs.get(f)]
            if only_protected:
                raise ValidationError(
                    {
                        name: [ErrorDetail("Only for a person with protected_1367: true.", code="not_protected")]
                        for name in only_protected
                    }
                )
        return attrs


class CaseLocationSerializer(LocationSerializer):
    pass


class OrganizationSerializer(StrictSerializer):
    name = Text(max_length=200)
    kind = Text(max_length=100, required=False, allow_null=True, allow_blank=True,
                help_text="e.g. restaurant, farm, massage business, labor contractor")  # fmt: skip


class CaseInputSerializer(StrictSerializer):
    sender_case_number = Text(max_length=100, required=False, allow_null=True, allow_blank=True)
    title = Text(max_length=300, required=False, allow_null=True, allow_blank=True)
    locations = CaseLocationSerializer(many=True, required=False, max_length=50)
    organizations = OrganizationSerializer(many=True, required=False, max_length=50)


class ConsentSerializer(StrictSerializer):
    obtained = serializers.BooleanField()
    obtained_at = UtcDateTime(required=False, allow_null=True)
    scope = Text(max_length=500, required=False, allow_null=True, allow_blank=True, multiline=True)

    def validate(self, attrs):
        if attrs.get("obtained") and not attrs.get("obtained_at"):
            raise ValidationError({"obtained_at": ["Required when consent was obtained."]})
        if attrs.get("obtained_at") and attrs["obtained_at"] > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError({"obtained_at": ["Cannot be in the future."]})
        return attrs


class _ReferralBodySerializer(StrictSerializer):
    priority = ChoiceField(choices=Priority.choices)
    external_reference = Text(
        max_length=100,
        required=False,
        allow_null=True,
        help_text="Your own reference; unique per sending agency (a second referral with it is 409).",
    )
    summary = Text(max_length=500)
    narrative = Text(max_length=20000, required=False, allow_null=True, allow_blank=True, multiline=True)
    trafficking_types = CodeList(choices=TraffickingType.choices, max_length=2, required=False)
    indicators = CodeList(choices=sorted(INDICATORS), max_length=len(INDICATORS), required=False)
    persons = PersonInputSerializer(many=True, required=False, max_length=MAX_PERSONS)
    case = CaseInputSerializer(required=False, allow_null=True)
    consent = ConsentSerializer(required=False, allow_null=True)
    related_referral = serializers.UUIDField(
        required=False, allow_null=True, help_text="An earlier referral this one follows up (one you can see)."
    )
    encountered_at = UtcDateTime(
        required=False,
        help_text="When your officers encountered the people (default: now). Not in the future. Each person's "
        "age and the HHS notice's 24 hours run from it.",
    )
    hhs_notified_at = UtcDateTime(
        required=False,
        allow_null=True,
        help_text="**Deprecated** (answers carry `Deprecation` and `Link` headers): use `POST "
        "referrals/{id}/hhs-notification/`. Mapped to that record with `method: null`.",
    )

    def validate_encountered_at(self, value):
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError("Cannot be in the future.", code="future")
        return value


class ReferralCreateSerializer(_ReferralBodySerializer):
    referral_type = ChoiceField(choices=ReferralType.choices)
    receiver = ReceiverInputSerializer()

    def validate(self, attrs):
        persons = attrs.get("persons") or []
        case = attrs.get("case")
        referral_type = attrs["referral_type"]
        has_victim = any(p["role"] in VICTIM_ROLES for p in persons)
        if referral_type in VICTIM_TYPES and not has_victim:
            raise ValidationError(
                {
                    "persons": [
                        ErrorDetail(
                            f"A {referral_type} referral needs at least one person whose role is victim "
                            "or potential_victim.",
                            code="victim_required",
                        )
                    ]
                }
            )
        if referral_type == ReferralType.INVESTIGATIVE_LEAD and not case:
            raise ValidationError(
                {"case": [ErrorDetail("An investigative_lead referral needs a case.", code="case_required")]}
            )
        if referral_type == ReferralType.INFORMATION_REQUEST and not persons and not case:
            raise ValidationError(
                {"persons": [ErrorDetail("An information_request needs persons or a case.", code="required")]}
            )
        return attrs


class ReferralUpdateSerializer(_ReferralBodySerializer):
    """Every field optional; ``persons`` and ``case`` replace the whole list or object."""

    receiver = ReceiverInputSerializer(required=False, help_text="Only the office may change.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs):
        if not attrs:
            raise ValidationError({"non_field_errors": [ErrorDetail("Send at least one field.", code="empty")]})
        return attrs


def _action_input_field(transition: Transition, spec: ActionField) -> serializers.Field:
    notes = [spec.help_text] if spec.help_text else []
    if spec.name == transition.reason_code:
        notes.append("Recorded in the history as the reason code.")
    elif spec.name == transition.reason:
        notes.append("Recorded in the history as the reason.")
    if spec.object_serializer is not None:
        serializer = globals()[spec.object_serializer]
        return serializer(required=spec.required, help_text=" ".join(notes) or None)
    optional = {} if spec.required else {"required": False, "allow_null": True, "allow_blank": True}
    if spec.pattern is not None:
        optional.pop("allow_blank", None)
        return serializers.RegexField(
            spec.pattern, max_length=spec.max_length, help_text=" ".join(notes) or None,
            error_messages={"invalid": "1-100 letters, digits and . _ - / : #, starting with a letter or digit."},
            **optional,
        )  # fmt: skip
    if spec.choices is not None:
        return ChoiceField(choices=spec.choices.choices, help_text=" ".join(notes) or None, **optional)
    return Text(max_length=spec.max_length, multiline=spec.multiline, help_text=" ".join(notes) or None, **optional)


def action_input_serializer(transition: Transition) -> type[StrictSerializer]:
    """The strict input serializer of a lifecycle action, built from its row of the table (its fields only)."""
    name = "".join(part.capitalize() for part in transition.action.split("-")) + "InputSerializer"
    fields = {spec.name: _action_input_field(transition, spec) for spec in transition.fields}
    return type(name, (StrictSerializer,), {"__module__": __name__, "__qualname__": name, **fields})


class ContinuedPresenceSerializer(StrictSerializer):
    """The dates of a granted Continued Presence: at most two years apart (DHS Continued Presence Resource Guide)."""

    effective_on = serializers.DateField(input_formats=["iso-8601"], help_text="First day of the grant.")
    expires_on = serializers.DateField(
        input_formats=["iso-8601"], help_text="Last day of the grant: after effective_on, at most two years later."
    )

    def validate(self, attrs):
        effective_on, expires_on = attrs["effective_on"], attrs["expires_on"]
        if expires_on <= effective_on:
            raise ValidationError({"expires_on": [ErrorDetail("Must be after effective_on.", code="invalid_date")]})
        if expires_on > deadlines.continued_presence_latest_expiry(effective_on):
            raise ValidationError(
                {"expires_on": [ErrorDetail(
                    "Continued Presence is granted for at most two years: expires_on must be at most two years "
                    "after effective_on.", code="too_long")]}
            )  # fmt: skip
        return attrs


class ReceiverUpdateSerializer(StrictSerializer):
    """What the receiving agency may change, in any non-terminal status: its own case number and assignee."""

    receiver_reference = serializers.RegexField(
        RECEIVER_REFERENCE.pattern, max_length=100, required=False, allow_null=True,
        help_text=RECEIVER_REFERENCE.help_text,
        error_messages={"invalid": "1-100 letters, digits and . _ - / : #, starting with a letter or digit."},
    )  # fmt: skip
    assignee = Text(
        max_length=200, required=False, allow_null=True, allow_blank=True,
        help_text="Who at the receiver handles it (an office or a role). Shown to both parties.",
    )  # fmt: skip

    def validate(self, attrs):
        if not attrs:
            raise ValidationError({"non_field_errors": [ErrorDetail("Send at least one field.", code="empty")]})
        return attrs


class ProtectionInputSerializer(StrictSerializer):
    """``POST referrals/{id}/persons/{person_id}/protection/``: add 8 U.S.C. 1367 protection or change its end."""

    protected_1367 = serializers.BooleanField(help_text="Must be true: protection is never removed through the API.")
    protection_basis = ChoiceField(choices=ProtectionBasis.choices, required=False, allow_null=True)
    protection_ends_on = serializers.DateField(required=False, allow_null=True, input_formats=["iso-8601"])


class HhsNotificationInputSerializer(StrictSerializer):
    """``POST referrals/{id}/hhs-notification/``: HHS was notified of a possible foreign national child victim."""

    notified_at = UtcDateTime(help_text="When HHS was notified (not in the future).")
    method = ChoiceField(choices=HhsNotificationMethod.choices)
    request_number = Text(
        max_length=64, required=False, allow_null=True,
        help_text="The request number Shepherd gave (required for method shepherd).",
    )  # fmt: skip

    def validate(self, attrs):
        if attrs["method"] == HhsNotificationMethod.SHEPHERD and not (attrs.get("request_number") or "").strip():
            raise ValidationError({"request_number": [ErrorDetail("Required for method shepherd.", code="required")]})
        return attrs


ACTION_INPUT_SERIALIZERS = {action: action_input_serializer(t) for action, t in TRANSITIONS.items()}


class DisclosureBasisForPersonSerializer(StrictSerializer):
    person_id = serializers.UUIDField(help_text="One of `person_ids`.")
    disclosure_basis = serializers.DictField(help_text="The 8 U.S.C. 1367(b) basis for disclosing this person.")


class ForwardInputSerializer(StrictSerializer):
    """Forward chosen people of a referral you received to a third agency, as a new referral from you."""

    receiver = ReceiverInputSerializer()
    referral_type = serializers.ChoiceField(choices=ReferralType.choices)
    person_ids = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=MAX_PERSONS,
        help_text="Ids of people of this referral to forward (`persons[].id`).",
    )  # fmt: skip
    summary = Text(max_length=500)
    note = Text(max_length=20000, required=False, allow_null=True, allow_blank=True, multiline=True,
                help_text="Free text for the new receiver; becomes the new referral's `narrative`.")  # fmt: skip
    disclosure_bases = DisclosureBasisForPersonSerializer(
        many=True, required=False, max_length=MAX_PERSONS,
        help_text="For a person protected by 8 U.S.C. 1367 going to an agency not marked "
        "`may_receive_1367_protected`: the statutory basis of the disclosure.",
    )  # fmt: skip

    def validate(self, attrs):
        ids = attrs["person_ids"]
        if len(set(ids)) != len(ids):
            raise ValidationError({"person_ids": [ErrorDetail("Each person may appear only once.", code="duplicate")]})
        bases = attrs.get("disclosure_bases") or []
        for index, basis in enumerate(bases):
            if basis["person_id"] not in ids:
                raise ValidationError(
                    {f"disclosure_bases[{index}].person_id": [ErrorDetail("Not one of person_ids.", code="invalid")]}
                )
        if len({b["person_id"] for b in bases}) != len(bases):
            raise ValidationError({"disclosure_bases": [ErrorDetail("One basis per person.", code="duplicate")]})
        return attrs


# ``forward`` has a body of its own (a new referral's receiver, type and people), not built from the table.
ACTION_INPUT_SERIALIZERS["forward"] = ForwardInputSerializer


class NoteCreateSerializer(StrictSerializer):
    body = Text(max_length=10000, multiline=True)
    information_source = ChoiceField(
        choices=InformationSource.choices,
        help_text="Where the information came from (8 U.S.C. 1367(a)(1): no adverse decision may rest only on "
        "information from the suspected trafficker or abuser).",
    )


# --- output ------------------------------------------------------------------------------------------------
class PartySerializer(serializers.Serializer):
    agency = serializers.CharField()
    office = serializers.CharField(allow_null=True)


class DisclosureBasisOutputSerializer(serializers.Serializer):
    exception = ChoiceField(choices=DisclosureException.choices)
    authority = serializers.CharField(allow_null=True)
    waiver_signed_on = serializers.DateField(allow_null=True)


class PersonSerializer(serializers.Serializer):
    """A person. Without ``pii:read`` the identifying fields are null and ``masked`` is true; ``withheld`` says
    why a person is masked even with ``pii:read`` (``1367``: 8 U.S.C. 1367(a)(2); ``recall``: sent in error)."""

    id = serializers.UUIDField()
    role = ChoiceField(choices=PersonRole.choices)
    masked = serializers.BooleanField()
    withheld = ChoiceField(choices=Withheld.choices, allow_null=True)
    given_name = serializers.CharField(allow_null=True)
    family_name = serializers.CharField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    sex = ChoiceField(choices=Sex.choices, allow_null=True)
    citizenships = serializers.ListField(child=serializers.CharField(), allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), allow_null=True)
    interpreter_needed = serializers.BooleanField(allow_null=True)
    us_citizen_or_lpr = ChoiceField(choices=CitizenOrLpr.choices, allow_null=True)
    a_number = serializers.CharField(allow_null=True)
    other_identifiers = OtherIdentifierSerializer(many=True, allow_null=True)
    safe_contact = SafeContactSerializer(allow_null=True)
    location = LocationSerializer(allow_null=True)
    protected_1367 = serializers.BooleanField(allow_null=True)
    protection_basis = ChoiceField(choices=ProtectionBasis.choices, allow_null=True)
    protection_ends_on = serializers.DateField(allow_null=True)
    disclosure_basis = DisclosureBasisOutputSerializer(allow_null=True, help_text="Shown to both parties.")
    is_minor = serializers.BooleanField(allow_null=True)


IDENTIFYING = PERSON_IDENTIFYING_FIELDS
# Kept for a person withheld under 1367: what the receiver needs to serve the person without knowing who it is.
KEPT_WHEN_WITHHELD_1367 = ("role", "sex", "citizenships", "languages", "interpreter_needed", "is_minor",
                           "protected_1367")  # fmt: skip


def person_representation(person, *, pii: bool, withheld: str | None = None) -> dict:
    """One person for one caller: identifying fields only with ``pii`` and nothing ``withheld``; after a recall
    only the person's id and role remain; under 1367 the protection's basis is withheld too (it would disclose
    the relief applied for)."""
    basis = None
    if person.disclosure_exception:
        basis = {
            "exception": person.disclosure_exception,
            "authority": person.disclosure_authority,
            "waiver_signed_on": _iso(person.disclosure_waiver_signed_on),
        }
    data = {
        "id": str(person.id),
        "role": person.role,
        "masked": not pii or withheld is not None,
        "withheld": withheld,
        "sex": person.sex,
        "citizenships": list(person.citizenships),
        "languages": list(person.languages),
        "interpreter_needed": person.interpreter_needed,
        "us_citizen_or_lpr": person.us_citizen_or_lpr,
        "protected_1367": person.protected_1367,
        "protection_basis": person.protection_basis,
        "protection_ends_on": _iso(person.protection_ends_on),
        "disclosure_basis": basis,
        "is_minor": person.is_minor,
    }
    show_identity = pii and withheld is None
    for field in IDENTIFYING:
        data[field] = getattr(person, field) if show_identity else None
    if show_identity and person.date_of_birth is not None:
        data["date_of_birth"] = person.date_of_birth.isoformat()
    if withheld == "recall":
        for field in data:
            if field not in ("id", "role", "masked", "withheld"):
                data[field] = None
    elif withheld == "1367":
        for field in ("us_citizen_or_lpr", "protection_basis", "protection_ends_on"):
            data[field] = None
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


class CaseSerializer(serializers.Serializer):
    sender_case_number = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    locations = CaseLocationSerializer(many=True)
    organizations = OrganizationSerializer(many=True)


class ConsentOutputSerializer(serializers.Serializer):
    obtained = serializers.BooleanField()
    obtained_at = serializers.DateTimeField(allow_null=True)
    scope = serializers.CharField(allow_null=True)


class HhsNotificationSerializer(serializers.Serializer):
    """The HHS child notice (22 U.S.C. 7105(b)(1)(G): within 24 hours of discovering a foreign national minor who
    may be a trafficking victim)."""

    required = serializers.BooleanField(
        help_text="A victim or possible victim is a minor (at encountered_at) and not us_citizen_or_lpr: yes."
    )
    due_by = serializers.DateTimeField(allow_null=True, help_text="encountered_at + 24 hours (when required).")
    notified_at = serializers.DateTimeField(allow_null=True)
    method = ChoiceField(choices=HhsNotificationMethod.choices, allow_null=True)
    request_number = serializers.CharField(allow_null=True, help_text="Shepherd request number.")
    notified_by = serializers.CharField(allow_null=True, help_text="Agency code of the party that recorded it.")
    overdue = serializers.BooleanField(help_text="Required, unrecorded and past due_by.")


class DuplicateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    match = serializers.ListField(child=ChoiceField(choices=["a_number", "name_and_date_of_birth"]))


class ReferralLinkSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()


class ReceiverAgencySerializer(serializers.Serializer):
    agency = serializers.CharField()


class ChildReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    receiver = ReceiverAgencySerializer()
    status = serializers.CharField()


class ContinuedPresenceOutputSerializer(serializers.Serializer):
    effective_on = serializers.DateField()
    expires_on = serializers.DateField()


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=deadlines.DEADLINE_KINDS, help_text="See docs/legal-rules.md.")
    due_at = serializers.DateTimeField(help_text="For a date deadline, 00:00:00Z after its last day.")
    open = serializers.BooleanField(help_text="Not yet met (or ended).")
    overdue = serializers.BooleanField(help_text="Open and passed.")


class ReferralSerializer(serializers.Serializer):
    """A referral as its sender or receiver sees it."""

    id = serializers.UUIDField()
    reference = serializers.CharField(help_text="Human-readable, e.g. REF-2026-000042.")
    referral_type = ChoiceField(choices=ReferralType.choices)
    status = serializers.CharField()
    priority = ChoiceField(choices=Priority.choices)
    sender = PartySerializer()
    receiver = PartySerializer()
    external_reference = serializers.CharField(allow_null=True)
    summary = serializers.CharField()
    narrative = serializers.CharField(allow_null=True, help_text="null for the receiver after a recall.")
    trafficking_types = serializers.ListField(child=serializers.CharField())
    indicators = serializers.ListField(child=serializers.CharField())
    persons = PersonSerializer(many=True)
    case = CaseSerializer(allow_null=True)
    consent = ConsentOutputSerializer()
    related_referral = serializers.UUIDField(
        allow_null=True, help_text="The referral this one follows up; `null` unless your agency is a party to it."
    )
    encountered_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="Starts at 1, +1 on every change; the ETag is its quoted value.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    acknowledge_by = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(help_text="Not yet acknowledged by its deadline.")
    hhs_notification = HhsNotificationSerializer()
    assignee = serializers.CharField(allow_null=True, help_text="Set by the receiver (PATCH or accept).")
    receiver_reference = serializers.CharField(
        allow_null=True, help_text="The receiver's own case number, set by the receiver (PATCH or accept)."
    )
    parent = ReferralLinkSerializer(
        allow_null=True,
        help_text="The referral this one was forwarded from; null unless your agency is a party to that referral.",
    )
    children = ChildReferralSerializer(
        many=True, help_text="Referrals the receiver forwarded from this one (where they went and how they stand)."
    )
    continued_presence = ContinuedPresenceOutputSerializer(
        allow_null=True, help_text="Dates of a granted Continued Presence."
    )
    deadlines = DeadlineSerializer(many=True, help_text="Every deadline that applies, soonest first.")
    outcome_code = serializers.CharField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    legal_hold = serializers.BooleanField(
        help_text="On legal hold (litigation, investigation, oversight): not disposed of until released."
    )
    allowed_actions = serializers.ListField(child=serializers.CharField(), help_text="What you may do now.")


class ReferralCreatedSerializer(ReferralSerializer):
    possible_duplicates = DuplicateSerializer(
        many=True, help_text="Referrals you can already see that name the same person (blind-index match)."
    )


def _parent_link(referral, agency_id) -> dict | None:
    """``{id, reference}`` of the referral this one was forwarded from, only for a party to it (need to know)."""
    link = referral.parent_link
    if link is None or str(agency_id) not in (link["sender_agency_id"], link["receiver_agency_id"]):
        return None
    return {"id": link["id"], "reference": link["reference"]}


def referral_representation(referral, *, side: str | None, pii: bool, can_write: bool, agency_id=None) -> dict:
    """The JSON of a referral for one caller (``side`` is the caller's part in it; ``agency_id`` its agency).

    ``referral`` comes from ``with_representation`` or ``prime_representation`` (its people, children and links)."""
    case = getattr(referral, "case", None) if hasattr(referral, "case") else None
    content_withheld = referral_content_withheld(referral=referral, side=side)
    if content_withheld:
        case = None
    if agency_id is None:
        agency_id = referral.sender_agency_id if side == "sender" else referral.receiver_agency_id
    persons = list(referral.persons.all())
    withheld = {p.pk: person_withheld(person=p, referral=referral, side=side) for p in persons}
    return {
        "id": str(referral.id),
        "reference": referral.reference,
        "referral_type": referral.referral_type,
        "status": referral.status,
        "priority": referral.priority,
        "sender": {
            "agency": referral.sender_agency.code,
            "office": referral.sender_office.code if referral.sender_office_id else None,
        },
        "receiver": {
            "agency": referral.receiver_agency.code,
            "office": referral.receiver_office.code if referral.receiver_office_id else None,
        },
        "external_reference": referral.external_reference,
        "summary": referral.summary,
        "narrative": None if content_withheld else referral.narrative,
        "trafficking_types": list(referral.trafficking_types),
        "indicators": list(referral.indicators),
        "persons": [person_representation(p, pii=pii, withheld=withheld[p.pk]) for p in persons],
        "case": None
        if case is None
        else {
            "sender_case_number": case.sender_case_number,
            "title": case.title,
            "locations": case.locations,
            "organizations": case.organizations,
        },
        "consent": {
            "obtained": referral.consent_obtained,
            "obtained_at": rfc3339(referral.consent_obtained_at),
            "scope": referral.consent_scope,
        },
        "related_referral": str(referral.related_referral_id) if referral.related_referral_id else None,
        "encountered_at": rfc3339(referral.encountered_at),
        "version": referral.version,
        "created_at": rfc3339(referral.created_at),
        "updated_at": rfc3339(referral.updated_at),
        "acknowledge_by": rfc3339(referral.acknowledge_by),
        "acknowledged_at": rfc3339(referral.acknowledged_at),
        "overdue": referral.overdue,
        "hhs_notification": {
            "required": referral.hhs_required,
            "due_by": rfc3339(referral.hhs_notify_by),
            "notified_at": rfc3339(referral.hhs_notified_at),
            "method": referral.hhs_method,
            "request_number": referral.hhs_request_number,
            "notified_by": referral.hhs_notified_by_code,
            "overdue": referral.hhs_overdue,
        },
        "assignee": referral.assignee,
        "receiver_reference": referral.receiver_reference,
        "parent": _parent_link(referral, agency_id),
        "children": referral.children_links,
        "continued_presence": None
        if referral.continued_presence_expires_on is None
        else {
            "effective_on": referral.continued_presence_effective_on.isoformat(),
            "expires_on": referral.continued_presence_expires_on.isoformat(),
        },
        "deadlines": [
            {**d, "due_at": rfc3339(d["due_at"])}
            for d in deadlines.referral_deadlines(
                referral, now=timezone.now(), hidden_persons={pk for pk, why in withheld.items() if why}
            )
        ],
        "outcome_code": referral.outcome_code,
        "outcome": referral.outcome,
        "closed_at": rfc3339(referral.closed_at),
        "legal_hold": referral.legal_hold,
        "allowed_actions": allowed_actions(status=referral.status, side=side, can_write=can_write),
    }


class StatusEventSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    action = serializers.CharField(help_text="create, or the lifecycle action taken.")
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField()
    actor = serializers.DictField(help_text="{agency, client_name}")
    reason_code = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True, help_text="Reason, question, answer or outcome text.")
    created_at = serializers.DateTimeField()


def status_event_representation(event) -> dict:
    return {
        "id": str(event.id),
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor": {"agency": event.actor_agency.code, "client_name": event.actor_client_name},
        "reason_code": event.reason_code,
        "reason": event.reason,
        "created_at": rfc3339(event.created_at),
    }


class NoteSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    author = serializers.DictField(help_text="{agency, client_name}")
    body = serializers.CharField(allow_null=True, help_text="null for the receiver after a recall.")
    information_source = ChoiceField(choices=InformationSource.choices)
    created_at = serializers.DateTimeField()


def note_representation(note, *, withheld: bool = False) -> dict:
    return {
        "id": str(note.id),
        "author": {"agency": note.author_agency.code, "client_name": note.author_client_name},
        "body": None if withheld else note.body,
        "information_source": note.information_source,
        "created_at": rfc3339(note.created_at),
    }


IF_MATCH = re.compile(r'^\s*(?:W/)?"(\d{1,9})"\s*$')
