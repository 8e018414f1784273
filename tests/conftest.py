from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The font caches of a test run live in a folder of their own, not in the user's cache folder
# (subprocesses started by tests inherit it).
os.environ.setdefault("PAGECOMPOSER_CACHE", tempfile.mkdtemp(prefix="pagecomposer-test-cache-"))

from pagecomposer.pipeline import build, compose_issue
from pagecomposer.spec.load import load_layout
from pagecomposer.text.fonts import FontSet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lianghui" / "issue.yaml"
SEED = ROOT / "tests" / "data" / "lianghui-page.txt"  # a copy of shared/seed/lianghui-page.txt
BROADSHEET = ROOT / "layouts" / "broadsheet.yaml"


@pytest.fixture(scope="session")
def broadsheet():
    return load_layout(BROADSHEET)


@pytest.fixture(scope="session")
def fonts(broadsheet):
    return FontSet(broadsheet.fonts)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The example issue built once for all tests that read its PDF."""
    out = tmp_path_factory.mktemp("out")
    return build(EXAMPLE, out)


@pytest.fixture(scope="session")
def example_pages():
    return compose_issue(EXAMPLE)[1]
