"""Tokens are owned by agencies/: the kernel calls it, never the reverse, and no import hides in a function."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Kernel modules that agencies/ builds on (the authenticator and the URL map sit above agencies/).
KERNEL_BELOW_AGENCIES = ["referral_api.problems", "referral_api.throttling", "referral_api.renderers"]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("agencies", "referral_api", "audit", include_external_packages=False)


def test_authenticator_only_calls_agencies_tokens(graph):
    imported = {m for m in graph.find_modules_directly_imported_by("referral_api.authentication")}
    assert "agencies.tokens" in imported
    assert not {m for m in imported if m.startswith("agencies.") and m != "agencies.tokens"}
    source = (ROOT / "referral_api" / "authentication.py").read_text()
    assert "cache" not in {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}


def test_no_import_cycle_between_kernel_and_agencies(graph):
    for kernel in KERNEL_BELOW_AGENCIES:
        assert not graph.find_shortest_chain(importer=kernel, imported="agencies"), kernel
    chain = graph.find_shortest_chain(importer="agencies.tokens", imported="referral_api.authentication")
    assert chain is None
    for module in graph.find_children("agencies") | {"agencies"}:
        for imported in graph.find_modules_directly_imported_by(module):
            assert imported not in ("referral_api.authentication", "referral_api.urls", "referral_api.settings")


def test_token_cache_is_written_only_in_agencies_tokens():
    writers = []
    for path in list(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "auth:token:" in text or "auth:gen:" in text or "token_cache_invalidate(" in text:
            writers.append(str(path.relative_to(ROOT)))
    assert writers == ["agencies/tokens.py"]


def test_agencies_has_no_function_level_imports():
    """An import inside a function can hide a cycle; agencies/ has none beyond its AppConfig.ready."""
    found = []
    for path in (ROOT / "agencies").rglob("*.py"):
        if "migrations" in path.parts or path.name == "apps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [
                    f"{path.name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                ]
    assert found == []
