"""Where the shipped fonts and layouts are, for an editable checkout and an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries them inside the package (see pyproject's force-include); a checkout or an
    # editable install has them at the top of the repository, two levels above src/pagecomposer.
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / name


def fonts_dir() -> Path:
    return _data_dir("fonts")


def layouts_dir() -> Path:
    return _data_dir("layouts")
