"""The lint run's content-hash cache: findings per file, and each file's effects on the schema.

Four files under `.releasesafe_cache/`, each one `marshal`ed dict from key to the `marshal`ed bytes of
its entry (plain data: strings, numbers, lists, dicts): marshal reads a few MB in a third of the time
the C JSON decoder takes, and an entry is decoded only when a run asks for it, so a pre-commit run
on five files of a thousand-file history decodes five (reading the file is then a copy of its bytes,
and writing it back re-encodes only what changed). A warm run reads the findings file, and the
sources file (see source_index.py), which spares it reading the files whose stat did not change. The
effects file (what each migration does to the schema catalogue) is read only when some file is
linted again and needs the state before it; the schemas file keeps the state each history reached
before the files last linted, so the next run resumes there.

A file from another Python version, a truncated or foreign file, is simply an empty cache: the
header names the format and the interpreter, and anything that does not load is discarded.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_releasesafe import __version__
from pytest_releasesafe.blake2 import blake2b

if TYPE_CHECKING:
    from pytest_releasesafe.config import Config
    from pytest_releasesafe.engine import SourceFile

# marshal's format is tied to the interpreter: a cache written by another Python is not read.
_HEADER = f"releasesafe-cache 3 python {sys.version_info[0]}.{sys.version_info[1]}\n".encode()
_LEGACY = "lint.json"  # the JSON cache of earlier releases, removed when the new one is written


class _Store:
    """One cache file: loaded on first use, written back with the entries this run used last.
    Entries are kept encoded (marshal bytes) and decoded by `get`."""

    def __init__(self, file: Path, limit: int = 20_000) -> None:
        self.file = file
        self.limit = limit  # entries kept; the least recently used go first
        self._entries: dict[str, bytes] | None = None
        self.used: dict[str, bytes] = {}
        self.changed = False

    @property
    def entries(self) -> dict[str, bytes]:
        if self._entries is None:
            self._entries = _read(self.file)
        return self._entries

    def get(self, key: str) -> Any:
        """The entry stored under `key`, or None (also for an entry that does not decode)."""
        encoded = self.entries.get(key)
        if not isinstance(encoded, bytes):
            return None
        try:
            entry = marshal.loads(encoded)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, never a failed run
            return None
        self.used[key] = encoded
        return entry

    def keep(self, key: str) -> bool:
        """Whether `key` is stored; if so, it is kept as used (without decoding it)."""
        encoded = self.entries.get(key)
        if not isinstance(encoded, bytes):
            return False
        self.used[key] = encoded
        return True

    def put(self, key: str, entry: Any) -> None:
        """Store `entry` (plain data only: marshal raises ValueError for anything else)."""
        self.used[key] = marshal.dumps(entry)
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        # Keep entries of files this run did not look at (a pre-commit run sees five files),
        # most recently used last, so trimming drops the stalest.
        merged = {k: v for k, v in self.entries.items() if k not in self.used}
        merged.update(self.used)
        if len(merged) > self.limit:
            merged = dict(list(merged.items())[-self.limit :])
        temporary = self.file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(_HEADER + marshal.dumps(merged))
        temporary.replace(self.file)


def _read(file: Path) -> dict[str, Any]:
    try:
        data = file.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_HEADER):
        return {}
    try:
        entries = marshal.loads(memoryview(data)[len(_HEADER) :])
    except Exception:  # noqa: BLE001 - a damaged cache is an empty one, never a failed run
        return {}
    return entries if isinstance(entries, dict) else {}


class Cache:
    """Findings per (path, content, settings), so unchanged files are not parsed again; and the
    schema effects of each file's content, so the catalogue is replayed without parsing them."""

    def __init__(self, config: Config) -> None:
        self.enabled = config.cache
        folder = config.root / ".releasesafe_cache"
        self.folder = folder
        # With the cache off nothing is looked up: skip stamping the catalogue.
        self.salt = f"{__version__}|{config.fingerprint()}|{_catalogue_stamp()}" if self.enabled else ""
        self.findings = _Store(folder / "findings.marshal")
        self.effects = _Store(folder / "effects.marshal")
        # The schema each history reached before the files a run linted (a few hundred KB each):
        # the next pre-commit run resumes there instead of replaying every earlier file's effects.
        self.schemas = _Store(folder / "schemas.marshal", limit=32)
        # What reading each file told: by its stat, so an unchanged file is not read again.
        self.sources = _Store(folder / "sources.marshal")

    def key(self, source: SourceFile) -> str:
        digest = blake2b(digest_size=16)
        digest.update(self.salt.encode())
        digest.update(source.display.encode())
        digest.update(source.digest.encode())
        if source.path.suffix == ".py":
            # Some rules read the project's env.py (e.g. a lock_timeout set for every migration).
            from pytest_releasesafe.checks.alembic_env import stamp

            digest.update(stamp(str(source.path)).encode())
        return digest.hexdigest()

    def get(self, key: str) -> Any:
        return self.findings.get(key)

    def put(self, key: str, entry: Any) -> None:
        self.findings.put(key, entry)

    def save(self) -> None:
        stores = (self.findings, self.effects, self.schemas, self.sources)
        if not self.enabled or not any(store.changed for store in stores):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            for store in stores:
                store.save()
            (self.folder / _LEGACY).unlink(missing_ok=True)
        except OSError:
            pass  # a read-only checkout lints fine, just without a cache


_STAMPED = (".py", ".yaml")


def _catalogue_stamp(folders: tuple[str, ...] | None = None) -> str:
    """Changes whenever a rule or check file changes, so editing a rule invalidates the cache."""
    if folders is None:
        root = Path(__file__).resolve().parent
        folders = (str(root / "checks"), str(root / "frontends"), rules_dir())
    stamps: list[str] = []
    for folder in folders:
        try:
            with os.scandir(folder) as entries:  # no Path object per file: this runs on every warm run
                # Files only: a __pycache__ folder's mtime moves when bytecode is first written.
                stamps.extend(
                    f"{e.name}:{e.stat().st_mtime_ns}" for e in entries if e.name.endswith(_STAMPED)
                )
        except OSError:
            continue
    stamps.sort()
    return blake2b("|".join(stamps).encode(), digest_size=8).hexdigest()


def rules_dir() -> str:
    installed = Path(__file__).resolve().parent / "rules"
    if installed.is_dir():  # a wheel install: no need to import importlib.resources at start-up
        return str(installed)
    from importlib import resources  # an editable install maps the top-level rules/ folder

    return str(resources.files("pytest_releasesafe.rules"))
