"""issue.yaml + layouts/*.yaml -> IssueSpec, with every path resolved and every name checked."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from pagecomposer import resources
from pagecomposer.display import Ink
from pagecomposer.errors import SpecError
from pagecomposer.icc import ProfileError, families_named_by, read_profile, registered
from pagecomposer.spec import reader as r
from pagecomposer.units import PT_PER_MM
from pagecomposer.spec.roots import Roots
from pagecomposer.spec.model import (
    AdElement, AdLine, Area, FolioElement, Grid, HeadlineElement, ImageElement, MastheadElement, PrintSettings,
    QuoteElement, IssueSpec, Layout, PageSpec, RuleElement,
    StoryElement, Style,
)
from pagecomposer.spec.yamlnodes import Node, load_yaml_file

# A length that should be whole characters may be off by float noise, never by more.
WHOLE_CHAR_TOLERANCE_PT = 0.01
ALIGNMENTS = ("justify", "left", "center", "right")


def shown_path(path: Path) -> str:
    """Paths in messages relative to the working directory when possible: what the user typed."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- layouts --------------------------------------------------------------------------------

def _whole_chars(node: Node, points: float, body: float, what: str) -> int:
    count = points / body
    if abs(count - round(count)) * body > WHOLE_CHAR_TOLERANCE_PT:
        lower, upper = int(count), int(count) + 1
        raise SpecError(
            f"{what} of {points:.2f}pt is {count:.3f} characters of {body:g}pt body type; "
            "a desk grid must come out to whole characters", node.where,
            f"use {lower} characters ({lower * body:.2f}pt) or {upper} ({upper * body:.2f}pt)")
    return round(count)


def _read_grid(node: Node) -> Grid:
    g = r.MapReader(node, "grid", ["body_size", "line_gap", "columns", "chars_per_column", "gutter_chars",
                                   "column_width", "gutter", "lines_per_column"],
                    required=["body_size", "line_gap", "columns", "lines_per_column"])
    body = g.get("body_size", r.length(4, 30))
    # Desks give the column in characters (每栏字数); a column in mm is accepted only if it is whole
    # characters, since a fractional column cannot hold justified CJK lines of square characters.
    if g.has("chars_per_column") == g.has("column_width"):
        raise SpecError("grid needs exactly one of 'chars_per_column' and 'column_width'", node.where)
    if g.has("chars_per_column"):
        chars = g.get("chars_per_column", r.integer(2, 80))
    else:
        chars = _whole_chars(g.node_of("column_width"), g.get("column_width", r.length(10)), body, "column_width")
    if g.has("gutter_chars") and g.has("gutter"):
        raise SpecError("grid takes 'gutter_chars' or 'gutter', not both", node.where)
    if g.has("gutter"):
        gutter = _whole_chars(g.node_of("gutter"), g.get("gutter", r.length(0)), body, "gutter")
    else:
        gutter = g.get("gutter_chars", r.integer(0, 10), 1)
    return Grid(body_size=body, line_gap=g.get("line_gap", r.length(0, 30)),
                columns=g.get("columns", r.integer(1, 20)), chars_per_column=chars, gutter_chars=gutter,
                lines_per_column=g.get("lines_per_column", r.integer(1, 400)))


RESERVED_SEPARATIONS = {"all": "every plate (registration colour)", "none": "no plate at all (it prints nothing)",
                        **{name.casefold(): f"the {name} process plate" for name in ("Cyan", "Magenta", "Yellow", "Black")}}


def _read_cmyk(node: Node) -> Ink:
    """[C, M, Y, K] in percent, or {cmyk: [...], spot: 名称} for a spot colour (专色)."""
    spot = None
    if node.is_map:
        m = r.MapReader(node, "spot colour", ["cmyk", "spot"], required=["cmyk", "spot"])
        spot = m.get("spot", r.text)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.-]*", spot):
            raise SpecError(f"spot colour name '{spot}' must be plain ASCII (letters, digits, - _ .)",
                            m.node_of("spot").where, "name it as the plant's ink is named, e.g. Masthead-Red")
        if spot.casefold() in RESERVED_SEPARATIONS:
            # ISO 32000-1 8.6.6.4: /All paints every plate (registration), /None none, and a
            # process name is that process plate: none of them is a spot ink of its own.
            raise SpecError(f"'{spot}' names {RESERVED_SEPARATIONS[spot.casefold()]}, not a spot ink",
                            m.node_of("spot").where, "name the ink as the plant does, e.g. Masthead-Red")
        node = m.node_of("cmyk")
    values = r.list_of(r.number(0, 100))(node)
    if len(values) != 4:
        raise SpecError(f"a CMYK swatch is four percentages [C, M, Y, K], got {len(values)} values", node.where)
    return Ink(*(v / 100 for v in values), spot=spot)


def _read_print(node: Node | None, layout_path: Path, roots: Roots | None = None) -> PrintSettings:
    if node is None:
        return PrintSettings()
    p = r.MapReader(node, "print", ["ink_limit", "min_ppi", "rgb_images", "icc_profile", "output_condition",
                                    "output_condition_info", "ink_area", "plates", "spot_inks", "ad_transparency",
                                    "ad_colour"])
    profile = None
    if p.has("icc_profile"):
        profile = (roots or Roots.of(layout_path.parent)).confine(
            layout_path.parent / p.get("icc_profile", r.text), "ICC profile", p.get("icc_profile", r.text),
            p.node_of("icc_profile").where)
        if not profile.is_file():
            raise SpecError(f"ICC profile '{p.get('icc_profile', r.text)}' not found", p.node_of("icc_profile").where,
                            "give the path relative to the layout file")
    defaults = PrintSettings()
    settings = PrintSettings(
        ink_limit=p.get("ink_limit", r.number(100, 400), defaults.ink_limit),
        min_ppi=p.get("min_ppi", r.number(50, 2400), defaults.min_ppi),
        rgb_images=p.get("rgb_images", r.choice(("refuse", "convert")), defaults.rgb_images),
        icc_profile=profile,
        output_condition=p.get("output_condition", r.text, defaults.output_condition),
        output_condition_info=p.get("output_condition_info", r.text, defaults.output_condition_info),
        output_condition_set=p.has("output_condition"),
        ink_area=p.get("ink_area", r.length(0.25, 150), defaults.ink_area * PT_PER_MM) / PT_PER_MM,  # '1.5mm'; kept in mm
        plates=p.get("plates", r.integer(1, 12), None),
        spot_inks=p.get("spot_inks", r.choice(("keep", "process", "refuse")), defaults.spot_inks),
        ad_transparency=p.get("ad_transparency", r.choice(("flatten", "refuse")), defaults.ad_transparency),
        ad_colour=p.get("ad_colour", r.choice(("convert", "refuse")), defaults.ad_colour))
    settings = _resolve_output_condition(settings, p)
    if settings.rgb_images == "convert" and profile is None:
        raise SpecError("rgb_images: convert needs the press's CMYK profile", p.node_of("rgb_images").where,
                        "add icc_profile: <file>.icc, or refuse RGB images")
    return settings


def _resolve_output_condition(settings: PrintSettings, p: r.MapReader) -> PrintSettings:
    """The OutputIntent's identifier and info agree with the profile embedded: taken from the
    profile's description when the layout names none, an error when the two name different
    printing conditions (the plant would proof to one and plate to the other)."""
    condition, info = settings.output_condition, settings.output_condition_info
    if settings.icc_profile is not None:
        try:
            profile = read_profile(settings.icc_profile)
        except ProfileError as exc:
            raise SpecError(f"ICC profile '{settings.icc_profile.name}' is {exc}", p.node_of("icc_profile").where,
                            "give the press's CMYK output profile (e.g. ISOnewspaper26v4.icc)") from None
        if settings.output_condition_set:
            named, described = registered(condition), families_named_by(profile.description)
            if named and described and named.family not in described:
                raise SpecError(f"output_condition '{condition}' ({named.description}) is not what the ICC profile "
                                f"'{settings.icc_profile.name}' characterizes ('{profile.description}')",
                                p.node_of("output_condition").where,
                                "name the condition the profile was made for, or embed that condition's profile")
        else:
            condition = profile.registered_as.identifier if profile.registered_as else "Custom"
        if not p.has("output_condition_info"):
            info = profile.description
    elif settings.output_condition_set:
        named = registered(condition)
        if named is None:
            raise SpecError(f"output_condition '{condition}' is not in the ICC Characterization Data Registry, "
                            "so its ICC profile must be embedded", p.node_of("output_condition").where,
                            "add icc_profile: <the press's profile>.icc, or name a registered condition such as IFRA26")
        if not p.has("output_condition_info"):
            info = named.description
    return replace(settings, output_condition=condition, output_condition_info=info)


STYLE_KEYS = ["inherit", "font", "bold_font", "size", "color", "align", "indent", "tracking", "line_height",
              "grid_lines", "space_before", "space_after", "prohibition", "punctuation", "autospace", "hanging",
              "breaker", "condense_min", "fit_min"]
PROHIBITION_LEVELS = ("none", "basic", "gb", "strict")
PUNCTUATION_SCHEMES = ("gb", "quanjiao", "banjiao", "kaiming")
BREAKERS = ("optimal", "first-fit")


def _read_styles(node: Node, fonts: dict[str, Path], swatches: dict) -> dict[str, Style]:
    if not node.is_map:
        raise SpecError("styles must be a mapping of style names", node.where)
    styles: dict[str, Style] = {}
    for name, style_node in node.value.items():
        s = r.MapReader(style_node, f"style '{name}'", STYLE_KEYS)
        base = None
        if s.has("inherit"):
            parent = s.get("inherit", r.text)
            if parent not in styles:
                raise r.unknown_name_error("style to inherit from (define it above this one)", parent,
                                           styles, s.node_of("inherit"))
            base = styles[parent]
        for key in ("font", "bold_font"):
            if s.has(key):
                for font_node in (s.node_of(key).value if s.node_of(key).is_list else [s.node_of(key)]):
                    if r.text(font_node) not in fonts:
                        raise r.unknown_name_error("font", r.text(font_node), fonts, font_node)
        if s.has("color") and r.text(s.node_of("color")) not in swatches:
            raise r.unknown_name_error("colour swatch", r.text(s.node_of("color")), swatches, s.node_of("color"))
        if base is None and not (s.has("font") and s.has("size")):
            raise SpecError(f"style '{name}' needs 'font' and 'size' (or 'inherit')", style_node.where)

        def pick(key, read, fallback):
            return s.get(key, read, getattr(base, fallback) if base else _DEFAULTS[fallback])

        styles[name] = Style(
            name=name,
            fonts=tuple(pick("font", r.text_or_list, "fonts")),
            size=pick("size", r.length(3, 400), "size"),
            color=pick("color", r.text, "color"),
            bold_fonts=tuple(pick("bold_font", r.text_or_list, "bold_fonts")),
            align=pick("align", r.choice(ALIGNMENTS), "align"),
            indent=pick("indent", r.number(0, 10), "indent"),
            tracking=pick("tracking", r.number(-0.5, 2), "tracking"),
            line_height=pick("line_height", r.number(0.5, 5), "line_height"),
            grid_lines=pick("grid_lines", r.integer(0, 20), "grid_lines"),
            space_before=pick("space_before", r.integer(0, 20), "space_before"),
            space_after=pick("space_after", r.integer(0, 20), "space_after"),
            prohibition=pick("prohibition", r.choice(PROHIBITION_LEVELS), "prohibition"),
            punctuation=pick("punctuation", r.choice(PUNCTUATION_SCHEMES), "punctuation"),
            autospace=pick("autospace", r.number(0, 1), "autospace"),
            hanging=pick("hanging", r.boolean, "hanging"),
            breaker=pick("breaker", r.choice(BREAKERS), "breaker"),
            condense_min=pick("condense_min", r.number(0.5, 1.0), "condense_min"),
            fit_min=pick("fit_min", r.number(0.3, 1.0), "fit_min"),
        )
    return styles


_DEFAULTS = {"fonts": (), "size": 9.0, "color": "black", "bold_fonts": (), "align": "justify", "indent": 0.0,
             "tracking": 0.0, "line_height": 1.0, "grid_lines": 0, "space_before": 0, "space_after": 0,
             "prohibition": "gb", "punctuation": "gb", "autospace": 0.25, "hanging": False, "breaker": "optimal",
             "condense_min": 1.0, "fit_min": 0.7}

REQUIRED_STYLES = ("body", "heading", "lead", "byline", "kicker", "headline", "subtitle", "folio", "folio-section",
                   "caption", "masthead", "masthead-info", "jump", "pullquote")


def _find_font(node: Node, search: list[Path], roots: Roots) -> Path | None:
    """The first of the search folders holding the font file, resolved; a candidate outside the
    roots is not looked at (nothing outside is even probed), and an error if no other is found."""
    name, outside = r.text(node), None
    for folder in search:
        candidate = (folder / name).resolve()
        if not roots.contains(candidate):
            outside = outside or folder / name
        elif candidate.is_file():
            return candidate
    if outside is not None:
        roots.confine(outside, "font file", name, node.where)
    return None


LAYOUT_KEYS = ["base", "name", "source", "page", "grid", "fonts", "swatches", "styles", "print", "templates"]
MERGED_SECTIONS = ("page", "grid", "fonts", "swatches", "styles", "print", "templates")


def _merge(base: Node, child: Node) -> Node:
    """A preset built on another layout: its sections' entries replace the base's, one level deep,
    so a tabloid can change the page and grid and keep the broadsheet's fonts, colours and styles.
    Every value keeps the file and line it was written at."""
    values = dict(base.value)
    keys = dict(base.key_where)
    for key, node in child.value.items():
        if key in MERGED_SECTIONS and key in values and node.is_map and values[key].is_map:
            node = Node({**values[key].value, **node.value}, node.where,
                        {**values[key].key_where, **node.key_where})
        values[key] = node
        keys[key] = child.key_where[key]
    values.pop("base", None)
    return Node(values, child.where, keys)


def _layout_root(path: Path, roots: Roots, seen: tuple[Path, ...] = ()) -> Node:
    root = load_yaml_file(path, shown_path(path))
    if not root.is_map or "base" not in root.value:
        return root
    base_node = root.value["base"]
    base_name = r.text(base_node)
    base_path = roots.confine(path.parent / f"{base_name}.yaml", "base layout", base_name, base_node.where)
    if not base_path.is_file():
        base_path = roots.confine(resources.layouts_dir() / f"{base_name}.yaml", "base layout", base_name,
                                  base_node.where)
    if not base_path.is_file():
        raise SpecError(f"base layout '{r.text(base_node)}' not found", base_node.where,
                        "name a layout file beside this one, without .yaml")
    if base_path in seen:
        raise SpecError("layouts are based on each other in a circle", base_node.where)
    return _merge(_layout_root(base_path, roots, seen + (path.resolve(),)), root)


def load_layout(path: Path, roots: Roots | None = None) -> Layout:
    """The layout at `path`. It reads files from its own folder, the font folders below, the shipped
    fonts and layouts, and the issue's roots (`roots`, when an issue uses it)."""
    font_search = [path.parent.parent / "fonts", path.parent / "fonts", resources.fonts_dir()]
    roots = (roots or Roots.shipped()).plus(path.parent, *font_search)
    root = _layout_root(path, roots)
    top = r.MapReader(root, "layout", LAYOUT_KEYS, required=["name", "page", "grid", "fonts", "swatches", "styles"])
    page = r.MapReader(top.node_of("page"), "page", ["trim", "bleed", "margins"], required=["trim", "margins"])
    trim = r.MapReader(page.node_of("trim"), "trim", ["width", "height"], required=["width", "height"])
    margins = r.MapReader(page.node_of("margins"), "margins", ["top", "left"], required=["top", "left"])
    grid = _read_grid(top.node_of("grid"))

    fonts: dict[str, Path] = {}
    fonts_node = top.node_of("fonts")
    if not fonts_node.is_map:
        raise SpecError("fonts must map font names to font files", fonts_node.where)
    for key, file_node in fonts_node.value.items():
        found = _find_font(file_node, font_search, roots)
        if found is None:
            raise SpecError(f"font file '{r.text(file_node)}' not found", file_node.where,
                            "looked in: " + ", ".join(shown_path(p) for p in font_search))
        fonts[key] = found

    swatches_node = top.node_of("swatches")
    if not swatches_node.is_map:
        raise SpecError("swatches must map names to [C, M, Y, K] percentages", swatches_node.where)
    swatches = {name: _read_cmyk(value) for name, value in swatches_node.value.items()}
    print_settings = _read_print(top.node_of("print") if top.has("print") else None, path, roots)
    for name, ink in swatches.items():
        if ink.coverage > print_settings.ink_limit + 1e-6:
            raise SpecError(f"swatch '{name}' has {ink.coverage:.0f}% total ink; this layout's limit is "
                            f"{print_settings.ink_limit:.0f}%", swatches_node.value[name].where,
                            "take cyan, magenta or yellow out (rich black: 40/30/30/100 = 200%)")
    for needed in ("black", "paper"):
        if needed not in swatches:
            raise SpecError(f"swatches need a '{needed}' entry", swatches_node.where)
    styles = _read_styles(top.node_of("styles"), fonts, swatches)
    for needed in REQUIRED_STYLES:
        if needed not in styles:
            raise SpecError(f"styles need a '{needed}' style", top.node_of("styles").where)

    layout = Layout(
        name=top.get("name", r.text), path=path, source=top.get("source", r.text, ""),
        trim_width=trim.get("width", r.length(50, 2000)), trim_height=trim.get("height", r.length(50, 3000)),
        bleed=page.get("bleed", r.length(0, 30), 3 * 72 / 25.4),
        margin_top=margins.get("top", r.length(0)), margin_left=margins.get("left", r.length(0)),
        grid=grid, fonts=fonts, swatches=swatches, styles=styles, print=print_settings,
        templates=_read_templates(top.node_of("templates") if top.has("templates") else None))
    _check_fits(layout, page.node)
    return layout


def _read_templates(node: Node | None) -> dict[str, tuple[Node, ...]]:
    """Named lists of page elements (a front page's masthead, an inner page's folio). They are read
    as elements when a page uses them, with the page's own checks and messages."""
    if node is None:
        return {}
    if not node.is_map:
        raise SpecError("templates must map template names to lists of elements", node.where)
    templates = {}
    for name, elements in node.value.items():
        if not elements.is_list:
            raise SpecError(f"template '{name}' must be a list of elements", elements.where)
        templates[name] = tuple(elements.value)
    return templates


def _check_fits(layout: Layout, where: Node) -> None:
    g = layout.grid
    right = layout.margin_left + g.type_area_width
    bottom = layout.margin_top + g.type_area_height
    if right > layout.trim_width or bottom > layout.trim_height:
        raise SpecError(
            f"the type area ({g.type_area_width:.1f} x {g.type_area_height:.1f}pt from the margins) does not "
            f"fit the trim ({layout.trim_width:.1f} x {layout.trim_height:.1f}pt)", where.where,
            "reduce columns, characters per column or lines, or the margins")


# --- issue ----------------------------------------------------------------------------------

ELEMENT_TYPES = ("ad", "headline", "story", "rule", "folio", "image", "masthead", "quote")
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf")
FITS = ("fit", "fill")


AREA_KEYS = ["columns", "lines", "x", "y", "width", "height"]
GRID_EDGE_TOLERANCE_PT = 0.5


def _area(node: Node, reader: r.MapReader, layout: Layout) -> Area:
    """An element's place: grid columns and lines, or x/y/width/height in mm from the trim's top-left."""
    grid = layout.grid
    free = [key for key in ("x", "y", "width", "height") if reader.has(key)]
    if not free:
        for key in ("columns", "lines"):
            if not reader.has(key):
                raise SpecError(f"{reader.what} needs '{key}' (or x, y, width and height)", node.where)
        return Area(columns=reader.get("columns", r.span(1, grid.columns, "columns")),
                    lines=reader.get("lines", r.span(1, grid.lines_per_column, "lines")), where=node.where)
    if reader.has("columns") or reader.has("lines"):
        raise SpecError(f"{reader.what} is placed by columns/lines or by x/y/width/height, not both", node.where)
    if len(free) < 4:
        missing = [key for key in ("x", "y", "width", "height") if key not in free]
        raise SpecError(f"{reader.what} placed in mm also needs " + ", ".join(missing), node.where)
    x, y = reader.get("x", r.length(0)), reader.get("y", r.length(0))
    width, height = reader.get("width", r.length(1)), reader.get("height", r.length(1))
    if x + width > layout.trim_width + layout.bleed or y + height > layout.trim_height + layout.bleed:
        raise SpecError(f"{reader.what} reaches past the page", node.where)
    step = grid.column_width + grid.gutter
    columns = [c for c in range(1, grid.columns + 1)
               if layout.margin_left + (c - 1) * step >= x - GRID_EDGE_TOLERANCE_PT
               and layout.margin_left + (c - 1) * step + grid.column_width <= x + width + GRID_EDGE_TOLERANCE_PT]
    lines = [n for n in range(1, grid.lines_per_column + 1)
             if layout.margin_top + (n - 1) * grid.pitch >= y - GRID_EDGE_TOLERANCE_PT
             and layout.margin_top + (n - 1) * grid.pitch + grid.body_size <= y + height + GRID_EDGE_TOLERANCE_PT]
    if not columns or not lines:
        # Ads and rules may sit anywhere; only text needs grid cells, and _story checks for them.
        columns, lines = columns or [0], lines or [0]
    return Area(columns=(columns[0], columns[-1]), lines=(lines[0], lines[-1]), where=node.where,
                rect=(x, y, width, height))


def _swatch(layout: Layout):
    def read(node: Node) -> str:
        name = r.text(node)
        if name not in layout.swatches:
            raise r.unknown_name_error("colour swatch", name, layout.swatches, node)
        return name
    return read


def _style(layout: Layout):
    def read(node: Node) -> str:
        name = r.text(node)
        if name not in layout.styles:
            raise r.unknown_name_error("style", name, layout.styles, node)
        return name
    return read


def _check_split_width(grid: Grid, count: int, split: int, node: Node) -> None:
    """破栏 re-divides the frame's characters; every new column must hold at least one character."""
    total = count * grid.chars_per_column + (count - 1) * grid.gutter_chars
    width = (total - (split - 1) * grid.gutter_chars) // split
    if width < 1:
        most = (total + grid.gutter_chars) // (1 + grid.gutter_chars)
        raise SpecError(f"split: {split} leaves columns of {width} characters in a frame {total} characters wide",
                        node.where, f"split this frame into at most {most} columns")


def _check_story_once(elements: list) -> None:
    """A story continues to another page (下转), never to itself: placed twice on one page it would
    print a jump line pointing at its own page."""
    seen: set[str] = set()
    for element in elements:
        if isinstance(element, StoryElement):
            if element.article in seen:
                raise SpecError(f"story '{element.article}' is placed twice on this page", element.where,
                                "give it one story element with several frames (they flow in order)")
            seen.add(element.article)


# A page id names its file, OUT/<id>.pdf: one plain ASCII name (docs/spec.md, "A page").
PAGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
PAGE_ID_HINT = "use 1-32 ASCII letters, digits, '-' and '_', starting with a letter or digit, e.g. A05"
# Names the build writes in OUT itself, and the device names Windows reserves in every folder.
RESERVED_PAGE_IDS = {"issue": "the build writes the whole edition as issue.pdf",
                     "report": "the build writes its report as report.json",
                     **{name: "Windows reserves it for a device" for name in
                        ("con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10)))}}


class _IssueLoader:
    def __init__(self, path: Path):
        self.path = path
        self.base = path.parent
        self.layouts: dict[Path, Layout] = {}
        self.articles: dict[str, Path] = {}
        self._pages_seen: list[str] = []
        self._ids_seen: dict[str, Node] = {}  # casefolded id -> where it was first given

    def load(self) -> IssueSpec:
        root = load_yaml_file(self.path, shown_path(self.path))
        top = r.MapReader(root, "issue", ["paper", "date", "issue_number", "weather", "search_paths", "layouts",
                                          "articles", "pages"],
                          required=["pages"])
        self.roots = Roots.of(self.base, *top.get("search_paths", r.list_of(self._search_path), [])).plus(
            *Roots.shipped().folders)
        self.layout_dirs = [self.base / "layouts"]
        if top.has("layouts"):
            self.layout_dirs.insert(0, self._folder_setting(top, "layouts", "layouts"))
        self.layout_dirs.append(resources.layouts_dir())
        self.articles_dir = self._folder_setting(top, "articles", "articles")
        pages = top.get("pages", r.list_of(self._page, 1))
        return IssueSpec(path=self.path, paper=top.get("paper", r.text, ""), date=top.get("date", r.date, ""),
                         pages=tuple(pages), articles=self.articles,
                         issue_number=top.get("issue_number", r.text, ""), weather=top.get("weather", r.text, ""))

    def _search_path(self, node: Node) -> Path:
        """A folder named in `search_paths`: one more root the issue's paths may lead into."""
        folder = (self.base / r.text(node)).resolve()
        if not folder.is_dir():
            raise SpecError(f"search path '{r.text(node)}' is not a folder (looked for {shown_path(folder)})",
                            node.where, "give folders relative to the issue file")
        return folder

    def _folder_setting(self, top: r.MapReader, key: str, default: str) -> Path:
        """The `articles` or `layouts` folder, which must lie under the issue's roots."""
        where = top.node_of(key).where if top.has(key) else top.node.where
        name = top.get(key, r.text, default)
        return self.roots.confine(self.base / name, f"{key} folder", name, where)

    def _layout(self, node: Node) -> Layout:
        name = r.text(node)
        for folder in self.layout_dirs:
            candidate = self.roots.confine(folder / f"{name}.yaml", "layout", name, node.where)
            if candidate.is_file():
                if candidate not in self.layouts:
                    self.layouts[candidate] = load_layout(candidate, self.roots)
                return self.layouts[candidate]
        known = sorted({p.stem for folder in self.layout_dirs if folder.is_dir() for p in folder.glob("*.yaml")})
        raise r.unknown_name_error("layout", name, known, node)

    def _article(self, node: Node) -> str:
        name = r.text(node)
        candidate = self.base / name if name.endswith(".md") else self.articles_dir / f"{name}.md"
        candidate = self.roots.confine(candidate, "article", name, node.where)
        if not candidate.is_file():
            known = sorted(p.stem for p in self.articles_dir.glob("*.md")) if self.articles_dir.is_dir() else []
            guess = r.did_you_mean(name, known)
            raise SpecError(f"article '{name}' not found (looked for {shown_path(candidate)})", node.where,
                            f"did you mean '{guess}'?" if guess else "check the name and the issue's 'articles' folder")
        self.articles[name] = candidate
        return name

    def _page(self, node: Node) -> PageSpec:
        p = r.MapReader(node, "page", ["id", "layout", "template", "number", "section", "credits", "elements"],
                        required=["id", "layout"])
        page_id = p.get("id", self._page_id)
        layout = p.get("layout", self._layout)
        elements = []
        if p.has("template"):
            name = p.get("template", r.text)
            if name not in layout.templates:
                raise r.unknown_name_error("template", name, layout.templates, p.node_of("template"))
            elements += [self._element(n, layout) for n in layout.templates[name]]
        elements += p.get("elements", r.list_of(lambda n: self._element(n, layout)), [])
        _check_story_once(elements)
        digits = "".join(ch for ch in page_id if ch.isdigit())
        number = p.get("number", r.integer(1, 999), int(digits) if digits else len(self._pages_seen) + 1)
        self._pages_seen.append(page_id)
        return PageSpec(id=page_id, layout=layout, elements=tuple(elements), where=node.where, number=number,
                        section=p.get("section", r.text, ""), credits=p.get("credits", r.text, ""))

    def _page_id(self, node: Node) -> str:
        """A page id is also a file name (OUT/<id>.pdf), so it is one plain name, not a path, never a
        name the build writes itself, and not another page's id in other capitals (the folders of
        macOS and Windows do not tell A05.pdf from a05.pdf)."""
        page_id = r.text(node)
        shown = page_id if len(page_id) <= 40 else page_id[:40] + "…"
        if not PAGE_ID.fullmatch(page_id):
            raise SpecError(f"page id '{shown}' is not a plain name" if page_id else "page id is empty",
                            node.where, PAGE_ID_HINT)
        if page_id.casefold() in RESERVED_PAGE_IDS:
            raise SpecError(f"page id '{page_id}' is reserved: {RESERVED_PAGE_IDS[page_id.casefold()]}",
                            node.where, "give the page another id, e.g. A01")
        first = self._ids_seen.get(page_id.casefold())
        if first is not None:
            if r.text(first) == page_id:
                raise SpecError(f"page id '{page_id}' is used twice (first at {first.where})", node.where,
                                "give each page its own id")
            raise SpecError(f"page id '{page_id}' differs from page '{r.text(first)}' ({first.where}) only in "
                            "capitals; on macOS and Windows both would be one file", node.where,
                            "give each page its own id")
        self._ids_seen[page_id.casefold()] = node
        return page_id

    def _quote(self, node: Node, layout: Layout) -> QuoteElement:
        q = r.MapReader(node, "quote", ["type", *AREA_KEYS, "text", "color"], required=["text"])
        return QuoteElement(area=_area(node, q, layout), text=q.get("text", r.text),
                            color=q.get("color", _swatch(layout), "black"), where=node.where)

    def _masthead(self, node: Node, layout: Layout) -> MastheadElement:
        m = r.MapReader(node, "masthead", ["type", *AREA_KEYS, "color"])
        return MastheadElement(area=_area(node, m, layout), color=m.get("color", _swatch(layout), "black"),
                               where=node.where)

    def _element(self, node: Node, layout: Layout):
        if not node.is_map or "type" not in node.value:
            raise SpecError("each element needs a 'type' (" + ", ".join(ELEMENT_TYPES) + ")", node.where)
        kind = r.choice(ELEMENT_TYPES)(node.value["type"])
        return getattr(self, f"_{kind}")(node, layout)

    def _ad(self, node: Node, layout: Layout) -> AdElement:
        a = r.MapReader(node, "ad", ["type", "name", *AREA_KEYS, "background", "border", "border_width", "text",
                                     "file", "fit", "page"])

        def ad_line(n: Node) -> AdLine:
            t = r.MapReader(n, "ad text line", ["text", "style", "color"], required=["text", "style"])
            return AdLine(text=t.get("text", r.text), style=t.get("style", _style(layout)),
                          color=t.get("color", _swatch(layout), None))

        return AdElement(area=_area(node, a, layout), name=a.get("name", r.text, "ad"),
                         background=a.get("background", _swatch(layout), None),
                         border=a.get("border", _swatch(layout), None),
                         border_width=a.get("border_width", r.length(0, 20), 0.5),
                         text=tuple(a.get("text", r.list_of(ad_line), [])),
                         file=a.get("file", self._picture_file, None), fit=a.get("fit", r.choice(FITS), "fit"),
                         page=a.get("page", r.integer(1, 100_000), None), where=node.where)

    def _picture_file(self, node: Node) -> Path:
        name = r.text(node)
        path = self.roots.confine(self.base / name, "picture file", name, node.where)
        if path.suffix.lower() not in PICTURE_SUFFIXES:
            raise SpecError(f"'{name}' is not a picture this composer places", node.where,
                            "use a PDF (ads), JPEG, PNG or TIFF file")
        if not path.is_file():
            raise SpecError(f"picture file '{name}' not found (looked for {shown_path(path)})", node.where,
                            "paths are relative to the issue file")
        return path

    def _image(self, node: Node, layout: Layout) -> ImageElement:
        m = r.MapReader(node, "image", ["type", *AREA_KEYS, "file", "fit", "crop", "caption", "caption_lines",
                                           "page"],
                        required=["file"])
        crop = (0.0, 0.0, 1.0, 1.0)
        if m.has("crop"):
            values = m.get("crop", r.list_of(r.number(0, 100)))
            if len(values) != 4 or values[0] + values[2] >= 100 or values[1] + values[3] >= 100:
                raise SpecError("crop is [left, top, right, bottom]: percent to cut from each side, leaving "
                                "some picture", m.node_of("crop").where)
            crop = (values[0] / 100, values[1] / 100, 1 - values[2] / 100, 1 - values[3] / 100)
        return ImageElement(area=_area(node, m, layout), file=m.get("file", self._picture_file),
                            fit=m.get("fit", r.choice(FITS), "fill"), crop=crop,
                            caption=m.get("caption", r.text, ""),
                            caption_lines=m.get("caption_lines", r.integer(0, 10), 0), where=node.where,
                            page=m.get("page", r.integer(1, 100_000), None))

    def _headline(self, node: Node, layout: Layout) -> HeadlineElement:
        h = r.MapReader(node, "headline", ["type", "article", *AREA_KEYS, "headline_lines", "kicker_box",
                                           "align", "rule_below", "style"], required=["article"])
        return HeadlineElement(area=_area(node, h, layout), article=h.get("article", self._article),
                               headline_lines=h.get("headline_lines", r.integer(1, 2), 1),
                               kicker_box=h.get("kicker_box", _swatch(layout), None),
                               align=h.get("align", r.choice(("left", "center")), "center"),
                               rule_below=h.get("rule_below", _swatch(layout), None),
                               style=h.get("style", _style(layout), "headline"))

    def _story(self, node: Node, layout: Layout) -> StoryElement:
        s = r.MapReader(node, "story", ["type", "article", "frames", "byline", "balance", "box"],
                        required=["article", "frames"])

        def frame(n: Node) -> Area:
            f = r.MapReader(n, "frame", [*AREA_KEYS, "span", "split"])
            area = _area(n, f, layout)
            if area.columns[0] == 0 or area.lines[0] == 0:
                raise SpecError("this frame holds no whole column and grid line, so no text can flow in it",
                                n.where, "make it at least one column wide and one line tall, on the grid")
            count = area.columns[1] - area.columns[0] + 1
            span = f.get("span", r.integer(1, layout.grid.columns), 1)
            split = f.get("split", r.integer(1, 3 * layout.grid.columns), 0)
            if span > 1 and split:
                raise SpecError("a frame is either 长栏 (span) or 破栏 (split), not both", n.where)
            if split:
                _check_split_width(layout.grid, count, split, f.node_of("split"))
            if count % span:
                raise SpecError(f"{count} basic columns do not group into 长栏 of {span}", f.node_of("span").where,
                                f"use a span that divides {count}")
            return replace(area, span=span, split=split)

        return StoryElement(article=s.get("article", self._article), frames=tuple(s.get("frames", r.list_of(frame, 1))),
                            byline=s.get("byline", r.choice(("end", "none")), "end"), where=node.where,
                            balance=s.get("balance", r.boolean, False), box=s.get("box", _swatch(layout), None))

    def _folio(self, node: Node, layout: Layout) -> FolioElement:
        f = r.MapReader(node, "folio", ["type", "section", "credits", "color"])
        return FolioElement(section=f.get("section", r.text, ""), credits=f.get("credits", r.text, ""),
                            color=f.get("color", _swatch(layout), "black"), where=node.where)

    def _rule(self, node: Node, layout: Layout) -> RuleElement:
        u = r.MapReader(node, "rule", ["type", *AREA_KEYS, "color", "weight", "position"])
        return RuleElement(area=_area(node, u, layout), color=u.get("color", _swatch(layout), "black"),
                           width=u.get("weight", r.length(0.1, 20), 0.5),
                           position=u.get("position", r.choice(("top", "middle", "bottom")), "middle"))


def load_issue(path: Path, check_files: bool = True) -> IssueSpec:
    """The issue, every value validated; with check_files, its fonts and pictures too (validate.py;
    build checks those of the pages it composes, itself)."""
    if not path.is_file():
        raise SpecError(f"issue file not found: {path}", None, "give the path to an issue.yaml")
    issue = _IssueLoader(path).load()
    if check_files:
        from pagecomposer.validate import check_delivered_files  # fonts and pictures: after every value is read

        check_delivered_files(issue)
    return issue
