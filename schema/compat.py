"""Breaking-change check between a released OpenAPI document and the current one (docs/api-changes.md).

What counts as breaking, for a partner system coded against the released document:
* a path or an operation removed;
* a field removed from a success response (at any depth), or an enum value removed from a response;
* an enum value removed from a request (a caller sending it would now get 400);
* a new required request field, or a new required parameter;
* a parameter removed (unknown query parameters are refused with 400, so a caller still sending it breaks).

Additions (paths, operations, optional request fields, response fields, enum values in requests) are not
breaking. The comparison walks each operation's request and response schemas by field path, so renaming a
component (drf-spectacular names enums after their fields) is not mistaken for a change.

Run as ``python -m schema.compat RELEASED CURRENT``: prints each breaking change, exits 1 when there is one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
JSON_TYPES = ("application/json", "application/problem+json", "multipart/form-data")


def _resolve(document: dict, schema: dict | None) -> dict:
    """Follow ``$ref`` until a schema object (local references only)."""
    seen = set()
    while schema and "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema or {}


def _fields(document: dict, schema: dict | None, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, dict, bool]]:
    """Yield ``(path, schema, required)`` for every field below ``schema``; arrays add ``[]`` to the path."""
    schema = _resolve(document, schema)
    if depth > 12:
        return
    for part in schema.get("allOf", []) + schema.get("oneOf", []) + schema.get("anyOf", []):
        yield from _fields(document, part, prefix, depth + 1)
    if "items" in schema:
        yield from _fields(document, schema["items"], prefix + "[]", depth + 1)
    required = set(schema.get("required", []))
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, _resolve(document, sub), name in required
        yield from _fields(document, sub, path, depth + 1)


def _enums(document: dict, schema: dict | None, prefix: str = "") -> dict[str, set]:
    """Map each field path (``""`` for the schema itself) to the enum values allowed there."""
    found: dict[str, set] = {}
    root = _resolve(document, schema)
    for path, sub in [(prefix, root), *((p, s) for p, s, _ in _fields(document, schema, prefix))]:
        values = _enum_values(document, sub)
        if values is not None:
            found[path] = values
    return found


def _enum_values(document: dict, schema: dict) -> set | None:
    if "enum" in schema:
        return {v for v in schema["enum"] if v is not None}
    parts = [_resolve(document, s) for s in schema.get("allOf", []) + schema.get("oneOf", [])]
    values = [set(p["enum"]) - {None} for p in parts if "enum" in p]
    if "items" in schema:
        inner = _enum_values(document, _resolve(document, schema["items"]))
        if inner is not None:
            values.append(inner)
    return set().union(*values) if values else None


def _bodies(document: dict, container: dict | None) -> Iterator[tuple[str, dict]]:
    for media_type, media in ((container or {}).get("content") or {}).items():
        if media_type in JSON_TYPES and "schema" in media:
            yield media_type, media["schema"]


def _operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _parameters(operation: dict) -> dict[tuple[str, str], dict]:
    return {(p["in"], p["name"]): p for p in operation.get("parameters", []) if "name" in p}


def breaking_changes(released: dict, current: dict) -> list[str]:
    """Every change from ``released`` to ``current`` that can break a partner system; empty when none."""
    problems: list[str] = []
    current_ops = {(path, method): op for path, method, op in _operations(current)}
    current_paths = set((current.get("paths") or {}).keys())
    for path, method, old in _operations(released):
        where = f"{method.upper()} {path}"
        if path not in current_paths:
            problems.append(f"{where}: path removed")
            continue
        new = current_ops.get((path, method))
        if new is None:
            problems.append(f"{where}: operation removed")
            continue
        problems.extend(_parameter_changes(where, old, new))
        problems.extend(_request_changes(where, released, old, current, new))
        problems.extend(_response_changes(where, released, old, current, new))
    return problems


def _parameter_changes(where: str, old: dict, new: dict) -> Iterator[str]:
    old_params, new_params = _parameters(old), _parameters(new)
    for key in old_params.keys() - new_params.keys():
        yield f"{where}: {key[0]} parameter '{key[1]}' removed"
    for key, param in new_params.items():
        if param.get("required") and not old_params.get(key, {}).get("required"):
            yield f"{where}: {key[0]} parameter '{key[1]}' is now required"


def _request_changes(where: str, released: dict, old: dict, current: dict, new: dict) -> Iterator[str]:
    old_bodies = dict(_bodies(released, old.get("requestBody")))
    for media_type, new_schema in _bodies(current, new.get("requestBody")):
        old_schema = old_bodies.get(media_type)
        if old_schema is None:
            if (new.get("requestBody") or {}).get("required") and old_bodies:
                yield f"{where}: request body type {media_type} replaces the released ones"
            continue
        released_fields = list(_fields(released, old_schema))
        old_required = {p for p, _, req in released_fields if req}
        old_paths = {p for p, _, _ in released_fields}
        current_fields = list(_fields(current, new_schema))
        new_optional = {p for p, _, req in current_fields if not req}
        for path, _, required in current_fields:
            # A required member of a new optional object is not a break: a client that omits the object is fine.
            parents = [path.rsplit(".", n)[0] for n in range(1, path.count(".") + 1)]
            if any(parent in new_optional and parent not in old_paths for parent in parents):
                continue
            if required and path not in old_required:
                yield f"{where}: request field '{path}' is now required"
        new_enums = _enums(current, new_schema)
        for path, values in _enums(released, old_schema).items():
            if path in new_enums and values - new_enums[path]:
                removed = ", ".join(sorted(map(str, values - new_enums[path])))
                yield f"{where}: request field '{path or '(body)'}' no longer accepts {removed}"


def _response_changes(where: str, released: dict, old: dict, current: dict, new: dict) -> Iterator[str]:
    for status, old_response in (old.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        new_response = (new.get("responses") or {}).get(status)
        if new_response is None:
            yield f"{where}: response {status} removed"
            continue
        new_bodies = dict(_bodies(current, _resolve(current, new_response)))
        for media_type, old_schema in _bodies(released, _resolve(released, old_response)):
            new_schema = new_bodies.get(media_type)
            if new_schema is None:
                yield f"{where}: response {status} no longer returns {media_type}"
                continue
            new_paths = {p for p, _, _ in _fields(current, new_schema)}
            for path, _, _ in _fields(released, old_schema):
                if path not in new_paths:
                    yield f"{where}: response {status} field '{path}' removed"
            new_enums = _enums(current, new_schema)
            for path, values in _enums(released, old_schema).items():
                if path in new_enums and values - new_enums[path]:
                    removed = ", ".join(sorted(map(str, values - new_enums[path])))
                    yield f"{where}: response {status} field '{path or '(body)'}' no longer has {removed}"


def latest_release(folder: Path) -> Path:
    """The released document with the highest version (``schema/released/vX.Y.Z.yaml``)."""
    releases = sorted(folder.glob("v*.yaml"), key=lambda p: _version(p.stem.removeprefix("v")))
    if not releases:
        raise FileNotFoundError(f"no released schema in {folder}")
    return releases[-1]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def major_recorded(changelog: str, released_version: str, current_version: str) -> bool:
    """True when ``current_version`` is a new major version and the changelog has a section for it.

    Keep a Changelog sections look like ``## [2.0.0] - 2027-03-01``; a breaking change is allowed only then.
    """
    if _version(current_version)[0] <= _version(released_version)[0]:
        return False
    return f"## [{current_version}]" in changelog


def load(path: str | Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m schema.compat RELEASED.yaml CURRENT.yaml", file=sys.stderr)
        return 2
    problems = breaking_changes(load(argv[0]), load(argv[1]))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
