"""The team's flag list: a YAML inventory or OpenFeature/flagd JSON flag files, with line numbers.

Every flag remembers the line it is declared on, so staleness findings point at the inventory entry
a human has to delete. Entries that cannot be understood become problems naming file and line; the
rest of the inventory is still used.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FLAG_TYPES = ("release", "experiment", "ops", "permission")
# libyaml's loader when PyYAML was built with it: same nodes and line marks, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InventoryError(Exception):
    """The inventory file as a whole cannot be read."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class InventoryFlag:
    name: str
    path: str
    line: int
    type: str = "release"
    owner: str | None = None
    created: dt.date | None = None
    rollout: int | None = None  # percent on: 0..100; None when targeting makes it partial/unknown
    rolled_out: dt.date | None = None
    remove_by: dt.date | None = None


@dataclass(frozen=True)
class InventoryProblem:
    path: str
    line: int
    message: str


@dataclass
class Inventory:
    flags: dict[str, InventoryFlag]
    problems: list[InventoryProblem]


def load_inventory(path: Path) -> Inventory:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InventoryError(path, 1, f"cannot read inventory: {error}") from error
    if path.suffix.lower() == ".json":
        return _load_flagd(path, text)
    return _load_yaml(path, text)


# --- YAML ---------------------------------------------------------------------------------


def _date(value: Any, field: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{field} must be a date like 2026-01-31, got {value!r}")
    return None


def _rollout(value: Any, problems: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return 100 if value else 0
    if isinstance(value, (int, float)) and 0 <= value <= 100:
        return int(value) if float(value).is_integer() else None
    if isinstance(value, str) and value.rstrip("%").strip().isdigit() and 0 <= int(value.rstrip("%")) <= 100:
        return int(value.rstrip("%"))
    problems.append(f"rollout must be a percentage 0-100 or true/false, got {value!r}")
    return None


def _flag_from_mapping(name: str, data: Any, path: str, line: int) -> tuple[InventoryFlag | None, list[str]]:
    problems: list[str] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [f"flag {name!r}: expected a mapping of type/owner/created/rollout/..., got {data!r}"]
    flag_type = data.get("type", "release")
    if flag_type not in FLAG_TYPES:
        problems.append(f"type must be one of {', '.join(FLAG_TYPES)}, got {flag_type!r}")
        flag_type = "release"
    flag = InventoryFlag(
        name=name,
        path=path,
        line=line,
        type=flag_type,
        owner=None if data.get("owner") is None else str(data.get("owner")),
        created=_date(data.get("created"), "created", problems),
        rollout=_rollout(data.get("rollout"), problems),
        rolled_out=_date(data.get("rolled_out"), "rolled_out", problems),
        remove_by=_date(data.get("remove_by"), "remove_by", problems),
    )
    return flag, [f"flag {name!r}: {problem}" for problem in problems]


def _load_yaml(path: Path, text: str) -> Inventory:
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise InventoryError(
            path, line, f"invalid YAML: {getattr(error, 'problem', None) or error}"
        ) from error
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(data.get("flags"), dict):
        raise InventoryError(path, 1, "expected a top-level 'flags:' mapping of flag name -> details")
    assert isinstance(root, yaml.MappingNode)
    flags_node = next(value for key, value in root.value if key.value == "flags")
    assert isinstance(flags_node, yaml.MappingNode)
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in flags_node.value}
    result = Inventory({}, [])
    for name, details in data["flags"].items():
        line = lines.get(str(name), 1)
        flag, problems = _flag_from_mapping(str(name), details, str(path), line)
        result.problems.extend(InventoryProblem(str(path), line, problem) for problem in problems)
        if flag is not None:
            result.flags[flag.name] = flag
    return result


def yaml_entry_span(path: Path, name: str) -> tuple[int, int] | None:
    """0-based [start, end) line span of one flag's entry in a YAML inventory, for deletion."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=_LOADER)
    if not isinstance(root, yaml.MappingNode):
        return None
    flags_node = next((value for key, value in root.value if key.value == "flags"), None)
    if not isinstance(flags_node, yaml.MappingNode):
        return None
    entries = flags_node.value
    for position, (key, value) in enumerate(entries):
        if str(key.value) == name:
            start = key.start_mark.line
            if position + 1 < len(entries):
                end = entries[position + 1][0].start_mark.line
            else:
                end = value.end_mark.line + (1 if value.end_mark.column > 0 else 0)
            return start, end
    return None


# --- OpenFeature / flagd JSON ---------------------------------------------------------------


def _flagd_rollout(definition: dict[str, Any]) -> int | None:
    if definition.get("state") == "DISABLED":
        return 0
    if definition.get("targeting"):
        return None  # targeting rules: partially rolled out, or at least not provably total
    variants = definition.get("variants", {})
    default = variants.get(definition.get("defaultVariant"))
    if isinstance(default, bool):
        return 100 if default else 0
    return None


def _load_flagd(path: Path, text: str) -> Inventory:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InventoryError(path, error.lineno, f"invalid JSON: {error.msg}") from error
    if not isinstance(data, dict) or not isinstance(data.get("flags"), dict):
        raise InventoryError(path, 1, "expected a flagd document with a top-level 'flags' object")
    result = Inventory({}, [])
    flags_start = text.find('"flags"')
    for name, definition in data["flags"].items():
        # json keeps no positions; the first quoted occurrence of the key after "flags" is its line.
        found = re.compile(rf'"{re.escape(name)}"\s*:').search(text, max(flags_start, 0))
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        if not isinstance(definition, dict):
            result.problems.append(InventoryProblem(str(path), line, f"flag {name!r}: expected an object"))
            continue
        raw_metadata = definition.get("metadata")
        metadata = raw_metadata if isinstance(raw_metadata, dict) else {}
        problems: list[str] = []
        flag_type = metadata.get("type", "release")
        if flag_type not in FLAG_TYPES:
            problems.append(f"metadata.type must be one of {', '.join(FLAG_TYPES)}, got {flag_type!r}")
            flag_type = "release"
        flag = InventoryFlag(
            name=name,
            path=str(path),
            line=line,
            type=flag_type,
            owner=metadata.get("owner"),
            created=_date(metadata.get("created"), "metadata.created", problems),
            rollout=_flagd_rollout(definition),
            rolled_out=_date(metadata.get("rolled_out"), "metadata.rolled_out", problems),
            remove_by=_date(metadata.get("remove_by"), "metadata.remove_by", problems),
        )
        result.problems.extend(
            InventoryProblem(str(path), line, f"flag {name!r}: {problem}") for problem in problems
        )
        result.flags[name] = flag
    return result


def remove_from_inventory(path: Path, name: str) -> str | None:
    """The inventory text without flag ``name`` (None when it is not there). Other lines are untouched."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return _remove_from_json(text, name)
    span = yaml_entry_span(path, name)
    if span is None:
        return None
    lines = text.splitlines(keepends=True)
    start, end = span
    indent = _indent(lines[start])

    def own_comment(line: str) -> bool:
        return line.lstrip().startswith("#") and _indent(line) == indent

    # Comment lines directly above an entry describe it: they go with this one, stay with the next.
    while (
        end - 1 > start
        and end - 1 < len(lines)
        and (own_comment(lines[end - 1]) or not lines[end - 1].strip())
    ):
        end -= 1
    while start > 0 and own_comment(lines[start - 1]):
        start -= 1
    # Do not leave two blank lines (or a trailing one) where the entry was.
    if start > 0 and not lines[start - 1].strip() and (end >= len(lines) or not lines[end].strip()):
        start -= 1
    return "".join(lines[:start] + lines[end:])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _json_value_end(text: str, position: int) -> int:
    """Index just after the JSON value starting at ``position`` (objects/arrays matched, strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for index in range(position, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if depth == 0:
                    return index + 1
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            if depth == 0:
                return index  # a scalar ended by its container
            depth -= 1
            if depth == 0:
                return index + 1
        elif char == "," and depth == 0:
            return index
    return len(text)


def _remove_from_json(text: str, name: str) -> str | None:
    """Cut the flag's entry out of the text, so the rest of the file keeps its formatting."""
    data = json.loads(text)
    flags = data.get("flags", {}) if isinstance(data, dict) else {}
    if name not in flags:
        return None
    expected = {key: value for key, value in flags.items() if key != name}
    key = re.compile(rf'"{re.escape(name)}"\s*:\s*').search(text, max(text.find('"flags"'), 0) + 7)
    if key is not None:
        start, end = key.start(), _json_value_end(text, key.end())
        following = re.compile(r"\s*,").match(text, end)
        if following:
            end = following.end()  # "a": {...},  -> the comma goes with the entry
        else:
            preceding = re.compile(r",\s*$").search(text, 0, start)
            if preceding:
                start = preceding.start()  # the last entry: the comma before it goes
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip():
            start = line_start  # the whole line, not just the entry
            newline = text.find("\n", end)
            if newline != -1 and not text[end:newline].strip():
                end = newline + 1
        candidate = text[:start] + text[end:]
        try:
            if json.loads(candidate).get("flags") == expected:
                return candidate
        except json.JSONDecodeError:
            pass
    # Unusual layout: rewrite the document instead (same data, standard formatting).
    del data["flags"][name]
    indent = re.search(r"\n([ \t]+)\"", text)
    return json.dumps(data, indent=indent.group(1) if indent else 2) + "\n"
