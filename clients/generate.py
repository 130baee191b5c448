"""Generate the typed Python client from schema/openapi.yaml, or check that the committed one is current.

``python clients/generate.py`` regenerates ``clients/python/`` with openapi-python-client (``make client``);
``python clients/generate.py --check`` generates into a temporary folder and fails when anything differs from
the committed client (``make check-client``, part of ``make test``), the way the schema itself is checked.
Hand-written files (HAND_WRITTEN) are kept as they are; everything else in ``clients/python/`` is generated.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema" / "openapi.yaml"
TARGET = ROOT / "clients" / "python"
CONFIG = ROOT / "clients" / "python-config.yaml"
PACKAGE = "partner_referral_api_client"
# The thin layer generation cannot produce (tokens, retries, idempotency keys, paging) and its README.
HAND_WRITTEN = {"README.md", f"{PACKAGE}/session.py"}
IGNORED = {".ruff_cache", "__pycache__", ".gitignore"}


def generate(into: Path) -> Path:
    """Run openapi-python-client into ``into``; returns the generated project folder."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff post-hooks
    command = [str(bin_dir / "openapi-python-client"), "generate", "--path", str(SCHEMA), "--meta", "setup"]
    command += ["--config", str(CONFIG), "--output-path", str(into / "out"), "--fail-on-warning"]
    subprocess.run(command, check=True, env=env, cwd=into, stdout=subprocess.DEVNULL)  # noqa: S603
    return into / "out"


def _files(folder: Path) -> set[str]:
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and not IGNORED.intersection(path.relative_to(folder).parts)
    }


def differences(generated: Path) -> list[str]:
    """Files that differ between a fresh generation and the committed client (hand-written files excluded)."""
    fresh = _files(generated) - HAND_WRITTEN
    committed = _files(TARGET) - HAND_WRITTEN if TARGET.exists() else set()
    changed = [f for f in sorted(fresh & committed) if not filecmp.cmp(generated / f, TARGET / f, shallow=False)]
    return (
        [f"missing: {f}" for f in sorted(fresh - committed)]
        + [f"stale: {f}" for f in sorted(committed - fresh)]
        + [f"differs: {f}" for f in changed]
    )


def sync(generated: Path) -> None:
    """Replace the generated part of clients/python with ``generated``, keeping the hand-written files."""
    kept = {name: (TARGET / name).read_bytes() for name in HAND_WRITTEN if (TARGET / name).exists()}
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(generated, TARGET, ignore=shutil.ignore_patterns(*IGNORED))
    for name, content in kept.items():
        (TARGET / name).write_bytes(content)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        generated = generate(Path(tmp))
        if "--check" in argv:
            problems = differences(generated)
            for problem in problems:
                print(problem)
            if problems:
                print("clients/python is stale: run 'make client' and commit it")
            return 1 if problems else 0
        sync(generated)
    print(f"clients/python regenerated from {SCHEMA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
