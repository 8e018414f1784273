"""Small typed readers over located YAML nodes; each failure is a SpecError at the value's place."""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pagecomposer.errors import SpecError
from pagecomposer.spec.yamlnodes import Node
from pagecomposer.textcheck import quoted, unprintable_character
from pagecomposer.units import parse_length

T = TypeVar("T")
_MISSING = object()

TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
              list: "a list", dict: "a mapping (key: value lines)", type(None): "nothing"}


def describe(value: Any) -> str:
    return TYPE_NAMES.get(type(value), type(value).__name__)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_name_error(kind: str, name: str, choices: Iterable[str], node: Node) -> SpecError:
    choices = sorted(choices)
    guess = did_you_mean(name, choices)
    hint = f"did you mean '{guess}'?" if guess else ("known: " + ", ".join(choices) if choices else None)
    return SpecError(f"unknown {kind} '{name}'", node.where, hint)


class MapReader:
    """Reads one YAML mapping: rejects unknown keys (with a did-you-mean), types each value."""

    def __init__(self, node: Node, what: str, keys: Iterable[str], required: Iterable[str] = ()):
        if not node.is_map:
            raise SpecError(f"{what} must be {TYPE_NAMES[dict]}, got {describe(node.value)}", node.where)
        self.node = node
        self.what = what
        self.keys = list(keys)
        for key in node.value:
            if key not in self.keys:
                guess = did_you_mean(key, self.keys)
                hint = f"did you mean '{guess}'?" if guess else "allowed keys: " + ", ".join(self.keys)
                raise SpecError(f"unknown key '{key}' in {what}", node.key_where[key], hint)
        for key in required:
            if key not in node.value:
                raise SpecError(f"{what} needs the key '{key}'", node.where,
                                f"add '{key}: …' (see docs/spec.md)")

    def has(self, key: str) -> bool:
        return key in self.node.value

    def node_of(self, key: str) -> Node:
        return self.node.value[key]

    def get(self, key: str, read: Callable[[Node], T], default: Any = _MISSING) -> T:
        if key not in self.node.value:
            if default is _MISSING:
                raise SpecError(f"{self.what} needs the key '{key}'", self.node.where)
            return default
        return read(self.node.value[key])


# --- value readers: Node -> python value -------------------------------------------------

def text(node: Node) -> str:
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return str(node.value)  # a date or a number where text is wanted is harmless
    if not isinstance(node.value, str):
        if node.value is not None and hasattr(node.value, "isoformat"):
            return node.value.isoformat()  # YAML turns 2021-03-05 into a date
        raise SpecError(f"expected text, got {describe(node.value)}", node.where)
    bad = unprintable_character(node.value)
    if bad is not None:  # yamlnodes refuses these already; a Node built elsewhere is checked too
        raise SpecError(f"text {quoted(node.value)} holds {bad}", node.where, "delete it (pasted by accident?)")
    return node.value


_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def date(node: Node) -> str:
    """An issue date as YYYY-MM-DD. YAML makes 2021-03-05 a date itself (and refuses 2021-02-30,
    see yamlnodes); a quoted "2021-02-30" is checked here. Other text (2021年3月5日) is kept as written."""
    if isinstance(node.value, datetime.datetime):
        return node.value.date().isoformat()
    if isinstance(node.value, datetime.date):
        return node.value.isoformat()
    value = text(node).strip()
    match = _ISO_DATE.match(value)
    if match:
        try:
            day = datetime.date(*(int(part) for part in match.group(0).split("-")))
            if match.end() < len(value):
                datetime.datetime.fromisoformat(value)
        except ValueError as exc:
            raise SpecError(f"{quoted(value)} is not a real date: {exc}", node.where,
                            "write the issue date as YYYY-MM-DD") from None
        return day.isoformat()
    return value


def boolean(node: Node) -> bool:
    if not isinstance(node.value, bool):
        raise SpecError(f"expected true or false, got {quoted(node.value)}", node.where)
    return node.value


def integer(low: int | None = None, high: int | None = None) -> Callable[[Node], int]:
    def read(node: Node) -> int:
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise SpecError(f"expected a whole number, got {quoted(node.value)}", node.where)
        _check_range(node, node.value, low, high)
        return node.value
    return read


def number(low: float | None = None, high: float | None = None) -> Callable[[Node], float]:
    def read(node: Node) -> float:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise SpecError(f"expected a number, got {quoted(node.value)}", node.where)
        _check_finite(node, node.value)
        _check_range(node, node.value, low, high)
        return _as_float(node, node.value)
    return read


def length(low: float | None = None, high: float | None = None) -> Callable[[Node], float]:
    """A length in pt; accepts '12mm', '9pt', a bare number (points) or a 字号 name like 小五."""
    def read(node: Node) -> float:
        _check_finite(node, node.value)
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            _check_range(node, node.value, low, high, unit="pt")  # before float() could overflow
        try:
            points = parse_length(node.value)
        except (ValueError, OverflowError) as exc:
            raise SpecError(str(exc) if isinstance(exc, ValueError) else f"length {quoted(node.value)} is too large",
                            node.where) from None
        _check_finite(node, points)
        _check_range(node, points, low, high, unit="pt")
        return points
    return read


# No length or number in a spec comes near this; a larger one is a typo (and float() of a longer
# integer overflows), refused at its place.
LARGEST_NUMBER = 1e12


def _check_finite(node: Node, value) -> None:
    """NaN compares false with every bound, so it would pass any range check: refused first."""
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(f"{quoted(node.value)} is not a number a page can use", node.where, "write a finite number")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > LARGEST_NUMBER:
        raise SpecError(f"value {quoted(node.value)} is far too large", node.where, "write a number of sensible size")


def _as_float(node: Node, value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        raise SpecError(f"value {quoted(node.value)} is far too large", node.where) from None


def _check_range(node: Node, value: float, low: float | None, high: float | None, unit: str = "") -> None:
    if low is not None and value < low:
        raise SpecError(f"value {quoted(node.value)} is too small (at least {low:g}{unit})", node.where)
    if high is not None and value > high:
        raise SpecError(f"value {quoted(node.value)} is too large (at most {high:g}{unit})", node.where)


def choice(options: Iterable[str]) -> Callable[[Node], str]:
    options = list(options)

    def read(node: Node) -> str:
        value = text(node)
        if value not in options:
            raise unknown_name_error("value", value, options, node)
        return value
    return read


def list_of(read_item: Callable[[Node], T], min_items: int = 0) -> Callable[[Node], list[T]]:
    def read(node: Node) -> list[T]:
        if not node.is_list:
            raise SpecError(f"expected a list, got {describe(node.value)}", node.where)
        if len(node.value) < min_items:
            raise SpecError(f"expected at least {min_items} item(s)", node.where)
        return [read_item(item) for item in node.value]
    return read


def text_or_list(node: Node) -> list[str]:
    """'serif' or [serif, sans]: a one-item shorthand for lists of names."""
    if node.is_list:
        return list_of(text, 1)(node)
    return [text(node)]


def _is_small_whole_number(part: str) -> bool:
    """ASCII digits only ('²' is a digit to str.isdigit, not to int()), few enough for int()."""
    part = part.strip()
    return part.isascii() and part.isdigit() and len(part) <= 9


def span(low: int, high: int, what: str) -> Callable[[Node], tuple[int, int]]:
    """A 1-based inclusive range: 3, '2-5' or [2, 5]; checked against low..high."""
    def read(node: Node) -> tuple[int, int]:
        value = node.value
        first = last = None
        if isinstance(value, int) and not isinstance(value, bool):
            first = last = value
        elif isinstance(value, str) and "-" in value:
            parts = value.split("-")
            if len(parts) == 2 and all(_is_small_whole_number(part) for part in parts):
                first, last = int(parts[0]), int(parts[1])
        elif node.is_list and len(value) == 2 and all(isinstance(v.value, int) for v in value):
            first, last = value[0].value, value[1].value
        if first is None:
            raise SpecError(f"expected {what} as a number or a range like '2-5', got {quoted(value)}", node.where)
        if first > last:
            raise SpecError(f"{what} range {quoted(value)} runs backwards", node.where, f"write it as {last}-{first}")
        if first < low or last > high:
            raise SpecError(f"{what} {quoted(value)} is outside this layout's {low}-{high}", node.where)
        return first, last
    return read
