"""A non-editable install, run from another folder, still finds the shipped fonts and layouts."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from tests.conftest import EXAMPLE, ROOT


def test_wheel_carries_fonts_and_layouts_and_builds_from_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("pagecomposer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "pagecomposer/_data/layouts/broadsheet.yaml" in names
    assert "pagecomposer/_data/fonts/NotoSerifSC-Regular.ttf" in names

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import pagecomposer; print(pagecomposer.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(target)), where  # the installed copy, not the checkout
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(EXAMPLE), "-o", "out"],
                            cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "out" / "A05.pdf").stat().st_size > 100_000
