"""Turn Graphviz's SVG into one file fit for the web: self-contained, deterministic, light and dark.

As shipped, mingrammer SVGs point at icon PNGs by absolute local path: browsers show no icons and the
build machine's paths leak. Here each distinct icon is scaled to the size it is shown at and becomes
one ``<symbol>`` holding a data URI that every node ``<use>``s; the font stack replaces the single
family Graphviz wrote; ids in titles go (they carry no meaning for readers).

Both palettes live in the one file. A stylesheet maps every palette colour the picture uses to a CSS
custom property; the picture's content sits in ``<g id="only-dark">``, and when the URL's fragment
targets it (``x.svg#only-dark``) the properties take their dark values. So ``x.svg`` (and
``x.svg#only-light``) is the light picture, ``x.svg#only-dark`` the dark one: the page shows both
``<img>`` as Material shows palette-specific images, and the browser fetches the file once.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kubenotes.diagrams.theme import FONT_STACK, ICON_TILE_DARK, PALETTE, UNFILLED_TEXT, Colour

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"

if TYPE_CHECKING:  # icons needs Pillow (~30 ms to import): only a render uses it, not picture_size
    from kubenotes.diagrams.icons import Icon
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
COLOUR_ATTRIBUTES = ("fill", "stroke")
DARK_TARGET = "only-dark"  # the fragment Material's CSS shows in the dark palette
TILE_CLASS = "kn-tile"
TILE_RADIUS = 24 / 256  # corner radius of the dark tile, as a share of the icon's width
# Kubernetes icons are blue and white and read on both palettes; other providers' logos get a tile.
K8S_ICONS = "/resources/k8s/"
CSS_PX_PER_UNIT = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*([a-z]*)\s*")
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class WebifyError(ValueError):
    """The SVG cannot be made self-contained (e.g. an icon file is missing)."""


def webify(svg: bytes) -> bytes:
    """One web SVG for both palettes from a Graphviz SVG: icons right-sized and inlined once each."""
    root = ET.fromstring(svg)
    _inline_icons(root)
    _drop_titles(root)
    _drop_background(root)
    _use_font_stack(root)
    _follow_palette(root)
    return _serialize(root)


def picture_size(svg: bytes) -> tuple[int, int]:
    """The picture's natural width and height in CSS pixels (what ``<img width height>`` should say)."""
    root = _root_element(svg)
    width, height = _css_px(root.get("width")), _css_px(root.get("height"))
    if width is None or height is None:
        box = _view_box(root)
        if box is None:
            raise WebifyError("the SVG has neither width/height nor a viewBox, so its size is unknown")
        width, height = box[2], box[3]
    return round(width), round(height)


def _root_element(svg: bytes) -> ET.Element:
    """The SVG's root element and its attributes, without parsing the rest of the picture (a build asks
    the size of every picture on every run: parsing each whole took ~30 ms)."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    for offset in range(0, len(svg), 4096):
        parser.feed(svg[offset : offset + 4096])
        for event in parser.read_events():
            if isinstance(element := event[-1], ET.Element):
                return element
    raise WebifyError("the file holds no SVG element")


def _inline_icons(root: ET.Element) -> None:
    """Replace every ``<image>`` by a ``<use>`` of one shared symbol per icon, sized as it is shown."""
    found: list[tuple[ET.Element, int, ET.Element, str]] = []
    largest: dict[str, float] = {}  # icon href -> largest box it is drawn in, in SVG units
    for parent in root.iter():
        for index, child in enumerate(list(parent)):
            if child.tag == f"{{{SVG_NS}}}image":
                href = child.get(XLINK_HREF) or child.get("href") or ""
                found.append((parent, index, child, href))
                box = max(_number(child.get("width")), _number(child.get("height")))
                largest[href] = max(largest.get(href, 0.0), box)
    if not found:
        return
    from kubenotes.diagrams.icons import shown_pixels

    units_to_px, picture_width = _scale(root)
    symbols: dict[str, ET.Element] = {}
    ids = {
        href: _symbol(href, shown_pixels(largest[href], units_to_px, picture_width), symbols)
        for href in largest
    }
    for parent, index, image, href in found:
        use = ET.Element(f"{{{SVG_NS}}}use", {XLINK_HREF: f"#{ids[href]}"})
        for name in ("x", "y", "width", "height"):
            if image.get(name) is not None:
                use.set(name, image.get(name, "").removesuffix("px"))
        parent.remove(image)
        parent.insert(index, use)
    defs = ET.Element(f"{{{SVG_NS}}}defs")
    defs.extend(symbols.values())
    root.insert(0, defs)


def _symbol(href: str, pixels: int, symbols: dict[str, ET.Element]) -> str:
    """The id of the symbol holding the icon at ``href``, fitted to ``pixels``, created on first use."""
    from kubenotes.diagrams.icons import fit_icon

    data, mime = _icon_bytes(href)
    symbol_id = "icon-" + hashlib.sha256(data).hexdigest()[:12]
    if symbol_id in symbols:
        return symbol_id
    icon = fit_icon(data, mime, pixels)
    symbol = ET.Element(
        f"{{{SVG_NS}}}symbol",
        {
            "id": symbol_id,
            "viewBox": f"0 0 {icon.width} {icon.height}",
            "preserveAspectRatio": "xMidYMid meet",
        },
    )
    if K8S_ICONS not in href:
        symbol.append(_tile(icon))
    uri = f"data:{icon.mime};base64,{base64.b64encode(icon.data).decode('ascii')}"
    ET.SubElement(
        symbol, f"{{{SVG_NS}}}image", {XLINK_HREF: uri, "width": str(icon.width), "height": str(icon.height)}
    )
    symbols[symbol_id] = symbol
    return symbol_id


def _icon_bytes(href: str) -> tuple[bytes, str]:
    if href.startswith("data:"):
        return base64.b64decode(href.split(",", 1)[1]), href[5:].split(";", 1)[0]
    path = Path(href.removeprefix("file://"))
    if path.is_absolute() and path.is_file():
        return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "image/png"
    raise WebifyError(
        f"icon {path.name!r} not found: give custom icons an absolute path "
        "(e.g. Path(__file__).parent / 'icons' / 'x.png')"
    )


def _tile(icon: Icon) -> ET.Element:
    """A rounded backdrop, transparent in the light palette and light on slate (for dark logos)."""
    radius = f"{TILE_RADIUS * icon.width:g}"
    return ET.Element(
        f"{{{SVG_NS}}}rect",
        {
            "class": TILE_CLASS,
            "width": str(icon.width),
            "height": str(icon.height),
            "rx": radius,
            "fill": "none",
        },
    )


def _scale(root: ET.Element) -> tuple[float, float]:
    """CSS px per SVG unit, and the picture's natural width in CSS px."""
    width = _css_px(root.get("width"))
    box = _view_box(root)
    if width is None:
        return 1.0, box[2] if box else 0.0
    return (width / box[2] if box and box[2] > 0 else 1.0), width


def _css_px(length: str | None) -> float | None:
    match = LENGTH.fullmatch(length or "")
    if match is None or match[2] not in CSS_PX_PER_UNIT:
        return None
    return float(match[1]) * CSS_PX_PER_UNIT[match[2]]


def _view_box(root: ET.Element) -> tuple[float, ...] | None:
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return tuple(float(p) for p in parts) if len(parts) == 4 else None
    except ValueError:
        return None


def _number(value: str | None) -> float:
    return _css_px(value) or 0.0


def _drop_titles(root: ET.Element) -> None:
    for parent in root.iter():
        for child in [c for c in parent if c.tag == f"{{{SVG_NS}}}title"]:
            parent.remove(child)


def _drop_background(root: ET.Element) -> None:
    """Remove the page-filling polygon Graphviz paints unless bgcolor is transparent."""
    graph = root.find(f"{{{SVG_NS}}}g")
    if graph is None:
        return
    first = next((c for c in graph if c.tag == f"{{{SVG_NS}}}polygon"), None)
    if first is not None and first.get("fill") not in (None, "none", "transparent"):
        graph.remove(first)


def _use_font_stack(root: ET.Element) -> None:
    for element in root.iter():
        if element.get("font-family") is not None:
            element.set("font-family", FONT_STACK)


def _follow_palette(root: ET.Element) -> None:
    """Put the content in the dark target group and add the stylesheet that colours it."""
    used = _palette_colours_in(root)
    group = ET.Element(f"{{{SVG_NS}}}g", {"id": DARK_TARGET})
    for child in [c for c in root if c.tag != f"{{{SVG_NS}}}defs"]:
        root.remove(child)
        group.append(child)
    root.append(group)
    style = ET.Element(f"{{{SVG_NS}}}style")
    style.text = _palette_css(used, tiles=any(e.get("class") == TILE_CLASS for e in root.iter()))
    root.insert(0, style)


def _palette_colours_in(root: ET.Element) -> list[Colour]:
    """The palette colours the picture uses (in palette order), plus black for unfilled text."""
    written = {
        value.lower() for element in root.iter() for name in COLOUR_ATTRIBUTES if (value := element.get(name))
    }
    unfilled = any(e.tag == f"{{{SVG_NS}}}text" and e.get("fill") is None for e in root.iter())
    return [c for c in PALETTE if written.intersection(c.spellings) or (unfilled and c.name == UNFILLED_TEXT)]


def _palette_css(colours: Iterable[Colour], *, tiles: bool) -> str:
    """The stylesheet: custom properties for both palettes, and each colour attribute mapped to one."""
    colours = list(colours)
    light = [f"--kn-{c.name}:{c.light}" for c in colours] + (["--kn-tile:none"] if tiles else [])
    dark = [f"--kn-{c.name}:{c.dark}" for c in colours] + ([f"--kn-tile:{ICON_TILE_DARK}"] if tiles else [])
    rules = [f"svg{{{';'.join(light)}}}", f"#{DARK_TARGET}:target{{{';'.join(dark)}}}"]
    for colour in colours:
        for attribute in COLOUR_ATTRIBUTES:
            selectors = ",".join(f'[{attribute}="{spelling}" i]' for spelling in colour.spellings)
            rules.append(f"{selectors}{{{attribute}:var(--kn-{colour.name})}}")
        if colour.name == UNFILLED_TEXT:
            rules.append(f"text:not([fill]){{fill:var(--kn-{colour.name})}}")
    if tiles:
        rules.append(f".{TILE_CLASS}{{fill:var(--kn-tile)}}")
    return "\n".join(rules)


def _serialize(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode")
    return (XML_DECLARATION + re.sub(r"\s+\n", "\n", text) + "\n").encode("utf-8")
