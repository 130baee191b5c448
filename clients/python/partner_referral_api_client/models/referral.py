from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.priority_enum import PriorityEnum
from ..models.referral_type_enum import ReferralTypeEnum

if TYPE_CHECKING:
    from ..models.case import Case
    from ..models.child_referral import ChildReferral
    from ..models.consent_output import ConsentOutput
    from ..models.continued_presence_output import ContinuedPresenceOutput
    from ..models.deadline import Deadline
    from ..models.hhs_notification import HhsNotification
    from ..models.party import Party
    from ..models.person import Person
    from ..models.referral_link import ReferralLink


T = TypeVar("T", bound="Referral")


@_attrs_define
class Referral:
    """A referral as its sender or receiver sees it.

    Attributes:
        id (UUID):
        reference (str): Human-readable, e.g. REF-2026-000042.
        referral_type (ReferralTypeEnum): * `investigative_lead` - Investigative lead
            * `victim_assistance` - Victim assistance
            * `continued_presence` - Continued Presence request
            * `continued_presence_extension` - Continued Presence extension
            * `relief_support` - Support for a T or U application
            * `certification_verification` - Supplement B certification verification
            * `information_request` - Information request
            * `immigration_relief_screening` - T/U immigration relief screening (deprecated)
        status (str):
        priority (PriorityEnum): * `routine` - Routine
            * `urgent` - Urgent
            * `immediate_danger` - Immediate danger
        sender (Party):
        receiver (Party):
        external_reference (None | str):
        summary (str):
        narrative (None | str): null for the receiver after a recall.
        trafficking_types (list[str]):
        indicators (list[str]):
        persons (list[Person]):
        case (Case | None):
        consent (ConsentOutput):
        related_referral (None | UUID): The referral this one follows up; `null` unless your agency is a party to it.
        encountered_at (datetime.datetime):
        version (int): Starts at 1, +1 on every change; the ETag is its quoted value.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        acknowledge_by (datetime.datetime):
        acknowledged_at (datetime.datetime | None):
        overdue (bool): Not yet acknowledged by its deadline.
        hhs_notification (HhsNotification): The HHS child notice (22 U.S.C. 7105(b)(1)(G): within 24 hours of
            discovering a foreign national minor who
            may be a trafficking victim).
        assignee (None | str): Set by the receiver (PATCH or accept).
        receiver_reference (None | str): The receiver's own case number, set by the receiver (PATCH or accept).
        parent (None | ReferralLink): The referral this one was forwarded from; null unless your agency is a party to
            that referral.
        children (list[ChildReferral]): Referrals the receiver forwarded from this one (where they went and how they
            stand).
        continued_presence (ContinuedPresenceOutput | None): Dates of a granted Continued Presence.
        deadlines (list[Deadline]): Every deadline that applies, soonest first.
        outcome_code (None | str):
        outcome (None | str):
        closed_at (datetime.datetime | None):
        legal_hold (bool): On legal hold (litigation, investigation, oversight): not disposed of until released.
        allowed_actions (list[str]): What you may do now.
    """

    id: UUID
    reference: str
    referral_type: ReferralTypeEnum
    status: str
    priority: PriorityEnum
    sender: Party
    receiver: Party
    external_reference: None | str
    summary: str
    narrative: None | str
    trafficking_types: list[str]
    indicators: list[str]
    persons: list[Person]
    case: Case | None
    consent: ConsentOutput
    related_referral: None | UUID
    encountered_at: datetime.datetime
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    acknowledge_by: datetime.datetime
    acknowledged_at: datetime.datetime | None
    overdue: bool
    hhs_notification: HhsNotification
    assignee: None | str
    receiver_reference: None | str
    parent: None | ReferralLink
    children: list[ChildReferral]
    continued_presence: ContinuedPresenceOutput | None
    deadlines: list[Deadline]
    outcome_code: None | str
    outcome: None | str
    closed_at: datetime.datetime | None
    legal_hold: bool
    allowed_actions: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.case import Case  # noqa: PLC0415
        from ..models.continued_presence_output import ContinuedPresenceOutput  # noqa: PLC0415
        from ..models.referral_link import ReferralLink  # noqa: PLC0415

        id = str(self.id)

        reference = self.reference

        referral_type = self.referral_type.value

        status = self.status

        priority = self.priority.value

        sender = self.sender.to_dict()

        receiver = self.receiver.to_dict()

        external_reference: None | str
        external_reference = self.external_reference

        summary = self.summary

        narrative: None | str
        narrative = self.narrative

        trafficking_types = self.trafficking_types

        indicators = self.indicators

        persons = []
        for persons_item_data in self.persons:
            persons_item = persons_item_data.to_dict()
            persons.append(persons_item)

        case: dict[str, Any] | None
        if isinstance(self.case, Case):
            case = self.case.to_dict()
        else:
            case = self.case

        consent = self.consent.to_dict()

        related_referral: None | str
        if isinstance(self.related_referral, UUID):
            related_referral = str(self.related_referral)
        else:
            related_referral = self.related_referral

        encountered_at = self.encountered_at.isoformat()

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        acknowledge_by = self.acknowledge_by.isoformat()

        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        overdue = self.overdue

        hhs_notification = self.hhs_notification.to_dict()

        assignee: None | str
        assignee = self.assignee

        receiver_reference: None | str
        receiver_reference = self.receiver_reference

        parent: dict[str, Any] | None
        if isinstance(self.parent, ReferralLink):
            parent = self.parent.to_dict()
        else:
            parent = self.parent

        children = []
        for children_item_data in self.children:
            children_item = children_item_data.to_dict()
            children.append(children_item)

        continued_presence: dict[str, Any] | None
        if isinstance(self.continued_presence, ContinuedPresenceOutput):
            continued_presence = self.continued_presence.to_dict()
        else:
            continued_presence = self.continued_presence

        deadlines = []
        for deadlines_item_data in self.deadlines:
            deadlines_item = deadlines_item_data.to_dict()
            deadlines.append(deadlines_item)

        outcome_code: None | str
        outcome_code = self.outcome_code

        outcome: None | str
        outcome = self.outcome

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        legal_hold = self.legal_hold

        allowed_actions = self.allowed_actions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "reference": reference,
                "referral_type": referral_type,
                "status": status,
                "priority": priority,
                "sender": sender,
                "receiver": receiver,
                "external_reference": external_reference,
                "summary": summary,
                "narrative": narrative,
                "trafficking_types": trafficking_types,
                "indicators": indicators,
                "persons": persons,
                "case": case,
                "consent": consent,
                "related_referral": related_referral,
                "encountered_at": encountered_at,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "acknowledge_by": acknowledge_by,
                "acknowledged_at": acknowledged_at,
                "overdue": overdue,
                "hhs_notification": hhs_notification,
                "assignee": assignee,
                "receiver_reference": receiver_reference,
                "parent": parent,
                "children": children,
                "continued_presence": continued_presence,
                "deadlines": deadlines,
                "outcome_code": outcome_code,
                "outcome": outcome,
                "closed_at": closed_at,
                "legal_hold": legal_hold,
                "allowed_actions": allowed_actions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case import Case  # noqa: PLC0415
        from ..models.child_referral import ChildReferral  # noqa: PLC0415
        from ..models.consent_output import ConsentOutput  # noqa: PLC0415
        from ..models.continued_presence_output import ContinuedPresenceOutput  # noqa: PLC0415
        from ..models.deadline import Deadline  # noqa: PLC0415
        from ..models.hhs_notification import HhsNotification  # noqa: PLC0415
        from ..models.party import Party  # noqa: PLC0415
        from ..models.person import Person  # noqa: PLC0415
        from ..models.referral_link import ReferralLink  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        reference = d.pop("reference")

        referral_type = ReferralTypeEnum(d.pop("referral_type"))

        status = d.pop("status")

        priority = PriorityEnum(d.pop("priority"))

        sender = Party.from_dict(d.pop("sender"))

        receiver = Party.from_dict(d.pop("receiver"))

        def _parse_external_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_reference = _parse_external_reference(d.pop("external_reference"))

        summary = d.pop("summary")

        def _parse_narrative(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        narrative = _parse_narrative(d.pop("narrative"))

        trafficking_types = cast(list[str], d.pop("trafficking_types"))

        indicators = cast(list[str], d.pop("indicators"))

        persons = []
        _persons = d.pop("persons")
        for persons_item_data in _persons:
            persons_item = Person.from_dict(persons_item_data)

            persons.append(persons_item)

        def _parse_case(data: object) -> Case | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                case_type_1 = Case.from_dict(data)

                return case_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Case | None, data)

        case = _parse_case(d.pop("case"))

        consent = ConsentOutput.from_dict(d.pop("consent"))

        def _parse_related_referral(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                related_referral_type_0 = UUID(data)

                return related_referral_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        related_referral = _parse_related_referral(d.pop("related_referral"))

        encountered_at = datetime.datetime.fromisoformat(d.pop("encountered_at"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        acknowledge_by = datetime.datetime.fromisoformat(d.pop("acknowledge_by"))

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        overdue = d.pop("overdue")

        hhs_notification = HhsNotification.from_dict(d.pop("hhs_notification"))

        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))

        def _parse_receiver_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        receiver_reference = _parse_receiver_reference(d.pop("receiver_reference"))

        def _parse_parent(data: object) -> None | ReferralLink:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parent_type_1 = ReferralLink.from_dict(data)

                return parent_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReferralLink, data)

        parent = _parse_parent(d.pop("parent"))

        children = []
        _children = d.pop("children")
        for children_item_data in _children:
            children_item = ChildReferral.from_dict(children_item_data)

            children.append(children_item)

        def _parse_continued_presence(data: object) -> ContinuedPresenceOutput | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                continued_presence_type_1 = ContinuedPresenceOutput.from_dict(data)

                return continued_presence_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContinuedPresenceOutput | None, data)

        continued_presence = _parse_continued_presence(d.pop("continued_presence"))

        deadlines = []
        _deadlines = d.pop("deadlines")
        for deadlines_item_data in _deadlines:
            deadlines_item = Deadline.from_dict(deadlines_item_data)

            deadlines.append(deadlines_item)

        def _parse_outcome_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome_code = _parse_outcome_code(d.pop("outcome_code"))

        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        legal_hold = d.pop("legal_hold")

        allowed_actions = cast(list[str], d.pop("allowed_actions"))

        referral = cls(
            id=id,
            reference=reference,
            referral_type=referral_type,
            status=status,
            priority=priority,
            sender=sender,
            receiver=receiver,
            external_reference=external_reference,
            summary=summary,
            narrative=narrative,
            trafficking_types=trafficking_types,
            indicators=indicators,
            persons=persons,
            case=case,
            consent=consent,
            related_referral=related_referral,
            encountered_at=encountered_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            acknowledge_by=acknowledge_by,
            acknowledged_at=acknowledged_at,
            overdue=overdue,
            hhs_notification=hhs_notification,
            assignee=assignee,
            receiver_reference=receiver_reference,
            parent=parent,
            children=children,
            continued_presence=continued_presence,
            deadlines=deadlines,
            outcome_code=outcome_code,
            outcome=outcome,
            closed_at=closed_at,
            legal_hold=legal_hold,
            allowed_actions=allowed_actions,
        )

        referral.additional_properties = d
        return referral

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
