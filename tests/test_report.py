"""What the build reports: overset stories (never dropped text) and characters no font has."""

from __future__ import annotations

import subprocess
import sys

from pagecomposer.pipeline import compose_issue
from tests.test_spec_errors import _example_copy, run_build


def _shrink_story_frame(text: str) -> str:
    return text.replace("{columns: 1-8, lines: 26-69}", "{columns: 1-8, lines: 26-40}")


def test_overset_is_reported_and_accounted_for(tmp_path):
    issue = _example_copy(tmp_path, _shrink_story_frame)
    _, pages = compose_issue(issue)
    story = pages[0].stories[0]
    flow = story.flow
    assert flow.overset_chars > 1000
    assert flow.overset_lines > 50
    # Every source character is either on the page or counted as overset.
    from pagecomposer.story.markdown import load_article
    article = load_article(tmp_path / "articles" / "lianghui-chanye.md", "x", "x.md")
    total = sum(len(block.text) for block in article.body_blocks(with_byline=True))
    assert flow.set_chars + flow.overset_chars == total

    result = run_build(issue, tmp_path / "out")
    assert result.returncode == 0
    assert "story 'lianghui-chanye' is overset" in result.stderr
    assert f"{flow.overset_chars} characters" in result.stderr
    assert "overset: A05/lianghui-chanye" in result.stdout
    strict = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(issue), "-o",
                             str(tmp_path / "out2"), "--strict"], capture_output=True, text=True)
    assert strict.returncode == 3


def test_a_character_no_font_has_is_named_and_set_as_geta(tmp_path):
    issue = _example_copy(tmp_path)
    article = tmp_path / "articles" / "lianghui-chanye.md"
    text = article.read_text(encoding="utf-8").replace("产业是城市发展的重要引擎。", "产业是城市发展的重要引擎\U0001F600。")
    article.write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "\U0001F600" in l)
    result = run_build(issue, tmp_path / "out")
    assert result.returncode == 0
    assert f"lianghui-chanye.md:{line}" in result.stderr
    assert "U+1F600" in result.stderr
    assert "story 'lianghui-chanye', paragraph 1" in result.stderr
    _, pages = compose_issue(issue)
    lead = "".join(r.text for r in pages[0].display.runs("lead"))
    assert "引擎〓。" in lead
