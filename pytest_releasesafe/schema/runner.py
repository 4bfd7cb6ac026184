"""The lint run's side of the catalogue: replay each history in order and judge files against it.

Findings of a file now depend on every file before it in its history, so the cache key of a file
is its content plus a fingerprint of what came before (the seed schema, the earlier files'
contents and which of them are unreleased). Editing an old migration re-lints those after it;
adding one at the end re-lints only that one. A file linted again needs the state before it:
earlier files' effects come from the cache when they are there, from the front ends otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pytest_releasesafe.blake2 import blake2b
from pytest_releasesafe.config import SchemaFileError
from pytest_releasesafe.schema import order

if TYPE_CHECKING:
    from pytest_releasesafe.config import Config
    from pytest_releasesafe.engine import Cache, FileLinter, RevisionInfo, SourceFile
    from pytest_releasesafe.findings import Finding
    from pytest_releasesafe.model import Migration, UpStep
    from pytest_releasesafe.schema.state import Schema


class Resume(NamedTuple):
    """Where a history's replay starts: the unit index and the state before it."""

    position: int
    state: Schema


CHECKPOINTS_NEAR_END = (0, 1, 2, 4, 8, 16, 32)  # after the last unit, and before the last 1, 2, 4 … 32
REPLAY_RATHER_THAN_KEEP = 8  # files whose cached effects are replayed rather than a state written


def _hash(*parts: str) -> str:
    return blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def read_seed(config: Config) -> str | None:
    """The text of the --schema / `schema =` file; a missing or unreadable file is a usage error."""
    if not config.schema:
        return None
    path = Path(config.schema)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise SchemaFileError(f"schema file {config.schema}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise SchemaFileError(f"schema file {config.schema}: not valid UTF-8 ({error.reason})") from error


class History:
    def __init__(
        self,
        sources: list[SourceFile],
        infos: dict[int, RevisionInfo | None],
        config: Config,
        cache: Cache,
        added: set[Path],
    ) -> None:
        self.config = config
        self.cache = cache
        self.seed_text = read_seed(config)
        self.sources = {s.display: s for s in sources}
        replayable = [
            s for s in sources if s.is_text and (s.path.suffix == ".sql" or infos[id(s)] is not None)
        ]
        revisions = [
            (info.path, info.revision, info.down_revision)
            for s in replayable
            if (info := infos[id(s)]) is not None
        ]
        self.histories: list[list[order.Unit]] = order.histories(
            [s.display for s in replayable if s.path.suffix == ".sql"], revisions
        )
        self.unreleased = {s.display for s in replayable if added and s.path.resolve() in added}
        self._before: dict[str, str] | None = None
        # Per history: the fingerprint before each unit, and after the last.
        self._chains: list[list[str]] = []
        self._content: dict[str, str] = {}

    # -- cache keys -------------------------------------------------------------------------------
    def content_key(self, display: str) -> str:
        if display not in self._content:
            self._content[display] = self.cache.key(self.sources[display])
        return self._content[display]

    def findings_key(self, source: SourceFile) -> str:
        return _hash(self.content_key(source.display), self._fingerprints().get(source.display, ""))

    def _fingerprints(self) -> dict[str, str]:
        """Per file, a fingerprint of everything before it in its history (a down step: its up too)."""
        if self._before is not None:
            return self._before
        before: dict[str, str] = {}
        seed = _hash("seed", self.seed_text or "")
        for units in self.histories:
            running = seed
            chain = []
            for unit in units:
                chain.append(running)
                after = running
                if unit.up is not None:
                    before[unit.up] = running
                    flag = "new" if unit.up in self.unreleased else ""
                    after = _hash(running, self.content_key(unit.up), flag)
                for down in unit.downs:
                    before[down] = after
                running = after
            chain.append(running)
            self._chains.append(chain)
        self._before = before
        return before

    # -- linting ----------------------------------------------------------------------------------
    def lint(self, linter: FileLinter, todo: list[SourceFile]) -> list[list[Finding]]:
        from pytest_releasesafe.engine import parallel_map
        from pytest_releasesafe.schema import effects

        wanted = {s.display for s in todo if s.text is not None}
        spans = self._spans(wanted)
        resume = self._resume_points(spans) if self.cache.enabled else {}
        needed = self._needed(wanted, spans, resume)
        stored: dict[str, list[dict[str, Any]]] = {}
        to_parse = []
        for display in needed:
            entry = (
                None
                if display in wanted or not self.cache.enabled
                else self.cache.effects.get(self.content_key(display))
            )
            if entry is None:
                to_parse.append(self.sources[display])
            else:
                stored[display] = entry
        # A file that cannot be parsed stays out of the replay (what it changes is unknown from then
        # on) and is reported when it is judged below.
        parsed = parallel_map(
            linter.parse_contained, to_parse, [len(s.data) for s in to_parse], died=lambda _s, _status: None
        )
        migrations: dict[str, Migration] = {
            s.display: mig for s, mig in zip(to_parse, parsed, strict=True) if mig is not None
        }
        if self.cache.enabled:
            for display, migration in migrations.items():
                self.cache.effects.put(
                    self.content_key(display), effects.dump(migration, self.config.dialect)
                )
        snapshots = self._replay(linter.seed(self.seed_text), migrations, stored, wanted, spans, resume)

        def judge(source: SourceFile) -> list[Finding]:
            migration = migrations.get(source.display)
            if source.text is None or migration is None:
                return linter.lint_contained(source)  # unreadable, or its parse failed: reported as such
            return linter.judge_contained(source, migration, snapshots.get(source.display, {}))

        return parallel_map(judge, todo, [len(s.data) for s in todo], died=linter.worker_died)

    def _spans(self, wanted: set[str]) -> dict[int, tuple[int, int]]:
        """Per history (by number) that holds a wanted file: the positions of its first and last
        units holding one (an up file or one of its down steps)."""
        spans: dict[int, tuple[int, int]] = {}
        for number, units in enumerate(self.histories):
            touched = [i for i, u in enumerate(units) if u.up in wanted or not wanted.isdisjoint(u.downs)]
            if touched:
                spans[number] = (touched[0], touched[-1])
        return spans

    def _needed(
        self, wanted: set[str], spans: dict[int, tuple[int, int]], resume: dict[int, Resume]
    ) -> list[str]:
        """Files to read: the wanted ones, and every up step before (or of) the last of them, from
        where the history resumes."""
        needed = set(wanted)
        for number, (_, last) in spans.items():
            start = resume[number].position if number in resume else 0
            needed.update(u.up for u in self.histories[number][start : last + 1] if u.up)
        return sorted(needed)

    # -- checkpoints ------------------------------------------------------------------------------
    def _checkpoint_key(self, number: int, position: int) -> str:
        """The key of the state history `number` reaches before its unit `position` (after the
        last one for `position == len(units)`)."""
        from pytest_releasesafe.schema.checkpoint import FORMAT  # not on a warm run's path

        self._fingerprints()
        return _hash(FORMAT, self._chains[number][position])

    def _resume_points(self, spans: dict[int, tuple[int, int]]) -> dict[int, Resume]:
        """Per history (by number), the latest kept state at or before its first wanted file."""
        from pytest_releasesafe.schema import checkpoint

        points: dict[int, Resume] = {}
        for number, (first, _) in spans.items():
            for position in range(first, 0, -1):  # position 0 starts from the seed anyway
                data = self.cache.schemas.get(self._checkpoint_key(number, position))
                if data is None:
                    continue
                try:
                    points[number] = Resume(position, checkpoint.load(data))
                except Exception:  # noqa: BLE001 - a damaged entry is a miss, never a failed run
                    continue
                break
        return points

    @staticmethod
    def _keep_at(units: list[order.Unit], span: tuple[int, int] | None, start: int) -> set[int]:
        """Positions whose state this run keeps: before its first wanted file, unless the run
        resumed close to it (replaying a few files' cached effects costs less than writing a
        state); and, on a replay from the start to the end (a folder lint), a few points near the
        end, so the migration added next, or one of the last few edited, resumes close by."""
        if span is None:
            return set()
        first, last = span
        end = last + 1  # the replay is exact up to here: later files' effects are not read
        keep = {first} if first - start > REPLAY_RATHER_THAN_KEEP else set()
        if start == 0 and end == len(units):
            keep.update(end - back for back in CHECKPOINTS_NEAR_END)
        return {p for p in keep if start < p <= end}

    def _keep(self, number: int, position: int, state: Schema) -> None:
        from pytest_releasesafe.schema import checkpoint

        key = self._checkpoint_key(number, position)
        if self.cache.schemas.keep(key):
            return
        try:
            self.cache.schemas.put(key, checkpoint.dump(state))
        except ValueError:  # marshal refused a value: run without this checkpoint
            pass

    @staticmethod
    def _up_step(
        up: str, migrations: dict[str, Migration], stored: dict[str, list[dict[str, Any]]]
    ) -> UpStep:
        """What the up file a separate down file reverses does: parsed in this run, or from the
        effects the cache kept (every op but its place in the file)."""
        from pytest_releasesafe.model import UpStep
        from pytest_releasesafe.schema import effects

        if up in migrations:
            return UpStep(up, tuple(migrations[up].operations))
        return UpStep(up, tuple(effects.load(stored[up])) if up in stored else ())

    def _replay(
        self,
        seed: Schema,
        migrations: dict[str, Migration],
        stored: dict[str, list[dict[str, Any]]],
        wanted: set[str],
        spans: dict[int, tuple[int, int]],
        resume: dict[int, Resume],
    ) -> dict[str, dict[int, Schema]]:
        from pytest_releasesafe.schema import effects
        from pytest_releasesafe.schema.snapshots import replay
        from pytest_releasesafe.schema.state import Origin

        dialect = self.config.dialect
        snapshots: dict[str, dict[int, Schema]] = {}

        def step(display: str, state: Schema) -> Schema:
            origin = Origin(display, display in self.unreleased)
            migration = migrations.get(display)
            if migration is None:
                if display not in stored:
                    return state  # after the last file this run judges: not needed
                return replay(effects.load(stored[display]), state, origin, dialect)[1]
            if display not in wanted:
                return replay(migration.operations, state, origin, dialect)[1]
            taken: dict[int, Schema] = {}
            try:
                migration.operations, after = replay(migration.operations, state, origin, dialect, taken)
            except (RecursionError, Exception):  # noqa: BLE001 - its checks then see an unknown state
                return state
            snapshots[display] = taken
            return after

        for number, units in enumerate(self.histories):
            start, state = resume.get(number, Resume(0, seed))
            keep = self._keep_at(units, spans.get(number), start) if self.cache.enabled else set()
            for position in range(start, len(units)):
                if position in keep:
                    self._keep(number, position, state)
                unit = units[position]
                after = step(unit.up, state) if unit.up else state
                for down in unit.downs:
                    if unit.up and down != unit.up and down in wanted and down in migrations:
                        migrations[down].reverses = self._up_step(unit.up, migrations, stored)
                    step(down, after)
                state = after
            if len(units) in keep:
                self._keep(number, len(units), state)
        return snapshots
