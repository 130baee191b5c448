"""Every deadline the service knows, computed here and only here, each with its legal source.

Read by the services (when a referral is created, completed or forwarded), the representation (``deadlines``,
``acknowledge_by``, ``hhs_notification.due_by``, ``continued_presence``, an attachment's ``usable_until``), the
list filter ``deadline_before``, the scheduler (``DEADLINE_JOBS``, run by Celery beat and ``manage.py deadlines_run``),
the statistics (Continued Presence counts) and docs/legal-rules.md (``deadlines_markdown``).

A date deadline (a Continued Presence expiry, the last day a Supplement B is usable) lapses at the end of its
last day in UTC: as an instant (``due_at``, ``deadline_before``) it is 00:00:00Z of the following day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.module_loading import import_string

from referrals.codes import PRIORITY_RANK, Priority

# python-dateutil (pinned in requirements.txt) adds calendar months with the end-of-month clamp the forms use:
# a certification signed on 31 August is usable until 28 (or 29) February.

ACKNOWLEDGEMENT = "acknowledgement"
HHS_NOTICE = "hhs_notice"
CONTINUED_PRESENCE_EXPIRY = "continued_presence_expiry"
I918B_USABILITY = "i918_supplement_b_usability"
PROTECTION_1367_END = "protection_1367_end"

CONTINUED_PRESENCE_GRANTED = "continued_presence_granted"
CONTINUED_PRESENCE_TYPES = ("continued_presence", "continued_presence_extension")
# Continued Presence is granted for two years at a time (DHS Continued Presence Resource Guide, 2021).
CONTINUED_PRESENCE_MAX_TERM = relativedelta(years=2)
# I-918 Supplement B: usable for six months after the certifying official signs it (8 C.F.R. 214.14(c)(2)(i)).
I918B_USABLE_FOR = relativedelta(months=6)
I918B_KIND = "i918_supplement_b"
# "Expiring" in the statistics and the dashboard: a granted, unextended CP that lapses within this many days.
CP_EXPIRING_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Deadline:
    kind: str
    title: str
    rule: str
    source: str


DEADLINES: dict[str, Deadline] = {
    d.kind: d
    for d in [
        Deadline(
            ACKNOWLEDGEMENT,
            "Acknowledgement",
            "The receiver answers a submitted referral within 1 hour (`immediate_danger`), 24 hours (`urgent`) or "
            "3 days (`routine`) of its creation (settings `ACK_DEADLINE_*_SECONDS`); a minor makes it at least "
            "`urgent`. Open while the referral is `submitted`; emits `referral.overdue` once when it passes.",
            "Agreement between the partner agencies (api-contract.md, Referral), not a statute; the minor rule "
            "follows the 24-hour HHS notice (22 U.S.C. 7105(b)(1)(G)).",
        ),
        Deadline(
            HHS_NOTICE,
            "HHS child notice",
            "When a victim or possible victim may be a foreign national minor, HHS is notified within 24 hours "
            "(`HHS_NOTIFICATION_SECONDS`) of discovery, counted from the encounter. Open until a notice is "
            "recorded; emits `referral.hhs_notification_overdue` once when it passes.",
            "Trafficking Victims Protection Reauthorization Act of 2008 (Pub. L. 110-457) §212, "
            "22 U.S.C. 7105(b)(1)(G); HHS Office on Trafficking in Persons, Requests for Assistance.",
        ),
        Deadline(
            CONTINUED_PRESENCE_EXPIRY,
            "Continued Presence expiry",
            "A granted Continued Presence lapses at the end of `continued_presence.expires_on` (at most two years "
            "after `effective_on`) unless extended. Both parties are reminded `CP_REMINDER_DAYS` days before, once "
            "each (`referral.continued_presence_expiring`). Open until an extension naming it is granted.",
            "22 U.S.C. 7105(c)(3); 28 C.F.R. 1100.35; DHS Continued Presence Resource Guide (two-year grants, "
            "extensions in two-year increments).",
        ),
        Deadline(
            I918B_USABILITY,
            "I-918 Supplement B usability",
            "A U visa law-enforcement certification must be filed with the petition within six months of its "
            "signature: `usable_until` = `signed_on` + 6 months. An older certification is still kept as a record. "
            "Open while the referral is not terminal.",
            "8 C.F.R. 214.14(c)(2)(i); 8 U.S.C. 1184(p)(1).",
        ),
        Deadline(
            PROTECTION_1367_END,
            "End of 8 U.S.C. 1367 protection",
            "A person's 1367 protection may end (`protection_ends_on`): the confidentiality duty ends when the "
            "application for relief is denied and every appeal is exhausted. Open while the referral is not "
            "terminal; until then the person stays protected.",
            "8 U.S.C. 1367(a)(2).",
        ),
    ]
}

# The ``kind`` codes of the representation's ``deadlines`` (an OpenAPI enum of their own).
DEADLINE_KINDS = [(d.kind, d.title) for d in DEADLINES.values()]

# The scheduler's jobs: name -> dotted path of a function taking no arguments and returning how many referrals it
# acted on. Each job is idempotent (it acts once per referral and deadline) and safe to run from several workers.
# Beat runs ``referrals.deadlines_run`` (every job once); ``manage.py deadlines_run`` does the same from the shell.
DEADLINE_JOBS: dict[str, str] = {
    "acknowledgement_overdue": "referrals.tasks.referrals_mark_overdue",
    "hhs_notification_overdue": "referrals.tasks.referrals_mark_hhs_overdue",
    "continued_presence_reminders": "referrals.tasks.continued_presence_remind",
}


CONTINUED_PRESENCE_DATES_RULE = (
    "continued_presence {effective_on, expires_on} goes with, and only with, a continued_presence or "
    "continued_presence_extension referral completed with continued_presence_granted."
)


def is_continued_presence_grant(*, referral_type: str, outcome_code: str | None) -> bool:
    """Whether completing ``referral_type`` with ``outcome_code`` grants Continued Presence (with its dates)."""
    return referral_type in CONTINUED_PRESENCE_TYPES and outcome_code == CONTINUED_PRESENCE_GRANTED


# --- computing one deadline --------------------------------------------------------------------------------
def acknowledge_by(*, priority: str, created_at: datetime.datetime) -> datetime.datetime:
    """The receiver's acknowledgement deadline: ``immediate_danger`` 1 hour, ``urgent`` 24 hours, ``routine``
    3 days from the referral's creation, each configurable (``ACK_DEADLINE_*_SECONDS``; domain.md,
    "Deadlines"; an agreement between the partner agencies, not a statute)."""
    return created_at + datetime.timedelta(seconds=settings.ACKNOWLEDGE_DEADLINES[priority])


def minimum_priority(*, priority: str, involves_minor: bool) -> str:
    """A referral about a minor is at least ``urgent`` (domain.md, "Deadlines": the HHS notice runs in 24 hours,
    22 U.S.C. 7105(b)(1)(G))."""
    if involves_minor and PRIORITY_RANK[priority] < PRIORITY_RANK[Priority.URGENT]:
        return Priority.URGENT
    return priority


def hhs_notification_due_by(*, encountered_at: datetime.datetime) -> datetime.datetime:
    """HHS must be notified within 24 hours of *discovering* that a foreign national minor may be a trafficking
    victim: TVPRA of 2008 (Pub. L. 110-457) §212, 22 U.S.C. 7105(b)(1)(G). The clock runs from the encounter
    (``encountered_at``), not from when the referral was typed; ``HHS_NOTIFICATION_SECONDS`` defaults to 24 h."""
    return encountered_at + datetime.timedelta(seconds=settings.HHS_NOTIFICATION_SECONDS)


def deadlines_run() -> dict[str, int]:
    """Run every deadline job once, in table order; return how many referrals each acted on."""
    return {name: import_string(path)() for name, path in DEADLINE_JOBS.items()}


def continued_presence_latest_expiry(effective_on: datetime.date) -> datetime.date:
    """The latest ``expires_on`` for a grant effective on ``effective_on`` (two years, DHS CP Resource Guide)."""
    return effective_on + CONTINUED_PRESENCE_MAX_TERM


def i918b_usable_until(*, kind: str, signed_on: datetime.date | None) -> datetime.date | None:
    """Last day an I-918 Supplement B can be filed: six months after signature (8 C.F.R. 214.14(c)(2)(i))."""
    if kind != I918B_KIND or signed_on is None:
        return None
    return signed_on + I918B_USABLE_FOR


def lapse_instant(last_day: datetime.date) -> datetime.datetime:
    """The instant a right valid through ``last_day`` (UTC) lapses: 00:00:00Z of the following day."""
    return datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)


def cp_reminders_due(*, expires_on: datetime.date, today: datetime.date, sent: list[int]) -> list[int]:
    """The ``CP_REMINDER_DAYS`` thresholds reached by ``today`` and not yet announced, largest first.

    A CP that has already lapsed gets no "expiring" reminder.
    """
    if today > expires_on:
        return []
    left = (expires_on - today).days
    return [d for d in settings.CP_REMINDER_DAYS if left <= d and d not in sent]


# --- a referral's deadlines, for the representation -------------------------------------------------------
def referral_deadlines(referral, *, now: datetime.datetime, hidden_persons=frozenset()) -> list[dict]:
    """The deadlines that apply to ``referral`` (no extra query: reads the referral and its prefetched people).

    Each: ``kind``, ``due_at`` (RFC 3339), ``open`` (not yet met or ended), ``overdue`` (open and passed). The
    persons in ``hidden_persons`` (ids withheld from the caller: recalled, or protected under 8 U.S.C. 1367(a)(2)
    without a basis) add no deadline: the end of a protection would tell the caller that relief was applied for.
    """
    rows: list[tuple[str, datetime.datetime, bool]] = []
    rows.append((ACKNOWLEDGEMENT, referral.acknowledge_by, referral.status == "submitted"))
    if referral.hhs_notify_by is not None:
        rows.append((HHS_NOTICE, referral.hhs_notify_by, referral.hhs_notified_at is None))
    if referral.continued_presence_expires_on is not None:
        rows.append(
            (
                CONTINUED_PRESENCE_EXPIRY,
                lapse_instant(referral.continued_presence_expires_on),
                referral.continued_presence_extended_at is None,
            )
        )
    terminal = referral.is_terminal
    for person in referral.persons.all():
        ends_on = person.protection_ends_on
        if ends_on is not None and person.protected_1367 and person.pk not in hidden_persons:
            rows.append((PROTECTION_1367_END, lapse_instant(ends_on), not terminal))
    return [
        {"kind": kind, "due_at": due_at, "open": is_open, "overdue": is_open and due_at <= now}
        for kind, due_at, is_open in sorted(rows, key=lambda row: row[1])
    ]


# --- the list filter ---------------------------------------------------------------------------------------
def _last_day_lapsing_before(instant: datetime.datetime) -> datetime.date:
    """The latest last day whose lapse instant is strictly before ``instant``."""
    return (instant - datetime.timedelta(microseconds=1)).date() - datetime.timedelta(days=1)


def open_deadline_before(instant: datetime.datetime) -> Q:
    """Referrals with any open deadline due strictly before ``instant`` (``GET referrals/?deadline_before=``)."""
    from referrals.models import TERMINAL_STATUSES, Person

    terminal = [str(s) for s in TERMINAL_STATUSES]
    last_day = _last_day_lapsing_before(instant)
    condition = Q(status="submitted", acknowledge_by__lt=instant)
    condition |= Q(hhs_notify_by__lt=instant, hhs_notified_at__isnull=True)
    condition |= Q(continued_presence_expires_on__lte=last_day, continued_presence_extended_at__isnull=True)
    # Open while the referral is active: the deadlines of its records (a person's protection here; an I-918
    # Supplement B's usability, registered by attachments/, which referrals/ does not import).
    open_while_active = Exists(
        Person.objects.filter(referral_id=OuterRef("pk"), protected_1367=True, protection_ends_on__lte=last_day)
    )
    for condition_for in _RECORD_DEADLINES:
        open_while_active = open_while_active | condition_for(last_day)
    condition |= Q(open_while_active) & ~Q(status__in=terminal)
    return condition


def i918b_latest_signed_on(last_day: datetime.date) -> datetime.date:
    """The latest ``signed_on`` whose I-918B usability (``signed_on`` + 6 months) ends by ``last_day``. Adding
    months is monotonic, so that holds exactly up to this date (month-end clamping decides the last few days,
    hence the short walk)."""
    latest_signed = last_day - I918B_USABLE_FOR
    while (latest_signed + datetime.timedelta(days=1)) + I918B_USABLE_FOR <= last_day:
        latest_signed += datetime.timedelta(days=1)
    return latest_signed


# Deadlines carried by records of apps above referrals: each a function of the last day (see
# ``_last_day_lapsing_before``) returning an ``Exists`` over its records of the referral (``OuterRef("pk")``).
_RECORD_DEADLINES: list[Callable[[datetime.date], Exists]] = []


def register_record_deadline(condition_for: Callable[[datetime.date], Exists]) -> None:
    """Called from an app's ``AppConfig.ready()`` (the file store's: the I-918 Supplement B usability)."""
    if condition_for not in _RECORD_DEADLINES:
        _RECORD_DEADLINES.append(condition_for)


# --- statistics ----------------------------------------------------------------------------------------------
def cp_expiring_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The ``expires_on`` range counted as "expiring" on ``today``: today through ``CP_EXPIRING_WINDOW_DAYS``."""
    return today, today + datetime.timedelta(days=CP_EXPIRING_WINDOW_DAYS)


# --- docs ----------------------------------------------------------------------------------------------------
def deadlines_markdown() -> str:
    """The deadline table of docs/legal-rules.md (a test keeps the file in step with this module)."""
    lines = ["| deadline | `kind` | rule | source |", "| --- | --- | --- | --- |"]
    for d in DEADLINES.values():
        lines.append(f"| {d.title} | `{d.kind}` | {d.rule} | {d.source} |")
    return "\n".join(lines)
