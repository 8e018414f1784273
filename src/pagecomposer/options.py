"""Small parsers for command-line values shared by several commands."""

from __future__ import annotations


def parse_kinds(text: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """'crop,registration' -> ('crop', 'registration'); an unknown name is a ValueError that lists the choices."""
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in allowed]
    if unknown:
        raise ValueError(f"unknown {what} '{unknown[0]}': choose from {', '.join(allowed)}")
    return kinds
