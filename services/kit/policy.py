"""Policy as data (DESIGN §3): effective-dated tables of standards, money in fen, loaded from YAML.

A ``PolicyTable[T]`` holds entries ``(key, effective_from, effective_to, value)``: the child allowance
per category, the visit cadence per category, the 低保 standard per region, old-age allowance tiers.
``value_on(key, day)`` answers "which standard was in force that day"; entries of one key never
overlap, so the answer is unique. ``effective_to`` is the LAST day in force (inclusive, as policy
texts say "执行至2020年12月31日"); ``None`` means open-ended. Days are Asia/Shanghai calendar days.

A policy file (``services/kit/data/policy/<name>.yaml``) has one top-level ``tables`` mapping::

    tables:
      living_allowance:                 # table name; the caller says what type its values are
        unit: yuan per child per month  # optional, for people
        entries:
          - {key: orphan_scattered, from: 2020-01-01, to: null, value: "2057.00", source: "seed 000 …"}

Money is written as a quoted yuan amount ("2057.00") and held as integer fen: a bare YAML number is
refused, because ``2057.1`` would be a float and ``205710`` could be yuan or fen.

Pure apart from ``load_tables``/``load_default`` reading one file; parsing and lookups do no I/O.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from services.kit.errors import FailedPrecondition
from services.kit.money import Money, yuan_to_fen

__all__ = [
    "Money",
    "NoPolicyInForce",
    "PolicyDataError",
    "PolicyEntry",
    "PolicyTable",
    "default_policy_path",
    "load_default",
    "load_table",
    "load_tables",
    "parse_tables",
    "yuan_to_fen",
]

T = TypeVar("T")


class PolicyDataError(ValueError):
    """Policy data is malformed: bad YAML, a bad value, overlapping entries. Names the file and entry."""


class NoPolicyInForce(FailedPrecondition):
    """No entry of a table is in force for a key on a day (e.g. a payment run before a standard exists)."""


# --- money ------------------------------------------------------------------------------------------


# --- tables -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyEntry(Generic[T]):
    """One standard: ``value`` applies to ``key`` from ``effective_from`` to ``effective_to`` inclusive."""

    key: str
    effective_from: date
    effective_to: date | None
    value: T
    source: str | None = None  # the policy text it comes from, so a payment can cite its standard

    def in_force_on(self, day: date) -> bool:
        """True when ``day`` lies within the entry's dates."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def span(self) -> str:
        """The dates as text, e.g. ``2020-01-01..2020-12-31`` or ``2021-01-01..open``."""
        end = self.effective_to.isoformat() if self.effective_to else "open"
        return f"{self.effective_from.isoformat()}..{end}"


class PolicyTable(Generic[T]):
    """Effective-dated entries by key; entries of one key never overlap (checked on construction)."""

    def __init__(self, name: str, entries: Iterable[PolicyEntry[T]], *, origin: str | None = None) -> None:
        self.name = name
        self.origin = origin
        by_key: dict[str, list[PolicyEntry[T]]] = {}
        for entry in entries:
            if entry.effective_to is not None and entry.effective_to < entry.effective_from:
                raise PolicyDataError(
                    f"{self._where()}: entry for {entry.key!r} ends ({entry.effective_to}) before it "
                    f"starts ({entry.effective_from})"
                )
            by_key.setdefault(entry.key, []).append(entry)
        for key, items in by_key.items():
            items.sort(key=lambda e: e.effective_from)
            for before, after in itertools.pairwise(items):
                if before.effective_to is None or before.effective_to >= after.effective_from:
                    raise PolicyDataError(
                        f"{self._where()}: entries for {key!r} overlap: {before.span} and {after.span} "
                        "(end the earlier one the day before the later one starts)"
                    )
        self._entries: dict[str, tuple[PolicyEntry[T], ...]] = {k: tuple(v) for k, v in by_key.items()}
        self._starts: dict[str, list[date]] = {k: [e.effective_from for e in v] for k, v in by_key.items()}

    def _where(self) -> str:
        return f"{self.origin}: table {self.name!r}" if self.origin else f"policy table {self.name!r}"

    def keys(self) -> tuple[str, ...]:
        """Every key with at least one entry, sorted."""
        return tuple(sorted(self._entries))

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[PolicyEntry[T]]:
        for key in self.keys():
            yield from self._entries[key]

    def __len__(self) -> int:
        return sum(len(v) for v in self._entries.values())

    def history(self, key: str) -> tuple[PolicyEntry[T], ...]:
        """All entries of ``key``, oldest first (empty for an unknown key)."""
        return self._entries.get(key, ())

    def find_on(self, key: str, day: date) -> PolicyEntry[T] | None:
        """The entry of ``key`` in force on ``day``, or None."""
        starts = self._starts.get(key)
        if not starts:
            return None
        # Entries are sorted and disjoint: the candidate is the last one starting on or before ``day``.
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            return None
        entry = self._entries[key][index]
        return entry if entry.in_force_on(day) else None

    def entry_on(self, key: str, day: date) -> PolicyEntry[T]:
        """The entry of ``key`` in force on ``day``; raises ``NoPolicyInForce`` saying what exists."""
        entry = self.find_on(key, day)
        if entry is not None:
            return entry
        if key not in self._entries:
            known = ", ".join(self.keys()) or "none"
            raise NoPolicyInForce(f"{self._where()} has no entries for {key!r} (keys: {known})")
        spans = ", ".join(e.span for e in self._entries[key])
        raise NoPolicyInForce(
            f"{self._where()} has no entry for {key!r} in force on {day} (entries: {spans})"
        )

    def value_on(self, key: str, day: date) -> T:
        """The value of ``key`` in force on ``day``; raises ``NoPolicyInForce`` when there is none."""
        return self.entry_on(key, day).value

    def in_force_on(self, day: date) -> dict[str, T]:
        """Every key's value on ``day`` (keys with nothing in force are left out)."""
        found = {key: self.find_on(key, day) for key in self.keys()}
        return {key: entry.value for key, entry in found.items() if entry is not None}

    def supersede(
        self, key: str, effective_from: date, value: T, *, source: str | None = None
    ) -> PolicyTable[T]:
        """A new table with ``value`` in force from ``effective_from``; an open entry closes the day before.

        Past entries are never rewritten beyond that close, so payments already made keep citing theirs.
        """
        entries = list(self)
        for i, entry in enumerate(entries):
            if entry.key == key and entry.effective_to is None and entry.effective_from < effective_from:
                entries[i] = replace(entry, effective_to=effective_from - timedelta(days=1))
        entries.append(PolicyEntry(key, effective_from, None, value, source))
        return PolicyTable(self.name, entries, origin=self.origin)

    def __repr__(self) -> str:
        return f"PolicyTable({self.name!r}, {len(self)} entries, origin={self.origin!r})"


# --- files ------------------------------------------------------------------------------------------


class _EntryModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, coerce_numbers_to_str=True)

    key: str = Field(min_length=1)
    effective_from: date = Field(alias="from")
    effective_to: date | None = Field(default=None, alias="to")
    value: Any
    source: str | None = None
    note: str | None = None


class _TableModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    unit: str | None = None
    entries: list[_EntryModel] = Field(min_length=1)


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tables: dict[str, _TableModel]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates stay strings so pydantic parses them and a bad one ("2020-13-01") is reported with its entry;
# PyYAML's own timestamp parsing would fail with a bare ValueError and no location.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _loc(parts: Iterable[int | str]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _entry_lines(text: str) -> dict[tuple[str, int], int]:
    """Line numbers (1-based) of each entry, best effort, so errors point into the file."""
    lines: dict[tuple[str, int], int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    mapping = dict(root.value) if isinstance(root, yaml.MappingNode) else {}
    tables = next((v for k, v in mapping.items() if getattr(k, "value", None) == "tables"), None)
    if not isinstance(tables, yaml.MappingNode):
        return lines
    for name_node, table_node in tables.value:
        if not isinstance(table_node, yaml.MappingNode):
            continue
        for key_node, entries_node in table_node.value:
            if key_node.value == "entries" and isinstance(entries_node, yaml.SequenceNode):
                for i, item in enumerate(entries_node.value):
                    lines[(name_node.value, i)] = item.start_mark.line + 1
    return lines


def parse_tables(
    text: str, value_types: Mapping[str, Any], *, origin: str = "<policy>", strict: bool = True
) -> dict[str, PolicyTable[Any]]:
    """Parse policy YAML into tables, validating each table's values as ``value_types[name]``.

    ``strict`` also refuses tables the caller did not ask for (a misspelt table name would otherwise be
    ignored while the code falls back to nothing). Errors are ``PolicyDataError`` naming ``origin``,
    the table, the entry index, its key and line.
    """
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no arbitrary objects
    except (yaml.YAMLError, ValueError) as exc:
        raise PolicyDataError(f"{origin}: not valid YAML: {exc}") from None
    try:
        document = _FileModel.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        problems = "; ".join(f"{_loc(err['loc']) or 'file'}: {err['msg']}" for err in exc.errors())
        raise PolicyDataError(f"{origin}: {problems}") from None

    missing = sorted(set(value_types) - set(document.tables))
    if missing:
        raise PolicyDataError(f"{origin}: missing table(s) {', '.join(missing)}")
    unknown = sorted(set(document.tables) - set(value_types))
    if strict and unknown:
        raise PolicyDataError(
            f"{origin}: unknown table(s) {', '.join(unknown)} (expected {', '.join(value_types)})"
        )

    lines = _entry_lines(text)
    tables: dict[str, PolicyTable[Any]] = {}
    for name, value_type in value_types.items():
        adapter: TypeAdapter[Any] = TypeAdapter(value_type)
        entries = []
        for i, item in enumerate(document.tables[name].entries):
            line = lines.get((name, i))
            where = f"{origin}{f':{line}' if line else ''}: tables.{name}.entries[{i}] (key {item.key!r})"
            try:
                value = adapter.validate_python(item.value)
            except ValidationError as exc:
                problems = "; ".join(
                    f"value{'.' + _loc(err['loc']) if err['loc'] else ''}: {err['msg']}"
                    for err in exc.errors()
                )
                raise PolicyDataError(f"{where}: {problems}") from None
            entries.append(PolicyEntry(item.key, item.effective_from, item.effective_to, value, item.source))
        tables[name] = PolicyTable(name, entries, origin=origin)
    return tables


def load_tables(
    path: str | Path, value_types: Mapping[str, Any], *, strict: bool = True
) -> dict[str, PolicyTable[Any]]:
    """Read and parse one policy file (see ``parse_tables``)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyDataError(f"{file}: cannot read policy file: {exc.strerror or exc}") from None
    return parse_tables(text, value_types, origin=str(file), strict=strict)


def load_table(path: str | Path, name: str, value_type: type[T]) -> PolicyTable[T]:
    """One table of a policy file, its values validated as ``value_type``; other tables are ignored."""
    return load_tables(path, {name: value_type}, strict=False)[name]


def default_policy_path(name: str) -> Path:
    """The packaged default file ``services/kit/data/policy/<name>.yaml`` (the seeds' figures)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"policy file name {name!r} must be lower-case letters, digits and _")
    return Path(str(resources.files("services.kit") / "data" / "policy" / f"{name}.yaml"))


def load_default(name: str, value_types: Mapping[str, Any]) -> dict[str, PolicyTable[Any]]:
    """Load a packaged default policy file strictly (every table in it must be asked for)."""
    return load_tables(default_policy_path(name), value_types)
