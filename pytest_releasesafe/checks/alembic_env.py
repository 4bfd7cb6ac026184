"""What an Alembic project's env.py (and alembic.ini) say about lock timeouts, read statically.

A team that sets `lock_timeout` for every migration in env.py (`connect_args={"options": "-c
lock_timeout=5s"}`, `SET lock_timeout` on the connection, a URL option in alembic.ini) does not need
it repeated in each revision. The files are parsed with `ast` / read as text, never imported.
"""

from __future__ import annotations

import ast
import os
import re
from functools import lru_cache
from pathlib import Path

# `lock_timeout=5s`, `lock_timeout = '5s'`, `lock_timeout TO 5000`, `lock_timeout%3D5s` (URL-encoded).
_SETTING = re.compile(
    r"(?<![a-z_])(lock_wait_timeout|lock_timeout)\b\s*(?:=|%3d|\bto\b|:)?\s*['\"]?(\w*)", re.IGNORECASE
)


def env_files(migration_path: str) -> list[Path]:
    """env.py next to the versions/ folder holding the revision, and the alembic.ini above it."""
    return list(_env_files_in(os.path.dirname(os.path.abspath(migration_path))))


@lru_cache(maxsize=256)
def _env_files_in(folder_name: str) -> tuple[Path, ...]:
    # Every revision of a folder shares its env.py: look once per folder, not once per revision.
    folder = Path(folder_name).resolve()
    found: list[Path] = []
    for directory in (folder, folder.parent):
        env = directory / "env.py"
        if env.is_file():
            found.append(env)
            for ini_dir in (directory, directory.parent):
                ini = ini_dir / "alembic.ini"
                if ini.is_file():
                    found.append(ini)
                    break
            break
    return tuple(found)


def stamp(migration_path: str) -> str:
    """Changes whenever env.py or alembic.ini changes: part of a revision's cache key."""
    parts = []
    for path in env_files(migration_path):
        try:
            info = path.stat()
        except OSError:
            continue
        parts.append(f"{path}:{info.st_mtime_ns}:{info.st_size}")
    return "|".join(parts)


def sets_lock_timeout(migration_path: str, setting: str = "lock_timeout") -> bool:
    """Whether env.py (or alembic.ini) sets `setting` to a non-zero value for every migration."""
    return any(setting in _settings(str(path), path.stat().st_mtime_ns) for path in env_files(migration_path))


@lru_cache(maxsize=64)
def _settings(path: str, _mtime: int) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    if path.endswith(".py"):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return frozenset()
        # Only string literals count: a comment mentioning lock_timeout sets nothing.
        strings = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        # {"lock_timeout": "5s"} style mappings: a key followed by its value.
        strings += [
            f"{k.value}={_literal(v)}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Dict)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
    else:
        strings = [line for line in text.splitlines() if not line.lstrip().startswith(("#", ";"))]
    found: set[str] = set()
    for string in strings:
        for match in _SETTING.finditer(string):
            value = match.group(2)
            if value and value.strip("0") == "" and value.isdigit():
                continue  # `lock_timeout = 0` switches the timeout off
            found.add(match.group(1).lower())
    return frozenset(found)


def _literal(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "set"
