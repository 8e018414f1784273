"""Names and IDs a workflow trusts: subset tags unique to their font program, a trailer ID per file,
complete PDF/X-4 metadata, and an OutputIntent that says what profile it embeds."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pikepdf
import pytest

from pagecomposer.pipeline import build
from tests.conftest import ROOT
from tests.test_spec_errors import _layout_copy, _line_of, assert_clean_failure, run_build

EDITION = ROOT / "examples" / "edition" / "issue.yaml"
GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
GS_RGB = Path("/usr/share/color/icc/ghostscript/srgb.icc")
TAG = re.compile(r"^/([A-Z]{6})\+")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition")
    build(EDITION, out)
    return out


def _fonts(path: Path):
    """(name, digest of its program, its ToUnicode CMap bytes) of every embedded font in the file."""
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/FontDescriptor" in obj:
                descriptor = obj.FontDescriptor
                program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
                cmap = obj.ToUnicode.read_bytes() if "/ToUnicode" in obj else b""
                yield (str(obj.BaseFont), str(descriptor.FontName), hashlib.sha256(program.read_bytes()).hexdigest(),
                       cmap)


def test_no_subset_tag_is_shared_by_two_font_programs(edition):
    files = sorted(edition.glob("*.pdf"))
    assert (edition / "issue.pdf") in files and len(files) > 8
    across_edition = defaultdict(set)
    for path in files:
        in_file = defaultdict(set)
        for name, descriptor_name, digest, cmap in _fonts(path):
            assert TAG.match(name), name
            assert descriptor_name == name  # the descriptor and the ToUnicode CMap follow the new name
            if cmap and b"CMapName" in cmap:
                assert name[1:].encode() in cmap
            in_file[name].add(digest)
            across_edition[name].add(digest)
        shared = {name: digests for name, digests in in_file.items() if len(digests) > 1}
        assert not shared, (path.name, shared)
    assert not {name for name, digests in across_edition.items() if len(digests) > 1}
    # pdffonts, as the plant reads it, agrees: within issue.pdf one object per (name, program) at most.
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(edition / "issue.pdf")], capture_output=True, text=True).stdout
        names = [line.split()[0] for line in listing.splitlines()[2:]]
        assert names and all(TAG.match("/" + n) for n in names)


def test_trailer_ids_differ_per_page_and_per_issue(edition, tmp_path):
    first_ids = {}
    for path in sorted(edition.glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            first_ids[path.name] = bytes(pdf.trailer.ID[0])
    assert len(set(first_ids.values())) == len(first_ids), first_ids
    lianghui = build(ROOT / "examples" / "lianghui" / "issue.yaml", tmp_path / "other").outputs[0]
    with pikepdf.open(lianghui) as pdf:
        assert bytes(pdf.trailer.ID[0]) not in first_ids.values()


def test_an_edition_builds_byte_identical_twice(edition, tmp_path):
    build(EDITION, tmp_path / "again")
    for path in sorted(edition.glob("*.pdf")):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.fixture
def x4_issue(tmp_path):
    if not GS_CMYK.is_file():
        pytest.skip("needs a CMYK ICC profile (Ghostscript's default_cmyk.icc)")
    issue = _layout_copy(tmp_path, lambda t: t + "print:\n  icc_profile: press.icc\n")
    shutil.copy(GS_CMYK, tmp_path / "layouts" / "press.icc")
    return issue


def test_pdfx4_xmp_is_complete_and_agrees_with_info(x4_issue, tmp_path):
    built = build(x4_issue, tmp_path / "x4", pdfx="4")
    with pikepdf.open(built.outputs[0]) as pdf:
        info = pdf.docinfo
        with pdf.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:InstanceID"].startswith("uuid:")
            assert meta["xmpMM:DocumentID"] != meta["xmpMM:InstanceID"]
            assert meta["xmpMM:VersionID"] == "1" and meta["xmpMM:RenditionClass"] == "default"
            assert meta["dc:title"] == str(info.Title)
            assert meta["xmp:CreatorTool"] == str(info.Creator)
            assert meta["pdf:Producer"] == str(info.Producer)
            assert meta["pdf:Trapped"] == "False" and info.Trapped == pikepdf.Name("/False")
            assert meta["xmp:CreateDate"].startswith("2021-03-05") and str(info.CreationDate).startswith("D:20210305")
        intent = pdf.Root.OutputIntents[0]
        # The identifier and info say what the embedded profile is (its description), not IFRA26.
        assert str(intent.Info) == "Artifex CMYK SWOP Profile"
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 001"
        assert str(intent.RegistryName) == "http://www.color.org"


def test_issue_pdf_metadata_describes_the_edition(tmp_path):
    if not GS_CMYK.is_file():
        pytest.skip("needs a CMYK ICC profile")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # the edition places the lianghui ad too
    folder = tmp_path / "examples" / "edition"
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    (folder / "layouts").mkdir()
    (folder / "layouts" / "press-broadsheet.yaml").write_text(
        "base: broadsheet\nprint:\n  icc_profile: press.icc\n", encoding="utf-8")
    shutil.copy(GS_CMYK, folder / "layouts" / "press.icc")
    shutil.copytree(ROOT / "articles", tmp_path / "articles")  # where the copy's search_paths lead
    (folder / "issue.yaml").write_text(text.replace("layout: broadsheet", "layout: press-broadsheet"), encoding="utf-8")
    result = build(folder / "issue.yaml", tmp_path / "out", pdfx="4")
    assert len(result.outputs) > 1
    with pikepdf.open(tmp_path / "out" / "issue.pdf") as pdf, pdf.open_metadata() as meta:
        assert meta["dc:title"] == str(pdf.docinfo.Title) and "A0" not in meta["dc:title"]
        with pikepdf.open(result.outputs[0]) as page, page.open_metadata() as page_meta:
            assert meta["xmpMM:DocumentID"] != page_meta["xmpMM:DocumentID"]


def test_output_condition_that_contradicts_the_profile_is_an_error(tmp_path):
    if not GS_CMYK.is_file():
        pytest.skip("needs a CMYK ICC profile")
    issue = _layout_copy(tmp_path, lambda t: t + "print:\n  icc_profile: press.icc\n  output_condition: IFRA26\n")
    shutil.copy(GS_CMYK, tmp_path / "layouts" / "press.icc")
    line = _line_of(tmp_path / "layouts" / "broadsheet.yaml", "output_condition: IFRA26")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"broadsheet.yaml:{line}:", "IFRA26", "Artifex CMYK SWOP Profile")


def test_unregistered_condition_needs_its_profile_and_an_rgb_profile_is_refused(tmp_path):
    issue = _layout_copy(tmp_path, lambda t: t + "print:\n  output_condition: Our press 2024\n")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", "not in the ICC Characterization Data Registry", "icc_profile")
    if GS_RGB.is_file():
        text = (tmp_path / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8")
        (tmp_path / "layouts" / "broadsheet.yaml").write_text(
            text.replace("  output_condition: Our press 2024\n", "  icc_profile: rgb.icc\n"), encoding="utf-8")
        shutil.copy(GS_RGB, tmp_path / "layouts" / "rgb.icc")
        result = run_build(issue, tmp_path / "out")
        assert_clean_failure(result, tmp_path / "out", "rgb.icc", "not a CMYK output (printer) profile")
