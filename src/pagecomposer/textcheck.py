"""Text from a spec or an article checked for what no page can print, and quoted briefly in messages."""

from __future__ import annotations

import unicodedata
from typing import Any

# Line breaks and tabs are layout a writer types; every other C0/C1 control character, and a lone
# UTF-16 surrogate (a broken escape like "\ud800"), is a paste accident no font has a glyph for.
ALLOWED_CONTROLS = frozenset("\n\t\r")
MESSAGE_QUOTE_CHARS = 80


def unprintable_character(text: str) -> str | None:
    """A description of the first character in `text` no page can print, or None."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cs":
            return f"a lone surrogate U+{ord(char):04X} (character {index + 1})"
        if category == "Cc" and char not in ALLOWED_CONTROLS:
            return f"a control character U+{ord(char):04X} (character {index + 1})"
    return None


def plain_value(value: Any) -> Any:
    """A located YAML value (spec.yamlnodes.Node) as the plain data the user wrote."""
    plain = getattr(value, "plain", None)
    if callable(plain):
        return plain()
    if isinstance(value, list):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    return value


def quoted(value: Any, limit: int = MESSAGE_QUOTE_CHARS) -> str:
    """repr() of what the user wrote, cut to `limit` characters with … so a message stays one line."""
    try:
        text = repr(plain_value(value))
    except ValueError:  # an integer too long for Python to print
        text = "a number of thousands of digits"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def shortened(text: str, limit: int = MESSAGE_QUOTE_CHARS) -> str:
    """Text for a message, cut to `limit` characters with …."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
