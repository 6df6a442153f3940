"""Regions as code prefixes: district (6 digits) → town/street 镇街 (9) → village/community 村社 (12).

A region code contains its ancestors' codes as prefixes (330109 → 330109001 → 330109001001), so the
pure helpers here (``level_of``, ``is_within``, ``within_any``) need no tree; ``RegionTree`` adds the
names and the parent/child structure, loaded from JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "InvalidRegionCode",
    "Region",
    "RegionLevel",
    "RegionTree",
    "UnknownRegion",
    "is_within",
    "level_of",
    "validate_region_code",
    "within_any",
]

RegionLevel = Literal["district", "town", "village"]

_LEVEL_BY_LENGTH: dict[int, RegionLevel] = {6: "district", 9: "town", 12: "village"}
_CHILD_LEVEL: dict[RegionLevel, RegionLevel | None] = {"district": "town", "town": "village", "village": None}
# Scopes may also be a whole province ("33") or city ("3301"): the same product serves a city or a
# province by widening scopes, and GB/T 2260 puts those levels at 2 and 4 digits.
_SCOPE_LENGTHS = frozenset({2, 4, 6, 9, 12})
_DIGITS = frozenset("0123456789")
_XIAOSHAN_JSON = "regions_xiaoshan.json"


class InvalidRegionCode(ValueError):
    """A region code is malformed: not digits, or not 6, 9 or 12 of them."""


class UnknownRegion(ValueError):
    """A well-formed region code that the region tree does not contain."""


@dataclass(frozen=True)
class Region:
    """One district, town/street or village/community."""

    code: str
    name: str
    level: RegionLevel
    parent: str | None


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts non-ASCII digits, which must not slip into region codes.
    return bool(text) and all(ch in _DIGITS for ch in text)


def validate_region_code(code: str) -> str:
    """Return ``code`` without surrounding whitespace if it is 6, 9 or 12 ASCII digits, else raise."""
    if not isinstance(code, str):
        raise InvalidRegionCode("region code must be a string")
    stripped = code.strip()
    if not _is_digits(stripped):
        raise InvalidRegionCode(f"region code {stripped!r} must contain only digits")
    if len(stripped) not in _LEVEL_BY_LENGTH:
        raise InvalidRegionCode(
            f"region code {stripped!r} has {len(stripped)} digits; expected 6 (district), 9 (town) "
            "or 12 (village)"
        )
    return stripped


def level_of(code: str) -> RegionLevel:
    """The level a code's length implies: 6 digits district, 9 town, 12 village."""
    return _LEVEL_BY_LENGTH[len(validate_region_code(code))]


def validate_scope(scope: str) -> str:
    """A region scope (2, 4, 6, 9 or 12 ASCII digits: province … village) as given, else raise."""
    if not isinstance(scope, str) or not _is_digits(scope) or len(scope) not in _SCOPE_LENGTHS:
        # An empty or odd-length scope would silently widen or narrow access; refuse it loudly.
        raise InvalidRegionCode(f"region scope {scope!r} must be 2, 4, 6, 9 or 12 digits")
    return scope


def is_within(code: str, scope: str) -> bool:
    """True when region ``code`` lies inside ``scope`` (the scope is a prefix of the code)."""
    return validate_region_code(code).startswith(validate_scope(scope))


def within_any(code: str, scopes: Iterable[str]) -> bool:
    """True when ``code`` lies inside at least one of ``scopes``; no scopes means no access."""
    valid = validate_region_code(code)
    # Check every scope before answering, so a bad scope fails the same way whatever its position.
    prefixes = [validate_scope(scope) for scope in scopes]
    return any(valid.startswith(prefix) for prefix in prefixes)


class RegionTree:
    """A district's towns/streets and villages/communities, looked up by code."""

    def __init__(self, regions: Iterable[Region]) -> None:
        """Build a tree from regions listed parents before children; exactly one root district."""
        self._regions: dict[str, Region] = {}
        self._children: dict[str, list[str]] = {}
        root: str | None = None
        for region in regions:
            self._add(region)
            if region.parent is None:
                if root is not None:
                    raise ValueError(f"region tree has two roots: {root} and {region.code}")
                root = region.code
        if root is None:
            raise ValueError("region tree is empty")
        self._root = root

    def _add(self, region: Region) -> None:
        code = validate_region_code(region.code)
        if code != region.code:
            raise ValueError(f"region code {region.code!r} has surrounding whitespace")
        if code in self._regions:
            raise ValueError(f"region {code} appears twice")
        if region.level != level_of(code):
            raise ValueError(f"region {code} is a {level_of(code)} by its length, not a {region.level}")
        if region.parent is None:
            if region.level != "district":
                raise ValueError(f"region {code} has no parent but is not a district")
        else:
            parent = self._regions.get(region.parent)
            if parent is None:
                raise ValueError(f"region {code} names parent {region.parent}, which is not listed before it")
            if not code.startswith(parent.code) or _CHILD_LEVEL[parent.level] != region.level:
                raise ValueError(f"region {code} cannot be a child of {parent.code}")
            self._children[parent.code].append(code)
        if not region.name.strip():
            raise ValueError(f"region {code} has no name")
        self._regions[code] = region
        self._children[code] = []

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RegionTree:
        """Build a tree from the nested ``{"code", "name", "children": [...]}`` JSON shape."""

        def walk(node: Mapping[str, Any], parent: str | None) -> Iterator[Region]:
            try:
                code, name = node["code"], node["name"]
            except (KeyError, TypeError):
                raise ValueError(f"region node under {parent} needs a code and a name") from None
            if not isinstance(code, str) or not isinstance(name, str):
                raise ValueError(f"region node under {parent}: code and name must be strings")
            yield Region(code=code, name=name, level=level_of(code), parent=parent)
            for child in node.get("children", ()):
                yield from walk(child, code)

        return cls(walk(data, None))

    @classmethod
    def from_json(cls, path: str | Path) -> RegionTree:
        """Load a tree from a JSON file in the nested ``from_dict`` shape."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def xiaoshan(cls) -> RegionTree:
        """The packaged tree of 萧山区 (Xiaoshan, 330109); loaded once and shared."""
        return _xiaoshan_tree()

    @property
    def root(self) -> Region:
        """The district at the top of the tree."""
        return self._regions[self._root]

    def get(self, code: str) -> Region:
        """The region with this code; raises ``UnknownRegion`` if the tree has none."""
        try:
            return self._regions[code]
        except (KeyError, TypeError):
            raise UnknownRegion(f"unknown region {code!r}") from None

    def contains(self, code: str) -> bool:
        """True when the tree has a region with this code (malformed codes are simply absent)."""
        return isinstance(code, str) and code in self._regions

    __contains__ = contains

    def __len__(self) -> int:
        """Number of regions at all levels."""
        return len(self._regions)

    def __iter__(self) -> Iterator[Region]:
        """All regions, parents before their children."""
        return iter(self._regions.values())

    def children(self, code: str) -> tuple[Region, ...]:
        """The direct children of a region, in file order."""
        self.get(code)
        return tuple(self._regions[child] for child in self._children[code])

    def descendants(self, code: str) -> tuple[Region, ...]:
        """Every region below ``code`` (not including it), parents before children."""
        self.get(code)
        found: list[Region] = []
        stack = list(reversed(self._children[code]))
        while stack:
            child = stack.pop()
            found.append(self._regions[child])
            stack.extend(reversed(self._children[child]))
        return tuple(found)

    def towns(self) -> tuple[Region, ...]:
        """All towns/streets (镇街) of the district."""
        return self.children(self._root)

    def villages(self, town_code: str | None = None) -> tuple[Region, ...]:
        """Villages/communities (村社) of one town, or of the whole district when no town is given."""
        if town_code is None:
            return tuple(region for region in self._regions.values() if region.level == "village")
        town = self.get(town_code)
        if town.level != "town":
            raise ValueError(f"region {town_code} is a {town.level}, not a town")
        return self.children(town_code)

    def ancestors(self, code: str) -> tuple[Region, ...]:
        """The regions above ``code``, outermost (the district) first; empty for the district."""
        chain: list[Region] = []
        parent = self.get(code).parent
        while parent is not None:
            region = self._regions[parent]
            chain.append(region)
            parent = region.parent
        return tuple(reversed(chain))

    def name_path(self, code: str) -> str:
        """Names from the district down to ``code`` joined by "/", e.g. "萧山区/城厢街道/湘湖社区"."""
        return "/".join(region.name for region in (*self.ancestors(code), self.get(code)))


@cache
def _xiaoshan_tree() -> RegionTree:
    # Town and street codes are the official statistical codes (统计用区划代码); the village and
    # community lists under them are demo data (some real names, some plausible ones, numbered in the
    # statistical style: communities 001.., villages 201..), not the full official list.
    text = (resources.files(__package__ or "services.kit") / "data" / _XIAOSHAN_JSON).read_text(
        encoding="utf-8"
    )
    return RegionTree.from_dict(json.loads(text))
