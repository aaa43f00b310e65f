"""Turn Graphviz's SVG into one fit for the web: self-contained, deterministic, light and dark.

As shipped, mingrammer SVGs point at icon PNGs by absolute local path: browsers show no icons and
the build machine's paths leak. Here each distinct icon becomes one ``<symbol>`` holding a data URI,
every node ``<use>``s it, the font stack replaces the single family Graphviz wrote, ids in titles go
(they carry no meaning for readers), and a dark twin swaps every palette colour.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from kubenotes.diagrams.theme import DARK_TWINS, FONT_STACK

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
COLOUR_ATTRIBUTES = ("fill", "stroke")
# Kubernetes icons are blue and white and read on both palettes; other providers' logos are often
# black, so in the dark variant they sit on a light tile.
K8S_ICONS = "/resources/k8s/"
TILE = "#e8ebf0"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class WebifyError(ValueError):
    """The SVG cannot be made self-contained (e.g. an icon file is missing)."""


@dataclass(frozen=True)
class Variants:
    """The same picture for Material's light (default) and dark (slate) palettes."""

    light: bytes
    dark: bytes


def webify(svg: bytes) -> Variants:
    """Both palette variants of a Graphviz SVG, with icons inlined once each and no local paths."""
    root = ET.fromstring(svg)
    tiled = _inline_icons(root)
    _drop_titles(root)
    _drop_background(root)
    _use_font_stack(root)
    light = _serialize(root)
    _to_dark(root, tiled)
    return Variants(light, _serialize(root))


def _inline_icons(root: ET.Element) -> set[str]:
    """Replace every ``<image>`` by a ``<use>`` of a shared symbol; returns the symbols to tile."""
    symbols: dict[str, ET.Element] = {}
    tiled: set[str] = set()
    for parent in root.iter():
        for index, child in enumerate(list(parent)):
            if child.tag != f"{{{SVG_NS}}}image":
                continue
            href = child.get(XLINK_HREF) or child.get("href") or ""
            symbol_id = _symbol_for(href, symbols)
            if K8S_ICONS not in href:
                tiled.add(symbol_id)
            use = ET.Element(f"{{{SVG_NS}}}use", {XLINK_HREF: f"#{symbol_id}"})
            for name in ("x", "y", "width", "height"):
                if child.get(name) is not None:
                    use.set(name, child.get(name, "").removesuffix("px"))
            parent.remove(child)
            parent.insert(index, use)
    if symbols:
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        defs.extend(symbols.values())
        root.insert(0, defs)
    return tiled


def _symbol_for(href: str, symbols: dict[str, ET.Element]) -> str:
    """The id of the symbol holding the icon at ``href``, creating it on first use."""
    path = Path(href.removeprefix("file://"))
    if href.startswith("data:"):
        data, mime = base64.b64decode(href.split(",", 1)[1]), href[5:].split(";", 1)[0]
    elif path.is_absolute() and path.is_file():
        data, mime = path.read_bytes(), mimetypes.guess_type(path.name)[0] or "image/png"
    else:
        raise WebifyError(f"icon {path.name!r} not found: give custom icons an absolute path "
                          "(e.g. Path(__file__).parent / 'icons' / 'x.png')")
    symbol_id = "icon-" + hashlib.sha256(data).hexdigest()[:12]
    if symbol_id not in symbols:
        width, height = _image_size(data)
        symbol = ET.Element(f"{{{SVG_NS}}}symbol", {"id": symbol_id, "viewBox": f"0 0 {width} {height}",
                                                    "preserveAspectRatio": "xMidYMid meet"})
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        ET.SubElement(symbol, f"{{{SVG_NS}}}image", {XLINK_HREF: uri, "width": str(width),
                                                     "height": str(height)})
        symbols[symbol_id] = symbol
    return symbol_id


def _image_size(data: bytes) -> tuple[int, int]:
    """Pixel size from a PNG header; square 256 for anything else (the symbol scales it anyway)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 256, 256


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


def _to_dark(root: ET.Element, tiled: set[str]) -> None:
    for symbol in root.iter(f"{{{SVG_NS}}}symbol"):
        if symbol.get("id") in tiled:
            _, _, width, height = symbol.get("viewBox", "0 0 256 256").split()
            tile = ET.Element(f"{{{SVG_NS}}}rect", {"width": width, "height": height, "rx": "24",
                                                    "fill": TILE})
            symbol.insert(0, tile)
    for element in root.iter():
        for name in COLOUR_ATTRIBUTES:
            value = element.get(name)
            if value is not None and value.lower() in DARK_TWINS:
                element.set(name, DARK_TWINS[value.lower()])
        # Graphviz leaves black text and arrows without a fill: give them the dark palette's text colour.
        if element.tag == f"{{{SVG_NS}}}text" and element.get("fill") is None:
            element.set("fill", DARK_TWINS["black"])


def _serialize(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode")
    return (XML_DECLARATION + re.sub(r"\s+\n", "\n", text) + "\n").encode("utf-8")
