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


# Import names that differ from their distribution's name on PyPI.
DISTRIBUTION_OF = {"PIL": "pillow", "yaml": "pyyaml", "fontTools": "fonttools"}


def _third_party_imports() -> dict[str, str]:
    """Every top-level module a file under src/pagecomposer imports that is neither ours nor the
    standard library's, with one file that imports it."""
    import ast

    found: dict[str, str] = {}
    for path in sorted((ROOT / "src" / "pagecomposer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "pagecomposer" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_runtime_import_is_a_runtime_dependency():
    """A plain `pip install .` (no extras) has every module the commands import: `preview` once
    imported pypdfium2, which only the [test] extra installed."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
                for requirement in project["dependencies"]}
    missing = {module: where for module, where in _third_party_imports().items()
               if DISTRIBUTION_OF.get(module, module).lower().replace("_", "-") not in declared}
    assert not missing, f"imported but not in [project.dependencies]: {missing}"
