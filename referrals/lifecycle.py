"""The lifecycle table: the one source of truth for who may take which action from which status.

The services, ``allowed_actions``, the OpenAPI description and the tests all read ``TRANSITIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from referrals.models import TERMINAL_STATUSES, Status

SENDER = "sender"
RECEIVER = "receiver"
NON_TERMINAL = frozenset(s for s in Status if s not in TERMINAL_STATUSES)


@dataclass(frozen=True)
class Transition:
    action: str
    actor: str  # SENDER or RECEIVER
    sources: frozenset[str]
    target: str | None  # None: the status does not change (``forward``)
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    description: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("acknowledge", RECEIVER, frozenset({Status.SUBMITTED}), Status.ACKNOWLEDGED,
                   description="The receiver has seen the referral (stops the acknowledgement clock)."),
        Transition("accept", RECEIVER, frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}), Status.ACCEPTED,
                   optional=("assignee",), description="The receiver takes the referral on."),
        Transition("reject", RECEIVER, frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}), Status.REJECTED,
                   required=("reason_code", "reason"), description="The receiver declines the referral."),
        Transition("request-info", RECEIVER, frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED}),
                   Status.INFO_REQUESTED, required=("question",),
                   description="The receiver asks the sender a question before deciding."),
        Transition("respond", SENDER, frozenset({Status.INFO_REQUESTED}), Status.ACKNOWLEDGED,
                   required=("answer",), description="The sender answers the receiver's question."),
        Transition("start", RECEIVER, frozenset({Status.ACCEPTED}), Status.IN_PROGRESS,
                   description="Work on the referral has started."),
        Transition("hold", RECEIVER, frozenset({Status.IN_PROGRESS}), Status.ON_HOLD, required=("reason",),
                   description="Work is paused."),
        Transition("resume", RECEIVER, frozenset({Status.ON_HOLD}), Status.IN_PROGRESS,
                   description="Work resumes."),
        Transition("complete", RECEIVER,
                   frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}), Status.COMPLETED,
                   required=("outcome_code", "outcome"), description="The receiver records the outcome."),
        Transition("withdraw", SENDER, NON_TERMINAL, Status.WITHDRAWN, required=("reason",),
                   description="The sender takes the referral back."),
        Transition("forward", RECEIVER, frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), None,
                   required=("receiver", "referral_type", "person_ids", "summary"),
                   optional=("note", "disclosure_bases"),
                   description="The receiver forwards chosen people to a third agency: a new referral from the "
                   "receiver, linked to this one as its child."),
    ]
}  # fmt: skip

ACTIONS = tuple(TRANSITIONS)
# Actions that move the referral to another status (``referral_act``); the others have their own service.
STATUS_ACTIONS = tuple(a for a, t in TRANSITIONS.items() if t.target is not None)


def allowed_actions(*, status: str, side: str | None, can_write: bool = True) -> list[str]:
    """Return the actions a party on ``side`` may take from ``status`` (none without ``referrals:write``)."""
    if side is None or not can_write:
        return []
    return [t.action for t in TRANSITIONS.values() if t.actor == side and status in t.sources]


def lifecycle_markdown() -> str:
    """The lifecycle table as Markdown, for the OpenAPI description."""
    order = [s.value for s in Status]
    lines = ["| action | who | from | to | body |", "| --- | --- | --- | --- | --- |"]
    for t in TRANSITIONS.values():
        sources = ", ".join(s for s in order if s in t.sources)
        if t.sources == NON_TERMINAL:
            sources = "any non-terminal"
        fields = [f"`{f}`" for f in t.required] + [f"`{f}` (optional)" for f in t.optional]
        target = t.target or "(unchanged)"
        lines.append(f"| `{t.action}` | {t.actor} | {sources} | {target} | {', '.join(fields) or '`{}`'} |")
    return "\n".join(lines)


def lifecycle_mermaid() -> str:
    """The lifecycle as a Mermaid state diagram (docs/referrals.md; a test keeps the file in step)."""
    order = [s.value for s in Status]
    lines = [
        "stateDiagram-v2",
        '    state "any non-terminal status" as non_terminal',
        "    [*] --> submitted: create (sender)",
    ]
    for t in TRANSITIONS.values():
        sources = ["non_terminal"] if t.sources == NON_TERMINAL else [s for s in order if s in t.sources]
        for source in sources:
            if t.target is None:
                lines.append(f"    {source} --> {source}: {t.action} ({t.actor}) creates a child referral")
            else:
                lines.append(f"    {source} --> {t.target}: {t.action} ({t.actor})")
    lines.extend(f"    {s} --> [*]" for s in order if s in TERMINAL_STATUSES)
    return "\n".join(lines)
