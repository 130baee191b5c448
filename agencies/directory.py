"""Writes on the agency directory from the command line: agencies, their offices, and the routing table.

Agencies, offices and routing are data, never code (domain.md): ``manage.py agency_create`` adds an agency
outside DHS (DOJ, DOL, HHS OTIP, ...) and ``manage.py agency_route_set`` replaces a referral type's receivers.
Both are idempotent (running one twice changes nothing the second time) and audited (one row per change).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Office, ReferralType, Route, code_validator
from audit.services import audit_record

COMMAND_ACTOR = "manage.py"


@dataclass
class DirectoryChange:
    """What a command did: ``changes`` lists each change made (empty when everything already matched)."""

    agency: Agency | None = None
    created: bool = False
    changes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        agency = self.agency
        return {
            "code": agency.code,
            "name": agency.name,
            "may_receive_1367_protected": agency.may_receive_1367_protected,
            "offices": [{"code": o.code, "name": o.name} for o in agency.offices.filter(active=True).order_by("code")],
            "created": self.created,
            "changes": self.changes,
        }


def _valid_code(value: str, what: str) -> str:
    try:
        code_validator(value)
    except ValidationError:
        raise ValidationError(f"{what} {value!r}: codes are 2-16 upper-case letters, digits or _.") from None
    return value


def parse_office(value: str) -> tuple[str, str]:
    """``CODE:Name`` -> (code, name)."""
    code, sep, name = value.partition(":")
    if not sep or not name.strip():
        raise ValidationError(f"--office {value!r}: use CODE:NAME, e.g. OTIP:Office on Trafficking in Persons.")
    return _valid_code(code.strip(), "Office code"), name.strip()


def _audit(action: str, object_type: str, object_id: str, reason: str | None = None) -> None:
    audit_record(
        action=action, object_type=object_type, object_id=object_id, outcome="success",
        client_name=COMMAND_ACTOR, occurred_at=timezone.now(), reason=reason,
    )  # fmt: skip


@transaction.atomic
def agency_create(
    *, code: str, name: str, may_receive_1367: bool = False, offices: list[tuple[str, str]] = ()
) -> DirectoryChange:
    """Create an agency (or bring an existing one to what is asked) with its offices.

    A new agency is **not** ``may_receive_1367_protected`` unless asked: 8 U.S.C. 1367(a)(2) allows disclosure
    to sworn officers and employees of DHS, DOJ and DOS only, so every other agency gets protected people only
    under a recorded 1367(b) exception. On an existing agency the mark is only ever added here (never silently
    removed by a rerun without the flag); offices are added or renamed, never removed.
    """
    _valid_code(code, "Agency code")
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError("--name must be 1 to 200 characters.")
    result = DirectoryChange()
    agency = Agency.objects.select_for_update().filter(code=code).first()
    if agency is None:
        agency = Agency.objects.create(code=code, name=name, may_receive_1367_protected=may_receive_1367)
        result.created = True
        result.changes.append("agency created")
        _audit("agency.created", "agency", code, reason="may_receive_1367" if may_receive_1367 else None)
    else:
        updated = []
        if agency.name != name:
            agency.name = name
            updated.append("name")
        if may_receive_1367 and not agency.may_receive_1367_protected:
            agency.may_receive_1367_protected = True
            updated.append("may_receive_1367_protected")
        if updated:
            agency.save(update_fields=[*updated, "updated_at"])
            result.changes.extend(f"{f} changed" for f in updated)
            _audit("agency.updated", "agency", code, reason=":".join(updated)[:64])
    for office_code, office_name in offices:
        office = Office.objects.filter(agency=agency, code=office_code).first()
        if office is None:
            Office.objects.create(agency=agency, code=office_code, name=office_name)
            result.changes.append(f"office {office_code} created")
            _audit("office.created", "agency", code, reason=office_code.lower())
        elif office.name != office_name or not office.active:
            office.name, office.active = office_name, True
            office.save(update_fields=["name", "active"])
            result.changes.append(f"office {office_code} updated")
            _audit("office.updated", "agency", code, reason=office_code.lower())
    result.agency = agency
    return result


@transaction.atomic
def route_set(*, referral_type: str, agency_codes: list[str]) -> list[str]:
    """Make ``agency_codes`` exactly the agencies that receive ``referral_type``; return the changes made.

    Routes of other agencies are deactivated (kept, so an earlier route can be restored and read), not deleted.
    """
    if referral_type not in ReferralType.values:
        raise ValidationError(f"Unknown referral type {referral_type!r}. Known: {', '.join(ReferralType.values)}.")
    codes = sorted({c.strip() for c in agency_codes if c.strip()})
    if not codes:
        raise ValidationError("--agencies must name at least one agency code.")
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in agencies]
    if unknown:
        raise ValidationError(f"No agency with code {', '.join(unknown)} (create it with agency_create).")
    changes = []
    routes = {r.agency.code: r for r in Route.objects.select_for_update().select_related("agency")
              .filter(referral_type=referral_type)}  # fmt: skip
    for code in codes:
        route = routes.get(code)
        if route is None:
            Route.objects.create(referral_type=referral_type, agency=agencies[code], active=True)
            changes.append(f"{code} added")
        elif not route.active:
            route.active = True
            route.save(update_fields=["active"])
            changes.append(f"{code} added")
    for code, route in routes.items():
        if code not in codes and route.active:
            route.active = False
            route.save(update_fields=["active"])
            changes.append(f"{code} removed")
    if changes:
        # The audit reason is a short code: the new receivers, lower-case, ":"-separated.
        _audit("route.set", "route", referral_type, reason=":".join(codes).lower()[:64])
    return changes
