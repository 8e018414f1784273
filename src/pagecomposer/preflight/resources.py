"""The resource-tree walk: everything a page can paint with, each object looked at once.

From a page it follows: the page's /Group and /Resources; in resources the colour spaces,
graphics states (and their soft-mask groups), patterns (tiling patterns' own resources, shading
patterns' shadings and graphics states), shadings, XObjects (forms recursively, images) and fonts
(Type 3 fonts' resources); and the appearance streams of the page's annotations.

Each object is analysed once per file (cached by object number); a page's inventory is the union
of what its tree reaches. The inventory also lists the content streams that are not drawn by the
page content itself (annotation appearances, tiling patterns, Type 3 glyphs, soft-mask groups),
so content.py can interpret those too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

from pagecomposer.preflight.colour import colour_space_problems, inks_of
from pagecomposer.preflight.identify import Rules
from pagecomposer.preflight.images import filter_problems, image_problems

MAX_DEPTH = 24


@dataclass
class Node:
    """What one object contributes: its own findings, inks, fonts, and what it leads to."""
    findings: list = field(default_factory=list)  # (check, message)
    inks: set = field(default_factory=set)
    fonts: list = field(default_factory=list)  # (resource name, font dict)
    extra_content: list = field(default_factory=list)  # (stream, resources) to interpret
    children: list = field(default_factory=list)  # (kind, name, object)


@dataclass
class PageInventory:
    findings: list = field(default_factory=list)
    inks: set = field(default_factory=set)
    fonts: list = field(default_factory=list)
    extra_content: list = field(default_factory=list)
    streams: set = field(default_factory=set)  # object numbers of the streams checked here


def _key(obj):
    objgen = obj.objgen
    return objgen if objgen != (0, 0) else None


def _is_transparency_group(obj) -> bool:
    group = obj.get(Name.Group)
    return isinstance(group, pikepdf.Dictionary) and group.get(Name.S) == Name.Transparency


class ResourceWalker:
    def __init__(self, rules: Rules):
        self.rules = rules
        self._nodes: dict = {}

    # --- per page -----------------------------------------------------------------------------

    def page(self, page: pikepdf.Page) -> PageInventory:
        inventory = PageInventory()
        seen: set = set()
        pending = [("page", "the page", page.obj)]
        depth_guard = 0
        while pending:
            kind, name, obj = pending.pop()
            if obj is None:
                continue
            key = _key(obj)
            if key is not None:
                if (kind, key) in seen:
                    continue
                seen.add((kind, key))
                if isinstance(obj, pikepdf.Stream):
                    inventory.streams.add(key)
            depth_guard += 1
            if depth_guard > 200000:  # a pathological file: stop rather than run away
                break
            node = self._node(kind, name, obj)
            for finding in node.findings:
                if finding not in inventory.findings:
                    inventory.findings.append(finding)
            inventory.inks |= node.inks
            inventory.fonts += node.fonts
            inventory.extra_content += node.extra_content
            pending += node.children
        return inventory

    def _node(self, kind: str, name: str, obj) -> Node:
        key = _key(obj)
        if key is not None and (kind, key) in self._nodes:
            return self._nodes[(kind, key)]
        node = Node()
        analyse = getattr(self, "_" + kind)
        analyse(node, name, obj)
        if key is not None:
            self._nodes[(kind, key)] = node
        return node

    # --- object kinds -------------------------------------------------------------------------

    def _page(self, node: Node, name: str, page) -> None:
        if _is_transparency_group(page) and not self.rules.transparency:
            node.findings.append(("transparency", f"the page has a transparency group (/Group /S /Transparency): "
                                  f"{self.rules.label} forbids transparency; flatten the page"))
        node.children.append(("resources", "the page", page.get(Name.Resources)))
        contents = page.get(Name.Contents)
        for stream in (contents if isinstance(contents, pikepdf.Array) else [contents]):
            if isinstance(stream, pikepdf.Stream):
                node.findings += filter_problems(stream, "the page content", self.rules)
        for index, annotation in enumerate(page.get(Name.Annots, []) or [], 1):
            if isinstance(annotation, pikepdf.Dictionary):
                for stream in _appearance_streams(annotation):
                    subtype = str(annotation.get(Name.Subtype, "/?"))[1:]
                    node.children.append(("form", f"the appearance of annotation {index} ({subtype})", stream))
                    node.extra_content.append((stream, page.get(Name.Resources)))

    def _resources(self, node: Node, name: str, resources) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for key, kind in ((Name.ColorSpace, "colourspace"), (Name.ExtGState, "extgstate"),
                          (Name.Pattern, "pattern"), (Name.Shading, "shading"), (Name.XObject, "xobject"),
                          (Name.Font, "font")):
            entries = resources.get(key)
            if isinstance(entries, pikepdf.Dictionary):
                for entry_name, value in entries.items():
                    node.children.append((kind, entry_name, value))

    def _colourspace(self, node: Node, name: str, space) -> None:
        node.findings += colour_space_problems(space, f"colour space {name}", self.rules)
        node.inks |= inks_of(space)

    def _extgstate(self, node: Node, name: str, state) -> None:
        if not isinstance(state, pikepdf.Dictionary):
            return
        rules = self.rules
        where = f"graphics state {name}"
        if not rules.transparency:
            reasons = []
            smask = state.get(Name.SMask)
            if smask is not None and smask != Name("/None"):
                reasons.append("a soft mask (SMask)")
            for key in ("/CA", "/ca"):
                if key in state and float(state[key]) < 1:
                    reasons.append(f"{key[1:]} {float(state[key]):g}")
            blend = state.get(Name.BM)
            blends = list(blend) if isinstance(blend, pikepdf.Array) else [blend] if blend is not None else []
            odd = [str(b)[1:] for b in blends if b not in (Name.Normal, Name.Compatible)]
            if odd:
                reasons.append("blend mode " + "/".join(odd))
            if reasons:
                node.findings.append(("transparency", f"{where} uses transparency ({', '.join(reasons)}): "
                                      f"{rules.label} forbids it; flatten the transparency"))
        if Name.TR in state:
            node.findings.append(("transfer-function", f"{where} has a transfer function (TR): PDF/X forbids "
                                  "transfer functions (they change the plate densities); remove it"))
        if Name.TR2 in state and state.TR2 != Name.Default:
            node.findings.append(("transfer-function", f"{where} has a transfer function (TR2 other than "
                                  "/Default): PDF/X forbids it; remove it"))
        if Name.HT in state:
            halftone = state.HT
            kind = int(halftone.get(Name.HalftoneType, 0)) if isinstance(halftone, (pikepdf.Dictionary, pikepdf.Stream)) else 0
            named = isinstance(halftone, (pikepdf.Dictionary, pikepdf.Stream)) and Name.HalftoneName in halftone
            if isinstance(halftone, pikepdf.Name) and halftone == Name.Default:
                pass
            elif kind not in (1, 5) or named:
                node.findings.append(("halftone", f"{where} sets a halftone (HT, type {kind or str(halftone)}"
                                      f"{', named' if named else ''}): PDF/X allows only types 1 and 5 without "
                                      "HalftoneName; remove it, the plant's RIP screens"))
            else:
                node.findings.append(("halftone", f"{where} sets its own halftone screen (HT type {kind}): it "
                                      "overrides the plant's screening if honoured; remove it"))
        smask = state.get(Name.SMask)
        if isinstance(smask, pikepdf.Dictionary) and isinstance(smask.get(Name.G), pikepdf.Stream):
            node.children.append(("form", f"the soft-mask group of {where}", smask.G))
            node.extra_content.append((smask.G, None))

    def _pattern(self, node: Node, name: str, pattern) -> None:
        if not isinstance(pattern, (pikepdf.Dictionary, pikepdf.Stream)):  # tiling patterns are streams
            return
        where = f"pattern {name}"
        if int(pattern.get(Name.PatternType, 0)) == 1 and isinstance(pattern, pikepdf.Stream):
            node.findings += filter_problems(pattern, where, self.rules)
            node.children.append(("resources", where, pattern.get(Name.Resources)))
            node.extra_content.append((pattern, pattern.get(Name.Resources)))
        else:
            if pattern.get(Name.Shading) is not None:
                node.children.append(("shading", f"the shading of {where}", pattern.Shading))
            if pattern.get(Name.ExtGState) is not None:
                node.children.append(("extgstate", f"the graphics state of {where}", pattern.ExtGState))

    def _shading(self, node: Node, name: str, shading) -> None:
        if not isinstance(shading, (pikepdf.Dictionary, pikepdf.Stream)):  # mesh shadings are streams
            return
        node.findings += colour_space_problems(shading.get(Name.ColorSpace), f"shading {name}", self.rules)
        node.inks |= inks_of(shading.get(Name.ColorSpace))
        if isinstance(shading, pikepdf.Stream):
            node.findings += filter_problems(shading, f"shading {name}", self.rules)

    def _xobject(self, node: Node, name: str, xobject) -> None:
        if not isinstance(xobject, pikepdf.Stream):
            return
        subtype = xobject.get(Name.Subtype)
        if subtype == Name.Image:
            where = f"image {name} ({int(xobject.get(Name.Width, 0))}x{int(xobject.get(Name.Height, 0))} px)"
            node.findings += image_problems(xobject, where, self.rules)
            node.inks |= inks_of(xobject.get(Name.ColorSpace))
            smask = xobject.get(Name.SMask)
            if isinstance(smask, pikepdf.Stream):
                node.findings += filter_problems(smask, f"the soft mask of {where}", self.rules)
        elif subtype == Name.Form:
            node.children.append(("form", f"form {name}", xobject))
        elif subtype == Name.PS:
            node.findings.append(("postscript", f"PostScript XObject {name}: PDF/X forbids PostScript; "
                                  "remove it or replace it with PDF content"))
        else:
            node.findings.append(("xobject", f"XObject {name} has the unknown subtype {subtype}: a RIP cannot "
                                  "draw it"))

    def _form(self, node: Node, name: str, form) -> None:
        if not isinstance(form, pikepdf.Stream):
            return
        rules = self.rules
        node.findings += filter_problems(form, name, rules)
        if form.get(Name.Subtype2) == Name.PS or Name.PS in form:
            node.findings.append(("postscript", f"{name} is PostScript (Subtype2 /PS or /PS code): PDF/X forbids "
                                  "PostScript; replace it with PDF content"))
        if _is_transparency_group(form) and not rules.transparency:
            node.findings.append(("transparency", f"{name} is a transparency group (/Group /S /Transparency): "
                                  f"{rules.label} forbids transparency; flatten it"))
        if Name.OPI in form:
            node.findings.append(("opi", f"{name} carries OPI information: PDF/X forbids OPI; place the "
                                  "high-resolution content itself"))
        if Name.OC in form and not rules.optional_content:
            node.findings.append(("optional-content", f"{name} is in an optional-content layer (/OC): "
                                  f"{rules.label} has no layers; flatten them"))
        node.children.append(("resources", name, form.get(Name.Resources)))

    def _font(self, node: Node, name: str, font) -> None:
        if not isinstance(font, pikepdf.Dictionary):
            return
        node.fonts.append((name, font))
        if font.get(Name.Subtype) == Name.Type3:
            node.children.append(("resources", f"Type 3 font {name}", font.get(Name.Resources)))
            for glyph in dict(font.get(Name.CharProcs, {})).values():
                if isinstance(glyph, pikepdf.Stream):
                    node.extra_content.append((glyph, font.get(Name.Resources)))
        for descriptor in _descriptors(font):
            for key in (Name.FontFile, Name.FontFile2, Name.FontFile3):
                program = descriptor.get(key)
                if isinstance(program, pikepdf.Stream):
                    node.findings += filter_problems(program, f"the font program of {name}", self.rules)


def _descriptors(font) -> list:
    found = []
    if isinstance(font.get(Name.FontDescriptor), pikepdf.Dictionary):
        found.append(font.FontDescriptor)
    for descendant in font.get(Name.DescendantFonts, []) or []:
        if isinstance(descendant, pikepdf.Dictionary) and isinstance(descendant.get(Name.FontDescriptor),
                                                                     pikepdf.Dictionary):
            found.append(descendant.FontDescriptor)
    return found


def _appearance_streams(annotation) -> list:
    """The normal, rollover and down appearances (each a stream or a dictionary of states)."""
    streams = []
    appearance = annotation.get(Name.AP)
    if not isinstance(appearance, pikepdf.Dictionary):
        return streams
    for key in (Name.N, Name.R, Name.D):
        value = appearance.get(key)
        if isinstance(value, pikepdf.Stream):
            streams.append(value)
        elif isinstance(value, pikepdf.Dictionary):
            streams += [v for v in value.values() if isinstance(v, pikepdf.Stream)]
    return streams
