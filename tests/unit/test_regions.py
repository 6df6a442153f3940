"""Region codes and the packaged Xiaoshan region tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.kit.regions import (
    InvalidRegionCode,
    Region,
    RegionTree,
    UnknownRegion,
    is_within,
    level_of,
    validate_region_code,
    within_any,
)

XIAOSHAN = "330109"
CHENGXIANG = "330109001"  # 城厢街道
GUALI = "330109113"  # 瓜沥镇
XIANGHU = "330109001001"  # 湘湖社区, 城厢街道


@pytest.fixture(scope="module")
def tree() -> RegionTree:
    return RegionTree.xiaoshan()


# --- the packaged tree ------------------------------------------------------------------------------


def test_tree_loads_with_xiaoshan_at_the_root(tree: RegionTree) -> None:
    assert tree.root == Region(code=XIAOSHAN, name="萧山区", level="district", parent=None)
    assert tree.get(XIAOSHAN) is tree.root
    assert RegionTree.xiaoshan() is tree  # cached


def test_at_least_twenty_towns_each_with_villages(tree: RegionTree) -> None:
    towns = tree.towns()
    assert len(towns) >= 20
    for town in towns:
        assert town.level == "town"
        assert town.parent == XIAOSHAN
        villages = tree.villages(town.code)
        assert 3 <= len(villages) <= 6, town.name
        assert all(village.level == "village" and village.parent == town.code for village in villages)
    assert len(tree.villages()) == sum(len(tree.villages(town.code)) for town in towns)
    assert len(tree) == 1 + len(towns) + len(tree.villages())


def test_real_town_and_street_names_are_present(tree: RegionTree) -> None:
    names = {town.name: town.code for town in tree.towns()}
    assert names["城厢街道"] == CHENGXIANG
    assert names["瓜沥镇"] == GUALI
    for name in ("北干街道", "蜀山街道", "宁围街道", "临浦镇", "义桥镇", "衙前镇", "党湾镇", "盈丰街道"):
        assert name in names
    assert len(names) == len(tree.towns())  # no duplicate names
    assert all(name.endswith(("街道", "镇")) for name in names)


def test_codes_are_consistent_with_parent_prefixes(tree: RegionTree) -> None:
    seen: set[str] = set()
    for region in tree:
        assert region.code not in seen
        seen.add(region.code)
        assert level_of(region.code) == region.level
        if region.parent is not None:
            parent = tree.get(region.parent)
            assert region.code.startswith(parent.code)
            assert len(region.code) == len(parent.code) + 3
            assert is_within(region.code, parent.code)
        assert region.name.strip() == region.name and region.name


def test_village_names_look_like_villages_or_communities(tree: RegionTree) -> None:
    for village in tree.villages():
        assert village.name.endswith(("村", "社区")), village.name
        # Statistical numbering: communities (居委会) 001-199, villages (村委会) 200-399.
        suffix = int(village.code[-3:])
        assert (1 <= suffix < 200) if village.name.endswith("社区") else (200 <= suffix < 400)


def test_navigation(tree: RegionTree) -> None:
    assert tree.get(XIANGHU).name == "湘湖社区"
    assert [region.code for region in tree.ancestors(XIANGHU)] == [XIAOSHAN, CHENGXIANG]
    assert tree.ancestors(XIAOSHAN) == ()
    assert tree.name_path(XIANGHU) == "萧山区/城厢街道/湘湖社区"
    assert tree.name_path(GUALI) == "萧山区/瓜沥镇"
    assert tree.name_path(XIAOSHAN) == "萧山区"
    assert tree.children(XIAOSHAN) == tree.towns()
    assert tree.children(XIANGHU) == ()
    assert "梅林村" in {village.name for village in tree.villages(GUALI)}
    descendants = tree.descendants(CHENGXIANG)
    assert descendants == tree.villages(CHENGXIANG)
    assert len(tree.descendants(XIAOSHAN)) == len(tree) - 1


def test_contains(tree: RegionTree) -> None:
    assert tree.contains(XIAOSHAN)
    assert tree.contains(GUALI)
    assert XIANGHU in tree
    assert not tree.contains("330109999")
    assert not tree.contains("330110")
    assert not tree.contains("not a code")
    assert not tree.contains(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["330109999", "330110", "330109001999", "abc", ""])
def test_unknown_codes_raise_unknown_region(tree: RegionTree, code: str) -> None:
    with pytest.raises(UnknownRegion):
        tree.get(code)
    with pytest.raises(UnknownRegion):
        tree.children(code)
    with pytest.raises(UnknownRegion):
        tree.ancestors(code)
    with pytest.raises(UnknownRegion):
        tree.name_path(code)
    assert issubclass(UnknownRegion, ValueError)


def test_villages_of_a_non_town_is_an_error(tree: RegionTree) -> None:
    with pytest.raises(ValueError, match="not a town"):
        tree.villages(XIAOSHAN)
    with pytest.raises(ValueError, match="not a town"):
        tree.villages(XIANGHU)


# --- loading other trees ----------------------------------------------------------------------------

SMALL = {
    "code": "330110",
    "name": "余杭区",
    "children": [
        {"code": "330110005", "name": "五常街道", "children": [{"code": "330110005001", "name": "甲社区"}]},
        {"code": "330110109", "name": "径山镇"},
    ],
}


def test_from_json_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "regions.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    tree = RegionTree.from_json(path)
    assert [town.name for town in tree.towns()] == ["五常街道", "径山镇"]
    assert tree.villages("330110109") == ()
    assert tree.name_path("330110005001") == "余杭区/五常街道/甲社区"
    assert RegionTree.from_json(str(path)).root.code == "330110"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "330110", "name": "余杭区", "children": [{"code": "330109001", "name": "x"}]}, "child of"),
        (
            {"code": "330110", "name": "余杭区", "children": [{"code": "330110001001", "name": "x"}]},
            "child of",
        ),
        ({"code": "330110001", "name": "街道"}, "not a district"),
        ({"code": "330110", "name": " "}, "no name"),
        ({"code": "3301100", "name": "x"}, "7 digits"),
        ({"code": "330110", "name": "x", "children": [{"name": "y"}]}, "needs a code"),
        ({"code": 330110, "name": "x"}, "must be strings"),
        (
            {
                "code": "330110",
                "name": "x",
                "children": [{"code": "330110001", "name": "a"}, {"code": "330110001", "name": "b"}],
            },
            "twice",
        ),
    ],
)
def test_bad_tree_data_is_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RegionTree.from_dict(data)


def test_tree_needs_exactly_one_root() -> None:
    with pytest.raises(ValueError, match="empty"):
        RegionTree([])
    with pytest.raises(ValueError, match="two roots"):
        RegionTree(
            [
                Region(code="330109", name="萧山区", level="district", parent=None),
                Region(code="330110", name="余杭区", level="district", parent=None),
            ]
        )


def test_region_level_must_match_code_length() -> None:
    with pytest.raises(ValueError, match="is a district by its length"):
        RegionTree([Region(code="330109", name="萧山区", level="town", parent=None)])


# --- pure prefix helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"), [("330109", "district"), ("330109001", "town"), ("330109001001", "village")]
)
def test_level_of(code: str, level: str) -> None:
    assert level_of(code) == level


@pytest.mark.parametrize(
    "code", ["", "33", "3301", "3301090", "33010900", "3301090010", "330109001001001", "33010a", "３30109"]
)
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidRegionCode):
        level_of(code)
    with pytest.raises(InvalidRegionCode):
        validate_region_code(code)
    assert issubclass(InvalidRegionCode, ValueError)


def test_validate_region_code_strips_whitespace() -> None:
    assert validate_region_code(" 330109001\n") == "330109001"
    with pytest.raises(InvalidRegionCode, match="7 digits"):
        validate_region_code("3301090")
    with pytest.raises(InvalidRegionCode, match="only digits"):
        validate_region_code("33-109")
    with pytest.raises(InvalidRegionCode, match="string"):
        validate_region_code(330109)  # type: ignore[arg-type]


def test_is_within() -> None:
    assert is_within("330109001001", "330109001")
    assert is_within("330109001001", "330109")
    assert is_within("330109001001", "330109001001")
    assert is_within("330109001", "3301")  # city scope
    assert is_within("330109001", "33")  # province scope
    assert not is_within("330109002001", "330109001")
    assert not is_within("330110001", "330109")
    assert not is_within("330109", "330109001")  # a district is not inside one of its towns


@pytest.mark.parametrize("scope", ["", "3", "33010", "3301090", "33010900a", "*"])
def test_malformed_scopes_are_refused_not_treated_as_everything(scope: str) -> None:
    with pytest.raises(InvalidRegionCode, match="scope"):
        is_within("330109001", scope)
    with pytest.raises(InvalidRegionCode, match="scope"):
        within_any("330109001", ["330109", scope])


def test_within_any() -> None:
    assert within_any("330109113201", ["330110", "330109113"])
    assert not within_any("330109113201", ["330110", "330109001"])
    assert not within_any("330109113201", [])
    assert within_any("330109113201", (scope for scope in ["330109"]))
    with pytest.raises(InvalidRegionCode):
        within_any("bad", ["330109"])


codes = st.sampled_from(["330109", "330110"]).flatmap(
    lambda district: st.lists(st.text(alphabet="0123456789", min_size=3, max_size=3), max_size=2).map(
        lambda parts: district + "".join(parts)
    )
)


@given(codes, codes)
def test_is_within_is_a_prefix_relation(code: str, scope: str) -> None:
    assert is_within(code, scope) == code.startswith(scope)
    assert is_within(code, code)
    assert within_any(code, [scope, code])
    if is_within(code, scope) and is_within(scope, code):
        assert code == scope


@given(codes)
def test_every_code_lies_within_its_own_prefixes(code: str) -> None:
    for length in (2, 4, 6, 9, 12):
        if length <= len(code):
            assert is_within(code, code[:length])
