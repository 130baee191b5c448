"""docs/legal-rules.md names, for every rule, the test that proves it: each named test exists (a renamed or
deleted test fails here instead of leaving the table pointing at nothing)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "legal-rules.md"
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)?)(?:::(\w+))?`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def references() -> list[tuple[str, str | None]]:
    """``(file, test)`` pairs in table order; ``::name`` alone means the file last named on the same row."""
    found = []
    for row in DOC.read_text().splitlines():
        if not row.startswith("| ") or row.startswith("| ---"):
            continue
        current = None
        for match in REFERENCE.finditer(row):
            path, name = match.group(1), match.group(2)
            if not path and not name:
                continue
            current = path or current
            if current:
                found.append((current, name))
    return found


def test_every_test_named_in_the_legal_rules_exists():
    refs = references()
    assert len(refs) > 40
    missing = []
    for path, name in refs:
        file = ROOT / path
        if not file.exists():
            missing.append(path)
        elif name is not None and name not in _tests_in(file):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_every_rule_row_names_a_test():
    for row in DOC.read_text().splitlines():
        if row.startswith("| ") and not row.startswith(("| ---", "| rule", "| deadline")) and "`kind`" not in row:
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            if len(cells) == 5:
                assert "tests/" in cells[4] or "same tests" in cells[4], cells[0]
