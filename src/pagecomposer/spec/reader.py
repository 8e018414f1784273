"""Small typed readers over located YAML nodes; each failure is a SpecError at the value's place."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pagecomposer.errors import SpecError
from pagecomposer.spec.yamlnodes import Node
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
    return node.value


def boolean(node: Node) -> bool:
    if not isinstance(node.value, bool):
        raise SpecError(f"expected true or false, got {node.value!r}", node.where)
    return node.value


def integer(low: int | None = None, high: int | None = None) -> Callable[[Node], int]:
    def read(node: Node) -> int:
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise SpecError(f"expected a whole number, got {node.value!r}", node.where)
        _check_range(node, node.value, low, high)
        return node.value
    return read


def number(low: float | None = None, high: float | None = None) -> Callable[[Node], float]:
    def read(node: Node) -> float:
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise SpecError(f"expected a number, got {node.value!r}", node.where)
        _check_range(node, node.value, low, high)
        return float(node.value)
    return read


def length(low: float | None = None, high: float | None = None) -> Callable[[Node], float]:
    """A length in pt; accepts '12mm', '9pt', a bare number (points) or a 字号 name like 小五."""
    def read(node: Node) -> float:
        try:
            points = parse_length(node.value)
        except ValueError as exc:
            raise SpecError(str(exc), node.where) from None
        _check_range(node, points, low, high, unit="pt")
        return points
    return read


def _check_range(node: Node, value: float, low: float | None, high: float | None, unit: str = "") -> None:
    if low is not None and value < low:
        raise SpecError(f"value {node.value!r} is too small (at least {low:g}{unit})", node.where)
    if high is not None and value > high:
        raise SpecError(f"value {node.value!r} is too large (at most {high:g}{unit})", node.where)


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


def span(low: int, high: int, what: str) -> Callable[[Node], tuple[int, int]]:
    """A 1-based inclusive range: 3, '2-5' or [2, 5]; checked against low..high."""
    def read(node: Node) -> tuple[int, int]:
        value = node.value
        first = last = None
        if isinstance(value, int) and not isinstance(value, bool):
            first = last = value
        elif isinstance(value, str) and "-" in value:
            parts = value.split("-")
            if len(parts) == 2 and parts[0].strip().isdigit() and parts[1].strip().isdigit():
                first, last = int(parts[0]), int(parts[1])
        elif node.is_list and len(value) == 2 and all(isinstance(v.value, int) for v in value):
            first, last = value[0].value, value[1].value
        if first is None:
            raise SpecError(f"expected {what} as a number or a range like '2-5', got {value!r}", node.where)
        if first > last:
            raise SpecError(f"{what} range {value!r} runs backwards", node.where, f"write it as {last}-{first}")
        if first < low or last > high:
            raise SpecError(f"{what} {value!r} is outside this layout's {low}-{high}", node.where)
        return first, last
    return read
