"""The demo households: who lives where, and the income each household should have.

Ten households in five towns, chosen so that this month's assessment shows every programme: lone
elders without income or labour capacity (特困), families under the 低保 standard, families between it
and the 低边 line, and families above it. Fixed ID-number sequences and birth dates, so every run names
the same people; ``per_capita`` is a multiple of the 低保 standard in force (0: no income at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from minzheng.relief.v1 import households_pb2 as pb

from services.kit.idcard import make_id_number

DISTRICT = "330109"
FULL, NONE = pb.LABOUR_CAPACITY_FULL, pb.LABOUR_CAPACITY_NONE


@dataclass(frozen=True)
class DemoPerson:
    """One member: a fixed ID-number sequence and birth date, so every run names the same person."""

    sequence: int
    born: date
    name: str
    relation: pb.Relation.ValueType
    capacity: pb.LabourCapacity.ValueType = FULL
    disability: int = 0
    earns: bool = False  # an earner: the household's income is split among its earners


@dataclass(frozen=True)
class DemoHousehold:
    """A household and the per-capita income it should have, as a multiple of the 低保 standard."""

    village: str
    address: str
    members: tuple[DemoPerson, ...]
    per_capita: Fraction  # 0: no income at all
    intended: str  # the programme the demo means it to fall in (for the log)


def _p(seq: int, born: str, name: str, relation: pb.Relation.ValueType, **extra: object) -> DemoPerson:
    return DemoPerson(seq, date.fromisoformat(born), name, relation, **extra)  # type: ignore[arg-type]


HEAD, SPOUSE, CHILD = pb.RELATION_HEAD, pb.RELATION_SPOUSE, pb.RELATION_CHILD
HOUSEHOLDS: tuple[DemoHousehold, ...] = (
    DemoHousehold(
        "330109001001",
        "湘湖路12号",
        (_p(901, "1944-03-08", "王阿毛", HEAD, capacity=NONE),),
        Fraction(0),
        "tekun",
    ),
    DemoHousehold(
        "330109002001",
        "江南星城3幢",
        (_p(902, "1939-11-20", "李金娣", HEAD, capacity=NONE, disability=2),),
        Fraction(0),
        "tekun",
    ),
    DemoHousehold(
        "330109001002",
        "俞家潭路5号",
        (
            _p(903, "1979-06-01", "张建国", HEAD, earns=True),
            _p(904, "1981-02-14", "陈美娟", SPOUSE, capacity=pb.LABOUR_CAPACITY_PARTIAL, disability=3),
            _p(905, "2012-09-01", "张小明", CHILD, capacity=NONE),
        ),
        Fraction(1, 2),
        "dibao",
    ),
    DemoHousehold(
        "330109003001",
        "蜀山路88号",
        (
            _p(906, "1975-04-10", "刘根法", HEAD, earns=True),
            _p(907, "2010-07-07", "刘小妹", CHILD, capacity=NONE),
        ),
        Fraction(3, 5),
        "dibao",
    ),
    DemoHousehold(
        "330109004201",
        "涝湖村4组",
        (
            _p(908, "1968-12-12", "杨炳水", HEAD, earns=True),
            _p(909, "1970-01-30", "黄凤仙", SPOUSE, earns=True),
        ),
        Fraction(4, 5),
        "dibao",
    ),
    DemoHousehold(
        "330109002002",
        "金城路21号",
        (
            _p(910, "1983-08-08", "赵志明", HEAD, earns=True),
            _p(911, "1985-05-05", "周月英", SPOUSE),
            _p(912, "2015-03-03", "赵国庆", CHILD, capacity=NONE),
        ),
        Fraction(3, 2),
        "dibian",
    ),
    DemoHousehold(
        "330109005201",
        "光明村7组",
        (
            _p(913, "1972-10-01", "吴建国", HEAD, earns=True),
            _p(914, "1998-06-18", "吴桂英", CHILD, earns=True),
        ),
        Fraction(6, 5),
        "dibian",
    ),
    DemoHousehold(
        "330109003002",
        "沈村12号",
        (
            _p(915, "1966-02-02", "徐国庆", HEAD, earns=True),
            _p(916, "1967-09-09", "孙秀英", SPOUSE, earns=True),
        ),
        Fraction(3),
        "none",
    ),
    DemoHousehold(
        "330109004001",
        "新塘路66号",
        (_p(917, "1988-01-01", "朱志明", HEAD, earns=True),),
        Fraction(5, 2),
        "none",
    ),
    DemoHousehold(
        "330109005001",
        "靖江路9号",
        (
            _p(918, "1955-05-20", "马阿毛", HEAD, capacity=NONE),
            _p(919, "1957-08-15", "胡月英", SPOUSE, capacity=NONE),
        ),
        Fraction(0),
        "tekun",
    ),
)


def id_number_of(p: DemoPerson) -> str:
    """The demo person's resident ID number (valid, the same on every run)."""
    return make_id_number(area_code=DISTRICT, birth_date=p.born, sequence=p.sequence)


@dataclass(frozen=True)
class DemoApplication:
    """An application the demo brings to a step: whose (the head's ID-number sequence), for what."""

    head_sequence: int
    items: tuple[str, ...]
    # submitted, reviewed, approved, rejected or appealed
    step: str


# One application in each step, on households whose assessment fits: the approvals are of the
# programme the household qualifies for (the service grants nothing else); the rejection and the
# appeal are of 低保 asked by households above the 低边 line.
APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication(901, ("tekun", "medical"), "approved"),
    DemoApplication(903, ("dibao", "education"), "approved"),
    DemoApplication(910, ("dibian",), "approved"),
    DemoApplication(906, ("dibao",), "reviewed"),
    DemoApplication(908, ("dibao", "temporary"), "submitted"),
    DemoApplication(913, ("dibian",), "submitted"),
    DemoApplication(915, ("dibao",), "rejected"),
    DemoApplication(917, ("dibao",), "appealed"),
)
