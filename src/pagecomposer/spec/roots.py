"""The folders a build may read from, and the check that every input path stays inside them.

An issue arrives from reporters, advertisers and the newsroom system: semi-trusted. A path in it
(`../`, an absolute path, a symlink) must not reach files elsewhere on the machine and copy them
into a PDF. So every input is resolved (symlinks followed) and must lie under one of the roots:
the issue file's folder, the folders its `search_paths` names, and the shipped fonts and layouts;
a layout also reads from its own folder and the font folders it is documented to search.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pagecomposer import resources
from pagecomposer.errors import SpecError, SourceLocation

ALLOW_HINT = ("move the file under the issue's folder, or add the folder holding it to the issue's "
              "search_paths: (a list of folders, relative to the issue file)")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Roots:
    """Resolved folders; a path is allowed when, resolved, it lies in one of them."""

    folders: tuple[Path, ...]

    @classmethod
    def of(cls, *folders: Path) -> Roots:
        return cls(tuple(dict.fromkeys(folder.resolve() for folder in folders)))

    @classmethod
    def shipped(cls) -> Roots:
        return cls.of(resources.fonts_dir(), resources.layouts_dir())

    def plus(self, *folders: Path) -> Roots:
        return Roots.of(*self.folders, *folders)

    def contains(self, path: Path) -> bool:
        return any(path.is_relative_to(folder) for folder in self.folders)

    def confine(self, path: Path, what: str, written: str, where: SourceLocation | None) -> Path:
        """`path` resolved, or a SpecError at `where` naming what was written and where it leads."""
        resolved = path.resolve()
        if not self.contains(resolved):
            leads = "" if written == str(resolved) else f" (it leads to {_shown(resolved)})"
            raise SpecError(f"{what} '{written}' is outside the folders this issue may read{leads}", where,
                            ALLOW_HINT)
        return resolved
