"""Diagnostics the desk can act on: every problem names a file, a line and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    path: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class PagecomposerError(Exception):
    """An error the user caused and can fix; printed without a traceback."""

    def __init__(self, message: str, where: SourceLocation | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SpecError(PagecomposerError):
    """Something wrong in issue.yaml, a layout or an article's front matter."""


class FontError(PagecomposerError):
    """A font file is missing, unreadable or not usable for PDF embedding."""
