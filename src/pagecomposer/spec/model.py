"""The validated spec as plain dataclasses. All lengths in points, all ranges 1-based inclusive."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pagecomposer.errors import SourceLocation

from pagecomposer.display import Ink  # noqa: E402  (a swatch is an ink)

CMYK = Ink


@dataclass(frozen=True)
class Grid:
    """The column and baseline grid, as a desk counts it: characters and lines."""

    body_size: float  # pt; one character of body text is body_size wide
    line_gap: float  # pt between one line's em box and the next's
    columns: int
    chars_per_column: int  # 每栏字数
    gutter_chars: int  # 栏间距, in characters
    lines_per_column: int

    @property
    def pitch(self) -> float:
        """Baseline-to-baseline distance."""
        return self.body_size + self.line_gap

    @property
    def column_width(self) -> float:
        return self.chars_per_column * self.body_size

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.body_size

    @property
    def chars_per_line_total(self) -> int:
        return self.columns * self.chars_per_column + (self.columns - 1) * self.gutter_chars

    @property
    def type_area_width(self) -> float:
        return self.chars_per_line_total * self.body_size

    @property
    def type_area_height(self) -> float:
        # From the top of the first line's em box to the bottom of the last one's.
        return self.lines_per_column * self.pitch - self.line_gap


@dataclass(frozen=True)
class Style:
    name: str
    fonts: tuple[str, ...]  # font keys: the first is the face, the rest the fallback chain
    size: float
    color: str = "black"
    bold_fonts: tuple[str, ...] = ()
    align: str = "justify"  # justify | left | center | right
    indent: float = 0.0  # first-line indent in em of this style
    tracking: float = 0.0  # extra space between characters, in em (display type)
    line_height: float = 1.0  # for display styles: baseline distance in multiples of size + gap
    grid_lines: int = 0  # headings: how many grid lines a heading line takes (0: as needed)
    space_before: int = 0  # grid lines of space above (headings)
    space_after: int = 0
    # Chinese composition rules (see text/cjk.py and text/shaping.py):
    prohibition: str = "gb"  # none | basic | gb | strict: line-start/line-end rules (禁则)
    punctuation: str = "gb"  # gb | quanjiao | banjiao | kaiming: punctuation widths
    autospace: float = 0.25  # em between Han and Latin letters or digits
    hanging: bool = False  # let ，。、 hang past the measure (行末点号悬挂)
    breaker: str = "optimal"  # optimal (total fit) | first-fit
    condense_min: float = 1.0  # display type too wide may be condensed (长体) down to this width
    fit_min: float = 0.7  # …and then reduced down to this share of its size before it is reported


@dataclass(frozen=True)
class PrintSettings:
    """What the printing plant asks of this layout's pages."""

    ink_limit: float = 240.0  # total area coverage, percent (ISO 12647-3 coldset newsprint: 240 %)
    min_ppi: float = 200.0  # effective resolution of placed images at their printed size
    rgb_images: str = "refuse"  # refuse | convert (through icc_profile)
    icc_profile: Path | None = None  # the press's CMYK characterization, e.g. ISOnewspaper26v4.icc
    output_condition: str = "IFRA26"  # registered characterization name for the PDF/X OutputIntent
    output_condition_info: str = "ISO 12647-3 coldset offset on newsprint (IFRA26)"
    output_condition_set: bool = False  # the layout named the output condition itself (else: from the profile)
    ink_area: float = 1.5  # mm: side of the square over which total ink is averaged (docs/print.md)
    plates: int | None = None  # printing units per page; None: four process plates + the layout's spot swatches
    spot_inks: str = "process"  # a delivered ad's own spot inks: keep | process | refuse
    ad_transparency: str = "flatten"  # a delivered ad with live transparency under X-1a: flatten | refuse
    ad_colour: str = "convert"  # a delivered ad's RGB, Lab or ICC-based colour: convert | refuse


@dataclass(frozen=True)
class Layout:
    name: str
    path: Path
    trim_width: float
    trim_height: float
    bleed: float
    margin_top: float
    margin_left: float
    grid: Grid
    fonts: dict[str, Path]
    swatches: dict[str, CMYK]
    styles: dict[str, Style]
    source: str = ""  # where the figures come from (for the docs and the report)
    print: PrintSettings = field(default_factory=lambda: PrintSettings())
    templates: dict = field(default_factory=dict)  # name -> element nodes (spec.yamlnodes.Node)

    @property
    def spot_inks(self) -> list[str]:
        """The spot inks (专色) the layout's own swatches name, in order, each once."""
        return list(dict.fromkeys(ink.spot for ink in self.swatches.values() if ink.spot))

    @property
    def plates(self) -> int:
        """Printing plates a page may use: the layout's setting, else four process plates and one
        per spot ink of the layout's swatches."""
        return self.print.plates if self.print.plates is not None else 4 + len(self.spot_inks)

    @property
    def type_area_left(self) -> float:
        return self.margin_left

    @property
    def type_area_top(self) -> float:
        return self.margin_top


@dataclass(frozen=True)
class Area:
    """A rectangle on the grid: basic columns and grid lines (1-based, inclusive).

    An element placed in mm keeps its exact rectangle (`rect`: x, y, width, height in pt from the
    trim's top-left); `columns` and `lines` are then the grid cells inside it, where text flows."""

    columns: tuple[int, int]
    lines: tuple[int, int]
    where: SourceLocation | None = None
    rect: tuple[float, float, float, float] | None = None
    span: int = 1  # 长栏: text columns each this many basic columns wide
    split: int = 0  # 破栏: the area's basic columns re-divided into this many text columns (0: not split)


@dataclass(frozen=True)
class AdLine:
    text: str
    style: str
    color: str | None = None


@dataclass(frozen=True)
class AdElement:
    area: Area
    name: str
    background: str | None
    border: str | None
    border_width: float
    text: tuple[AdLine, ...]
    file: Path | None = None  # an ad delivered as a file (PDF/X, JPEG, PNG, TIFF): placed as it is
    fit: str = "fit"
    page: int | None = None  # which page of a PDF file (1-based); None: the file must have one page
    where: SourceLocation | None = None


@dataclass(frozen=True)
class ImageElement:
    """A photo with its caption (图片说明) on the grid lines under it."""

    area: Area
    file: Path
    fit: str  # fit (all of it, letterboxed) | fill (cover the frame, cut at its edges)
    crop: tuple[float, float, float, float]  # left, top, right, bottom, fractions of the source
    caption: str
    caption_lines: int
    where: SourceLocation | None = None
    page: int | None = None  # which page of a PDF file (1-based); None: the file must have one page


@dataclass(frozen=True)
class HeadlineElement:
    area: Area
    article: str
    headline_lines: int  # 1 or 2: how the title is set
    kicker_box: str | None  # swatch for a reversed-out kicker box, or None
    align: str
    rule_below: str | None
    style: str = "headline"  # the headline's style (a lesser story takes a smaller one)


@dataclass(frozen=True)
class StoryElement:
    article: str
    frames: tuple[Area, ...]
    byline: str  # end | none
    where: SourceLocation | None = None
    balance: bool = False  # 齐栏: shorten the last frame's columns evenly to what the text needs
    box: str | None = None  # 框: a rule of this swatch around the story's frames


@dataclass(frozen=True)
class RuleElement:
    area: Area
    color: str
    width: float
    position: str  # top | bottom | middle


@dataclass(frozen=True)
class FolioElement:
    """The page head (版头) in the top margin: paper and date, section name, page number."""

    section: str
    credits: str  # e.g. 责任编辑 … 美术编辑 …
    color: str
    where: SourceLocation | None = None




@dataclass(frozen=True)
class QuoteElement:
    """A pull quote (引语) inside a story: set between two rules; the story's text wraps around it."""

    area: Area
    text: str
    color: str
    where: SourceLocation | None = None


@dataclass(frozen=True)
class MastheadElement:
    """The front page's 报头: the paper's name, and beside it the date, issue number, page count and
    weather (the ear ad slots, 报眼, are ordinary ads placed beside it)."""

    area: Area
    color: str
    where: SourceLocation | None = None


Element = (AdElement | HeadlineElement | StoryElement | RuleElement | FolioElement | ImageElement | MastheadElement
           | QuoteElement)


@dataclass(frozen=True)
class PageSpec:
    id: str
    layout: Layout
    elements: tuple[Element, ...]
    where: SourceLocation | None = None
    number: int = 1  # the page's number in the edition (第X版), from `number:` or the digits of its id
    section: str = ""  # 版名, shown by a folio that names none
    credits: str = ""  # 责任编辑 …, shown by a folio that names none


@dataclass(frozen=True)
class IssueSpec:
    path: Path
    paper: str
    date: str
    pages: tuple[PageSpec, ...]
    articles: dict[str, Path] = field(default_factory=dict)  # article name -> file
    issue_number: str = ""  # 第…期
    weather: str = ""
