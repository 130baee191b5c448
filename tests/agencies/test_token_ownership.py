"""Tokens are owned by agencies/: the kernel's authenticator calls the lookup agencies registers, the kernel
imports no app, and no import hides in a function."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("agencies", "referral_api", "audit", include_external_packages=False)


def test_authenticator_calls_the_lookup_agencies_registered():
    from agencies import tokens
    from referral_api import authentication

    assert authentication._token_lookup is tokens.token_lookup
    source = (ROOT / "referral_api" / "authentication.py").read_text()
    names = {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    assert "cache" not in names  # the cache and its rules are agencies.tokens' alone


def test_the_kernel_imports_no_app_and_agencies_no_kernel_wiring(graph):
    for kernel in graph.find_children("referral_api") | {"referral_api"}:
        for app in ("agencies", "audit"):
            assert not graph.find_shortest_chain(importer=kernel, imported=app), (kernel, app)
    for module in graph.find_children("agencies") | {"agencies"}:
        for imported in graph.find_modules_directly_imported_by(module):
            assert imported not in ("referral_api.urls", "referral_api.settings"), module


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
