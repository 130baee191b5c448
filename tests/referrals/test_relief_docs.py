"""The lifecycle picture and the deadline table in the docs are generated from the code, and stay in step."""

from __future__ import annotations

import re
from pathlib import Path

from referrals.deadlines import DEADLINES, deadlines_markdown
from referrals.lifecycle import TRANSITIONS, lifecycle_mermaid

DOCS = Path(__file__).resolve().parents[2] / "docs"


def between(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert match, f"markers for {name} missing"
    return match.group(1)


def test_lifecycle_picture_is_the_table():
    picture = between((DOCS / "referrals.md").read_text(), "lifecycle")
    assert picture == f"```mermaid\n{lifecycle_mermaid()}\n```"
    for action in TRANSITIONS:
        assert f": {action} (" in picture
    assert "forward (receiver) creates a child referral" in picture


def test_deadline_table_is_the_module():
    table = between((DOCS / "legal-rules.md").read_text(), "deadlines")
    assert table == deadlines_markdown()
    for deadline in DEADLINES.values():
        assert deadline.source and deadline.kind in table
