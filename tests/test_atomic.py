"""Atomic replacement: a target holds the old file or the new one, and leftovers of dead writers go."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pagecomposer import atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "A01.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic.replacing(target) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("the build failed here")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A01.pdf"]
    with atomic.replacing(target) as temp:
        temp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A01.pdf"]


def test_only_the_leftovers_of_dead_writers_are_removed(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    of_dead = tmp_path / f".A01.pdf.{dead}.x1y2z3.partial"
    of_living = tmp_path / f".A02.pdf.{os.getppid()}.a1b2c3.partial"
    mine = tmp_path / f".A03.pdf.{os.getpid()}.q1w2e3.partial"
    unrelated = tmp_path / ".hidden.partial"
    for path in (of_dead, of_living, mine, unrelated):
        path.write_bytes(b"")
    assert atomic.remove_leftovers(tmp_path) == [of_dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (of_living, mine, unrelated))
