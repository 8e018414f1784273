"""Proof against bad input: random copy and spec values give a page or a clean error, never a
traceback or a hang; hostile input is refused quickly; an interrupted build leaves the last good
output intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagecomposer.errors import PagecomposerError, SpecError
from pagecomposer.layout.flow import StoryFlow
from pagecomposer.layout.grid import Column, PageGrid
from pagecomposer.render.pdf import write_pdf
from pagecomposer.display import PageDisplay
from pagecomposer.spec.yamlnodes import load_yaml_text
from pagecomposer.story.markdown import parse_article
from tests.conftest import ROOT
from tests.test_spec_errors import _example_copy

# 40 examples each keeps CI to a minute or so; PAGECOMPOSER_FUZZ_EXAMPLES=1000 for a deeper search.
FUZZ = settings(max_examples=int(os.environ.get("PAGECOMPOSER_FUZZ_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

# Copy from anywhere: Han, punctuation, emoji, combining marks, right-to-left, control characters.
NASTY_TEXT = st.text(alphabet=st.one_of(
    st.sampled_from(list("中国人民，。、“”《》——……5G% abc")),
    st.sampled_from(["\U0001F600", "\u0301", "\u05D0", "\u0627", "\u200F", "\x00", "\x07", "\t", "\ufeff", "\u3000"]),
    st.characters(blacklist_categories=("Cs",)),
), min_size=0, max_size=300)


@pytest.fixture(scope="module")
def flow(broadsheet, fonts):
    return StoryFlow(PageGrid(broadsheet, 0.88), fonts, broadsheet.styles, broadsheet.swatches)


@FUZZ
@given(body=NASTY_TEXT, title=NASTY_TEXT)
def test_any_copy_gives_a_page_or_a_clean_error(flow, tmp_path_factory, body, title):
    text = f"---\ntitle: {title!r}\n---\n\n{body}\n"
    try:
        story = parse_article(text, "fuzz.md", "fuzz")
    except SpecError:
        return  # a clean, located error is a right answer
    columns = [Column(100.0 + i * 126, 117.0, 1, 30) for i in range(3)]
    result = flow.flow(story.body_blocks(with_byline=False), columns, story="fuzz")
    total = sum(len(b.text) for b in story.body_blocks(with_byline=False))
    assert result.set_chars + result.overset_chars == total
    page = PageDisplay("F", 500, 700, 8.5, list(result.items))
    if page.runs():
        out = tmp_path_factory.mktemp("fuzz") / "F.pdf"
        write_pdf([page], out)
        with pikepdf.open(out) as pdf:
            assert len(pdf.pages) == 1


SPEC_VALUES = st.one_of(st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=True),
                        st.text(max_size=20), st.booleans(), st.none(),
                        st.lists(st.integers(-5, 200), max_size=4),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


@FUZZ
@given(key=st.sampled_from(["columns: 1-8\n        lines: 26-69", "lines: 1-13", "headline_lines: 1",
                            "border_width: 3pt", "balance: true", "columns: 1-8\n        lines: 73-103"]),
       value=SPEC_VALUES)
def test_any_spec_value_gives_a_page_or_a_clean_error(tmp_path_factory, key, value):
    from pagecomposer.pipeline import compose_issue

    folder = tmp_path_factory.mktemp("spec")
    name = key.split(":")[0]
    replacement = f"{name}: {value!r}" if not isinstance(value, (list, dict)) else f"{name}: {value}"
    issue = _example_copy(folder, lambda t: t.replace(key, replacement, 1))
    try:
        compose_issue(issue)
    except PagecomposerError:
        pass  # a clean, located error


LAYOUT_KEYS = ["columns: 8", "chars_per_column: 13", "gutter_chars: 1", "lines_per_column: 103",
               "body_size: 小五", "line_gap: 4.5pt", "bleed: 3mm", "margins: {top: 30.5mm, left: 18.8mm}",
               "trim: {width: 390mm, height: 550mm}", "    size: 12pt", "line_height: 1.3", "indent: 2"]
NASTY_NUMBERS = st.one_of(st.sampled_from([0, -1, -13, 10**6, 10**9, 10**308, "0pt", "-5mm", "1e308pt", "nan",
                                           "inf", "0.0001mm", "[]", "{}", "*a", "&a 3", "!!binary aGk="]),
                          SPEC_VALUES)


@FUZZ
@given(key=st.sampled_from(LAYOUT_KEYS), value=NASTY_NUMBERS)
def test_any_layout_value_gives_a_page_or_a_clean_error(tmp_path_factory, key, value):
    """Zero or negative sizes, zero columns, huge numbers, wrong types in the layout: a page or a
    located error, quickly (a grid of a billion lines must not be walked line by line)."""
    from pagecomposer.pipeline import compose_issue

    folder = tmp_path_factory.mktemp("layout")
    issue = _example_copy(folder)
    (folder / "layouts").mkdir()
    name, _ = key.split(":", 1)
    replacement = f"{name}: {value}" if isinstance(value, str) else f"{name}: {value!r}"
    layout = (ROOT / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8").replace(key, replacement, 1)
    (folder / "layouts" / "broadsheet.yaml").write_text(layout, encoding="utf-8")
    started = time.perf_counter()
    try:
        compose_issue(issue)
    except PagecomposerError:
        pass  # a clean, located error
    assert time.perf_counter() - started < 30


def test_yaml_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [" + ", ".join([f"*{chr(96 + level)}"] * 10) + "]\n"
    started = time.perf_counter()
    with pytest.raises(SpecError, match="expands to more than"):
        load_yaml_text(bomb, "bomb.yaml")
    assert time.perf_counter() - started < 5


def test_a_control_character_in_yaml_is_located():
    """Found by the layout fuzzing: PyYAML refuses such text before parsing starts."""
    with pytest.raises(SpecError, match="U\\+001F") as caught:
        load_yaml_text("grid:\n  columns: \x1f\n", "layouts/broadsheet.yaml")
    assert caught.value.where.line == 2 and caught.value.where.column == 12


def test_deep_nesting_is_a_clean_error():
    with pytest.raises(SpecError, match="nested too deeply"):
        load_yaml_text("a: " + "[" * 5000 + "]" * 5000, "deep.yaml")


def test_huge_article_and_paragraph_are_refused(tmp_path):
    with pytest.raises(SpecError, match="too large"):
        parse_article("---\ntitle: x\n---\n\n" + "国" * 2_100_000, "big.md", "big")
    with pytest.raises(SpecError, match="a paragraph of over"):
        parse_article("---\ntitle: x\n---\n\n" + "国" * 30_000, "long.md", "long")


def test_a_100_mb_article_file_is_refused_before_it_is_read(tmp_path):
    from pagecomposer.story.markdown import load_article

    huge = tmp_path / "huge.md"
    with huge.open("wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    started = time.perf_counter()
    with pytest.raises(SpecError, match="too large"):
        load_article(huge, "huge", "articles/huge.md")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("raw", [b"\xed\xa0\x80", b"\xff\xfe", b"\xc3("], ids=["lone surrogate", "BOM-16", "cut"])
def test_text_that_is_not_utf8_is_a_located_error(tmp_path, raw):
    from pagecomposer.spec.yamlnodes import load_yaml_file
    from pagecomposer.story.markdown import load_article

    article = tmp_path / "bad.md"
    article.write_bytes("---\ntitle: 标题\n---\n\n正文".encode("utf-8") + raw)
    with pytest.raises(SpecError, match="not UTF-8 text") as caught:
        load_article(article, "bad", "articles/bad.md")
    assert "articles/bad.md" in str(caught.value) and "save the file as UTF-8" in str(caught.value)
    spec = tmp_path / "issue.yaml"
    spec.write_bytes(b"paper: " + raw + b"\n")
    with pytest.raises(SpecError, match="not UTF-8 text"):
        load_yaml_file(spec)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # the bomb is the point
def test_decompression_bomb_is_refused(tmp_path):
    from PIL import Image

    from pagecomposer.layout.pictures import source_info

    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 10000)).save(bomb)  # 200 megapixels in a few kilobytes
    with pytest.raises(SpecError, match="cannot read the image|more than"):
        source_info(bomb)


def test_yaml_never_constructs_objects():
    with pytest.raises(SpecError):
        load_yaml_text("a: !!python/object/apply:os.system ['echo pwned']", "evil.yaml")


def test_killed_build_leaves_the_last_good_output(tmp_path):
    edition = ROOT / "examples" / "edition" / "issue.yaml"
    out = tmp_path / "out"
    good = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(edition), "-o", str(out),
                           "--no-preflight"], capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    inodes = {name: (out / name).stat().st_ino for name in before}
    (out / ".pagecomposer-cache.json").unlink()  # so the second build really rewrites every page
    process = subprocess.Popen([sys.executable, "-m", "pagecomposer", "build", str(edition), "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # Kill it mid-way, provably: once some page file has been replaced (a new inode) and the
    # combined issue.pdf has not been yet. The workers are in its process group and die with it.
    deadline = time.monotonic() + 60
    replaced: list[str] = []
    while not replaced and time.monotonic() < deadline and process.poll() is None:
        replaced = [name for name, inode in inodes.items() if (out / name).stat().st_ino != inode]
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert replaced and "issue.pdf" not in replaced, "the build was not caught mid-way"
    for name, content in before.items():
        path = out / name
        assert path.exists(), name
        with pikepdf.open(path) as pdf:  # every output path holds a whole PDF: the old one or a new one
            assert len(pdf.pages) >= 1
        assert path.read_bytes() == content  # same inputs: the same bytes, whichever build wrote it
    # The killed build could not remove its temporary files; the next build does.
    again = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(edition), "-o", str(out),
                            "--no-preflight"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".partial")] == []


# Value and string families that once reached the composer as internal errors (issue 12): each is
# written as YAML would spell it, into a text, a number, a length or a date of the issue.
HOSTILE_VALUES = st.one_of(
    st.sampled_from([".nan", ".inf", "-.inf", "9" * 5000, "9" * 400, "-" + "9" * 400, "1e400",
                     "2021-02-30", "2021-13-01", "2021-03-05T25:00:00", '"2021-02-30"', '"\\ud800"',
                     '"\\udfff"', '"\\0"', '"a\\x07b"', '"\\x1b[31m"', "<<: {a: 1}", "'***'"]),
    st.builds(lambda code: '"\\u%04x"' % code, st.integers(0xD800, 0xDFFF)),
    st.builds(lambda code: '"\\x%02x"' % code, st.integers(0, 31).filter(lambda c: c not in (9, 10, 13))),
    st.builds(lambda digits: "9" * digits, st.integers(300, 6000)),
)
HOSTILE_KEYS = ["date: 2021-03-05", "section: 两会特稿", "headline_lines: 1", "columns: 1-8\n        lines: 1-13",
                "name: 郑州银行", "id: A05"]


@FUZZ
@given(key=st.sampled_from(HOSTILE_KEYS), value=HOSTILE_VALUES)
def test_hostile_values_are_a_clean_error_or_a_page(tmp_path_factory, key, value):
    from pagecomposer.spec.load import load_issue

    folder = tmp_path_factory.mktemp("hostile")
    name = key.split(":")[0]
    issue = _example_copy(folder, lambda t: "\n".join(
        line for line in t.replace(key, f"{name}: {value}", 1).split("\n") if not line.startswith("search_paths:")))
    try:
        load_issue(issue)
    except PagecomposerError as exc:
        assert exc.where is not None and exc.where.line, str(exc)  # located
        assert len(str(exc)) < 400  # a long value is quoted briefly
