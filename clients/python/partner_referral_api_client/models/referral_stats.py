from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.group_by_enum import GroupByEnum

if TYPE_CHECKING:
    from ..models.referral_stats_row import ReferralStatsRow


T = TypeVar("T", bound="ReferralStats")


@_attrs_define
class ReferralStats:
    """
    Attributes:
        from_ (datetime.datetime): Start of the window (inclusive), RFC 3339.
        to (datetime.datetime): End of the window (exclusive), RFC 3339.
        group_by (list[GroupByEnum]):
        results (list[ReferralStatsRow]):
    """

    from_: datetime.datetime
    to: datetime.datetime
    group_by: list[GroupByEnum]
    results: list[ReferralStatsRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        group_by = []
        for group_by_item_data in self.group_by:
            group_by_item = group_by_item_data.value
            group_by.append(group_by_item)

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "group_by": group_by,
                "results": results,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.referral_stats_row import ReferralStatsRow  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        group_by = []
        _group_by = d.pop("group_by")
        for group_by_item_data in _group_by:
            group_by_item = GroupByEnum(group_by_item_data)

            group_by.append(group_by_item)

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = ReferralStatsRow.from_dict(results_item_data)

            results.append(results_item)

        referral_stats = cls(
            from_=from_,
            to=to,
            group_by=group_by,
            results=results,
        )

        referral_stats.additional_properties = d
        return referral_stats

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
