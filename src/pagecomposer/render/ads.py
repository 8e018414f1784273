"""Making a delivered PDF ad safe to print: a copy of its page prepared by Ghostscript.

What the ad holds was found when the page was laid out (layout/ad_inspect.py); here, as the page is
written, it is decided what to do about it, per the layout's print settings and the PDF/X version:

- live transparency under PDF/X-1a (a PDF 1.3 RIP ignores it): refused, or flattened by pdfwrite
  at CompatibilityLevel 1.3. Ghostscript then renders the whole page, text and vectors too, to one
  CMYK image at FLATTEN_DPI (Flate, lossless) — spot inks included, which become process;
- RGB, Lab or ICC-based RGB colour: converted to CMYK (ColorConversionStrategy=CMYK; the layout's
  icc_profile, if any, is passed as OutputICCProfile, though gs 10.00 gave the same values with
  two different CMYK profiles, so the conversion is in effect Ghostscript's default);
- spot inks, with spot_inks: process: mapped to CMYK through each ink's own alternate
  (PreserveSeparation=false, PreserveDeviceN=false); with keep, left as they are.

Every fix is a warning. The prepared page is inspected again: if Ghostscript left any of what it
was asked to remove, the build stops rather than print it. Prepared files are kept in the user's
cache folder (fontcache.cache_folder), keyed by the ad's bytes, the page, the fixes, the profile and
the Ghostscript version, so a rebuild does not run Ghostscript again; Ghostscript's output for the
same input is the same (the page content, which is all that is placed, carries no dates).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pikepdf

from pagecomposer import atomic
from pagecomposer.display import PageDisplay, Picture
from pagecomposer.errors import SpecError
from pagecomposer.fontcache import cache_folder, notice
from pagecomposer.layout.ad_inspect import AdFacts, AdFileError, inspect_pdf
from pagecomposer.layout.flow import Warning
from pagecomposer.spec.model import PrintSettings

FLATTEN_DPI = 720  # pdfwrite's own default resolution, named so the warning and the cache key can say it
FORMAT = 1  # bumped when the Ghostscript arguments change what a prepared file holds
GS_TIMEOUT = 600  # seconds: a flattened broadsheet page at 720 dpi takes tens of seconds, not minutes
ASK_FOR_X1A = "ask the advertiser for a PDF/X-1a file"


def ghostscript() -> str | None:
    return shutil.which("gs")


@lru_cache(maxsize=4)
def ghostscript_version(gs: str) -> str:
    try:
        return subprocess.run([gs, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def fixes_for(pic: Picture, settings: PrintSettings, pdfx: str) -> tuple[str, ...]:
    """What the ad needs before it may go on this page: flatten, cmyk, process (in that order)."""
    ad: AdFacts = pic.ad
    name = Path(pic.path).name
    fixes = []
    if ad.transparency and pdfx == "1a":  # PDF/X-4 pages may carry live transparency
        if settings.ad_transparency == "refuse":
            raise SpecError(f"{pic.label} {name} has live transparency: {'; '.join(ad.transparency[:3])}", pic.where,
                            f"{ASK_FOR_X1A} (flattened), or set print: {{ad_transparency: flatten}}")
        fixes.append("flatten")
    if ad.colour:  # ad_colour: refuse stopped the build when the page was laid out
        fixes.append("cmyk")
    elif ad.calibrated and pdfx == "1a":  # X-1a admits device colour only
        if settings.ad_colour == "refuse":
            raise SpecError(f"{pic.label} {name} has colour PDF/X-1a does not admit: {ad.calibrated[0]}", pic.where,
                            f"{ASK_FOR_X1A} (device CMYK), or set print: {{ad_colour: convert}}")
        fixes.append("cmyk")
    if ad.spots and settings.spot_inks == "process":
        fixes.append("process")
    return tuple(fixes)


def gs_arguments(fixes: tuple[str, ...], profile: str | None) -> list[str]:
    arguments = ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-r{FLATTEN_DPI}",
                 # 1.3 has no transparency, so pdfwrite flattens; 1.4 keeps it (PDF/X-4)
                 "-dCompatibilityLevel=" + ("1.3" if "flatten" in fixes else "1.4"),
                 # pdfwrite refuses an OutputICCProfile unless its colour model is named
                 "-sProcessColorModel=DeviceCMYK", "-sColorConversionStrategy=CMYK", "-dDeviceGrayToK=true",
                 "-dAutoRotatePages=/None",
                 # images kept at their resolution and re-encoded losslessly
                 "-dDownsampleColorImages=false", "-dDownsampleGrayImages=false", "-dDownsampleMonoImages=false",
                 "-dAutoFilterColorImages=false", "-dColorImageFilter=/FlateEncode",
                 "-dAutoFilterGrayImages=false", "-dGrayImageFilter=/FlateEncode"]
    if "process" in fixes:
        arguments += ["-dPreserveSeparation=false", "-dPreserveDeviceN=false"]
    if profile:
        arguments.append(f"-sOutputICCProfile={profile}")
    return arguments


def prepared_pdf(path: str, page: int, fixes: tuple[str, ...], profile: str | None) -> bytes:
    """The ad's page `page`, prepared by Ghostscript with `fixes`: a one-page PDF, from the cache
    when it was made before."""
    source = Path(path)
    stat = source.stat()
    return _prepared(source, page, fixes, profile, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _prepared(source: Path, page: int, fixes: tuple[str, ...], profile: str | None, size: int,
              mtime_ns: int) -> bytes:
    gs = ghostscript()
    if gs is None:
        raise RuntimeError("Ghostscript is not installed")  # checked by prepare_ads before
    data = source.read_bytes()
    profile_hash = hashlib.sha256(Path(profile).read_bytes()).hexdigest() if profile else None
    key = hashlib.sha256(repr((FORMAT, hashlib.sha256(data).hexdigest(), page, fixes, profile_hash,
                               gs_arguments(fixes, None), ghostscript_version(gs))).encode("utf-8")).hexdigest()
    folder = cache_folder()
    entry = folder / "ads" / f"{key[:32]}.pdf" if folder is not None else None
    if entry is not None:
        cached = _cached_ad(entry)
        if cached is not None:
            return cached
    with tempfile.TemporaryDirectory(prefix="pagecomposer-ad-") as scratch:
        target = Path(scratch) / "prepared.pdf"
        command = [gs, *gs_arguments(fixes, profile), f"-dFirstPage={page}", f"-dLastPage={page}",
                   f"-sOutputFile={target}", str(source)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=GS_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PreparationError(f"Ghostscript took more than {GS_TIMEOUT} s") from None
        if done.returncode != 0 or not target.is_file():
            said = (done.stderr or done.stdout).strip().splitlines()
            raise PreparationError(f"Ghostscript failed ({said[-1][:160] if said else f'exit {done.returncode}'})")
        prepared = target.read_bytes()
    if entry is not None:
        try:
            with atomic.replacing(entry) as temp:  # concurrent builds each write a whole entry
                temp.write_bytes(prepared)
        except OSError:
            pass  # no cache: Ghostscript runs again next build
    return prepared


def _cached_ad(entry: Path) -> bytes | None:
    """The prepared ad in the cache, if it is there and is what it claims: a one-page PDF that
    opens. Anything else (a torn write, a stray file) is removed with one warning and made again."""
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 1:
                return data
    except Exception:  # noqa: BLE001 — pikepdf raises several kinds on damaged bytes; all mean "remake"
        pass
    with contextlib.suppress(OSError):
        entry.unlink()
    notice(f"damaged entries in the prepared-ad cache {entry.parent} were discarded and made again")
    return None


class PreparationError(Exception):
    """Ghostscript could not prepare the ad, or left in it what it was to take out."""


def prepare_ads(display: PageDisplay, settings: PrintSettings, pdfx: str) -> list[Warning]:
    """Replace every PDF picture of the page that needs fixing by its prepared copy; the warnings
    say what was done to which ad."""
    warnings: list[Warning] = []
    for index, item in enumerate(display.items):
        if not (isinstance(item, Picture) and item.kind == "pdf" and item.ad is not None):
            continue
        fixes = fixes_for(item, settings, pdfx)
        if not fixes:
            continue
        profile = str(settings.icc_profile) if settings.icc_profile else None
        display.items[index] = _prepare(item, fixes, profile, pdfx)
        warnings += _fix_warnings(item, display.items[index], fixes, profile)
    return warnings


def _prepare(pic: Picture, fixes: tuple[str, ...], profile: str | None, pdfx: str) -> Picture:
    name = Path(pic.path).name
    if ghostscript() is None:
        refuse = {"flatten": "ad_transparency: refuse", "cmyk": "ad_colour: refuse", "process": "spot_inks: keep"}
        raise SpecError(f"{pic.label} {name} needs Ghostscript to be made printable ({', '.join(_done(f) for f in fixes)})",
                        pic.where, "install Ghostscript (apt-get install ghostscript), or set print: {"
                        + ", ".join(refuse[f] for f in fixes) + "}")
    try:
        data = prepared_pdf(pic.path, pic.page, fixes, profile)
        after = inspect_pdf(Path(pic.path), 1, data=data)
        left = _left_over(pic.ad, after, fixes, pdfx)
    except (PreparationError, AdFileError) as exc:
        raise SpecError(f"{pic.label} {name} could not be made printable: {exc}", pic.where, ASK_FOR_X1A) from None
    if left:
        raise SpecError(f"{pic.label} {name} could not be made printable: after Ghostscript it still has {left}",
                        pic.where, ASK_FOR_X1A)
    return dataclasses.replace(pic, page=1, rotate=after.rotate, box=after.visible, inks=after.inks, ad=after,
                               prepared=(pic.page, fixes, profile))


def _left_over(before: AdFacts, after: AdFacts, fixes: tuple[str, ...], pdfx: str) -> str:
    """What the prepared page still has that it should not: '' when it is clean."""
    if pdfx == "1a" and after.transparency:
        return "live transparency: " + after.transparency[0]
    if after.colour:
        return after.colour[0]
    if pdfx == "1a" and after.calibrated:
        return after.calibrated[0]
    if "process" in fixes and after.spots:
        return "spot ink " + after.spots[0]
    if after.unembedded_fonts:
        return "font " + after.unembedded_fonts[0] + " not embedded"
    if any(abs(a - b) > 0.5 for a, b in zip(before.size, after.size)):  # Ghostscript turns the page upright
        return f"a page of {after.size[0]:.1f} x {after.size[1]:.1f} pt instead of {before.size[0]:.1f} x {before.size[1]:.1f}"
    return ""


def _done(fix: str) -> str:
    return {"flatten": "transparency to flatten", "cmyk": "colour to convert to CMYK",
            "process": "spot inks to map to process"}[fix]


def _fix_warnings(before: Picture, after: Picture, fixes: tuple[str, ...], profile: str | None) -> list[Warning]:
    name = Path(before.path).name
    ad: AdFacts = before.ad
    said = []
    if "flatten" in fixes and after.ad.image_pixels > ad.image_pixels:
        said.append((f"{before.label} {name}: live transparency ({'; '.join(ad.transparency[:3])}) flattened by "
                     f"Ghostscript: the whole page is now one {FLATTEN_DPI} dpi CMYK image, its text and vectors "
                     "too", f"{ASK_FOR_X1A} to keep them sharp, or set print: {{ad_transparency: refuse}}"))
    elif "flatten" in fixes:  # e.g. a transparency group around opaque content: nothing to composite
        said.append((f"{before.label} {name}: live transparency ({'; '.join(ad.transparency[:3])}) removed by "
                     "Ghostscript, which found nothing to composite: the ad stays vectors and text",
                     f"{ASK_FOR_X1A}, or set print: {{ad_transparency: refuse}}"))
    if "cmyk" in fixes:
        # gs 10.00's pdfwrite took the profile but gave the same values with two different ones:
        # the warning does not claim the press profile was used.
        given = f", given {Path(profile).name} as output profile" if profile else ""
        said.append((f"{before.label} {name}: {'; '.join((ad.colour or ad.calibrated)[:3])} converted to device "
                     f"CMYK by Ghostscript{given}",
                     f"{ASK_FOR_X1A} for colour the advertiser approved, or set print: {{ad_colour: refuse}}"))
    if "process" in fixes:
        said.append((f"{before.label} {name}: spot ink {', '.join(ad.spots)} mapped to process (CMYK, through the "
                     "ink's own alternate)", "set print: {spot_inks: keep} to print it on a plate of its own"))
    else:
        lost = [spot for spot in ad.spots if spot not in after.inks]
        if lost:
            said.append((f"{before.label} {name}: spot ink {', '.join(lost)} could not be kept: flattening "
                         "renders it in CMYK", f"{ASK_FOR_X1A} without transparency to keep the spot plate"))
    return [Warning(before.where, message, hint) for message, hint in said]
