"""Money (DESIGN §3): integer fen (分), never float; yuan only as exact text or Decimal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic_core import core_schema

_YUAN = re.compile(r"^-?\d+(\.\d{1,2})?$")


def yuan_to_fen(amount: str | Decimal | int) -> int:
    """Exact yuan → integer fen: ``"2571.00"`` → 257100; floats and sub-fen amounts are refused."""
    # bool is an int subclass; True yuan is a bug, not 100 fen.
    if isinstance(amount, bool) or isinstance(amount, float):
        raise TypeError(
            f"money must not be a {type(amount).__name__} ({amount!r}): floats cannot hold 0.01 exactly; "
            f"pass a string such as '{amount}' or a Decimal"
        )
    if isinstance(amount, int):
        return amount * 100
    if isinstance(amount, str):
        text = amount.strip()
        if not _YUAN.match(text):
            raise ValueError(f"money {amount!r} must be yuan with at most 2 decimals, e.g. '2571.00'")
        return int(Decimal(text) * 100)
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ValueError(f"money {amount} is not a finite amount")
        fen = amount * 100
        if fen != fen.to_integral_value():
            raise ValueError(f"money {amount} has fractions of a fen")
        return int(fen)
    raise TypeError(f"money must be a yuan string, Decimal or int, not {type(amount).__name__}")


@dataclass(frozen=True, order=True)
class Money:
    """An amount in integer fen (分); ``str`` shows yuan (``¥2,571.00``), ``text`` is ``"2571.00"``."""

    fen: int

    def __post_init__(self) -> None:
        if type(self.fen) is not int:
            raise TypeError(f"Money.fen must be an int, not {type(self.fen).__name__}")

    @classmethod
    def from_yuan(cls, amount: str | Decimal | int) -> Money:
        """Money from a yuan amount (see ``yuan_to_fen``)."""
        return cls(yuan_to_fen(amount))

    @property
    def yuan(self) -> Decimal:
        """The amount in yuan, exact."""
        return Decimal(self.fen) / 100

    @property
    def text(self) -> str:
        """Plain yuan with two decimals, e.g. ``"2571.00"`` (what YAML and JSON carry)."""
        sign = "-" if self.fen < 0 else ""
        whole, cents = divmod(abs(self.fen), 100)
        return f"{sign}{whole}.{cents:02d}"

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen - other.fen)

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __mul__(self, times: int) -> Money:
        # Only whole multiples (months, persons): a fractional factor needs an explicit rounding rule.
        if type(times) is not int:
            return NotImplemented
        return Money(self.fen * times)

    __rmul__ = __mul__

    def __str__(self) -> str:
        sign = "-" if self.fen < 0 else ""
        whole, cents = divmod(abs(self.fen), 100)
        return f"{sign}¥{whole:,}.{cents:02d}"

    @classmethod
    def _validate(cls, raw: Any) -> Money:
        if isinstance(raw, Money):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            # In a policy file 2571 could be yuan or fen, and 2571.5 is a float: make the writer say.
            raise ValueError(f"write money as a quoted yuan amount such as '{raw}', not a bare number")
        if isinstance(raw, str | Decimal):
            return cls.from_yuan(raw)
        raise ValueError(f"money must be a quoted yuan amount such as '2571.00', not {type(raw).__name__}")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        """Validate from a yuan string; serialise back to one (``"2571.00"``)."""
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(lambda m: m.text)
        )
