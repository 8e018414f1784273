"""YAML loaded with its source positions, so every later check can say file:line:col.

Only PyYAML's SafeLoader is used (no arbitrary object construction). We keep PyYAML's node tree
instead of plain dicts because plain dicts forget where each value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pagecomposer.errors import SourceLocation, SpecError
from pagecomposer.textcheck import quoted, unprintable_character

# Limits that keep a hostile or broken file from taking unbounded time or memory: a YAML alias bomb
# (a few lines that expand to billions of values) or a file nobody meant to give us.
MAX_YAML_BYTES = 5_000_000
MAX_YAML_VALUES = 200_000


@dataclass
class Node:
    """A YAML value with the place it was written."""

    value: Any  # str/int/float/bool/None for scalars; dict[str, Node] or list[Node] otherwise
    where: SourceLocation
    key_where: dict[str, SourceLocation] = field(default_factory=dict)  # mappings only

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value without positions (for data that needs no further checking)."""
        if self.is_map:
            return {k: v.plain() for k, v in self.value.items()}
        if self.is_list:
            return [v.plain() for v in self.value]
        return self.value


def _where(path: str, mark: yaml.Mark) -> SourceLocation:
    return SourceLocation(path, mark.line + 1, mark.column + 1)


class _Budget:
    def __init__(self, path: str):
        self.path = path
        self.left = MAX_YAML_VALUES

    def spend(self, node: yaml.Node) -> None:
        self.left -= 1
        if self.left < 0:
            raise SpecError(f"the YAML expands to more than {MAX_YAML_VALUES:,} values (aliases repeating "
                            "aliases?)", _where(self.path, node.start_mark), "write the values out; a spec is small")


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: str, budget: _Budget) -> Node:
    budget.spend(node)
    where = _where(path, node.start_mark)
    if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith("tag:yaml.org,2002:python/"):
        # Nothing in a spec is ever turned into an object or run: a tag like !!python/… is refused.
        raise SpecError(f"YAML tag '{node.tag}' is not allowed in a spec", where, "remove the tag")
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Node] = {}
        keys: dict[str, SourceLocation] = {}
        for key_node, value_node in node.value:
            key_where = _where(path, key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SpecError("YAML merge keys ('<<:') are not supported in a spec", key_where,
                                "write the keys out (a layout can build on another with 'base:')")
            key = _scalar(key_node, loader, key_where)
            if not isinstance(key, str):
                raise SpecError(f"keys must be text, got {quoted(key)}", key_where)
            if key in values:
                raise SpecError(f"key '{key}' is given twice (first at line {keys[key].line})", key_where,
                                "remove one of them")
            values[key] = _convert(value_node, loader, path, budget)
            keys[key] = key_where
        return Node(values, where, keys)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, loader, path, budget) for item in node.value], where)
    return Node(_scalar(node, loader, where), where)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader, where: SourceLocation) -> Any:
    """A scalar's value, refused at its place when YAML cannot make one (2021-02-30, hour 25, an
    integer of thousands of digits) or when it is text no page can print (a lone surrogate, NUL)."""
    try:
        value = loader.construct_object(node)
    except ValueError as exc:  # datetime's and int's own checks
        kind = "date" if node.tag.endswith(":timestamp") else "number"
        raise SpecError(f"{quoted(node.value)} is not a valid {kind}: {exc}", where,
                        "write a real date as YYYY-MM-DD" if kind == "date" else "write a number of sensible size") from None
    if isinstance(value, str):
        bad = unprintable_character(value)
        if bad is not None:
            raise SpecError(f"text {quoted(value)} holds {bad}", where, "delete it (pasted by accident?)")
    return value


def load_yaml_text(text: str, path: str) -> Node:
    text = text.removeprefix("\ufeff")  # a byte order mark some editors save: not content
    if len(text) > MAX_YAML_BYTES:
        raise SpecError(f"{len(text):,} characters is too large for a spec (at most {MAX_YAML_BYTES:,})",
                        SourceLocation(path), "is this the right file?")
    try:
        loader = yaml.SafeLoader(text)  # checks the text for characters YAML does not allow
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise SpecError(f"a character YAML does not allow in a text file: U+{exc.character:04X}",
                        SourceLocation(path, line, column), "delete it (a control character pasted by accident?)") from None
    try:
        root = loader.get_single_node()
        if root is None:
            return Node({}, SourceLocation(path, 1, 1))
        return _convert(root, loader, path, _Budget(path))
    except RecursionError:
        raise SpecError("the YAML is nested too deeply", SourceLocation(path), "a spec needs a few levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _where(path, mark) if mark else SourceLocation(path)
        problem = exc.problem or "invalid YAML"
        raise SpecError(f"YAML syntax error: {problem}", where,
                        "check indentation and that every 'key: value' has a space after the colon") from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        raise SpecError(f"YAML syntax error: {exc}", SourceLocation(path)) from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path, shown_as: str | None = None) -> Node:
    name = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"file not found: {name}", None) from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"not UTF-8 text (byte {exc.start})", SourceLocation(name),
                        "save the file as UTF-8") from None
    return load_yaml_text(text, name)
