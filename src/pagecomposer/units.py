"""Lengths. Internally everything is in PostScript points (1/72 inch, the 磅 of modern DTP)."""

from __future__ import annotations

import re

PT_PER_MM = 72 / 25.4
PT_PER_UNIT = {"pt": 1.0, "mm": PT_PER_MM, "cm": PT_PER_MM * 10, "in": 72.0}

# Chinese type sizes (字号) as desks name them, in points: the 号数制 table that Founder and
# Microsoft Word both use (初号 42pt … 八号 5pt).
CHINESE_SIZES = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*$")


def parse_length(value: object) -> float:
    """'12mm' / '9pt' / 9 (points) / '小五' -> points. Raises ValueError with a readable reason."""
    if isinstance(value, bool):
        raise ValueError("expected a length such as 12mm or 9pt, got a true/false value")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        if value.strip() in CHINESE_SIZES:
            return CHINESE_SIZES[value.strip()]
        match = _LENGTH.match(value)
        if match:
            return float(match.group(1)) * PT_PER_UNIT[match.group(2)]
    raise ValueError(f"expected a length such as 12mm, 9pt or 小五, got {value!r}")


def mm(points: float) -> float:
    return points / PT_PER_MM
