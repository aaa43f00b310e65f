"""Show each diagram in both palettes from one file, sized and loaded the way a phone wants it.

Authors write one plain image (``assets/diagrams/x.svg``), which every generator validates. The page shows
it as two ``<img>`` of the same file, ``x.svg#only-light`` and ``x.svg#only-dark``: Material's palette CSS
hides the one that does not match the reader's palette, the SVG colours itself by the fragment (see
``webify``), and the browser downloads the file once. Both carry the picture's width and height, so
nothing moves when it arrives, and decode off the main thread; every picture but a page's first loads
only when the reader scrolls near it.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Mapping

from kubenotes.diagrams.engine import SITE_DIR

LIGHT_FRAGMENT = "only-light"
DARK_FRAGMENT = "only-dark"


def picture_of(src: str, page_src_uri: str) -> str | None:
    """The picture name an image ``src`` on the page points at (None when it is not a diagram)."""
    if "://" in src or src.startswith(("/", "data:")) or not src.endswith(".svg"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src_uri), src))
    prefix = f"{SITE_DIR}/"
    return target[len(prefix) : -len(".svg")] if target.startswith(prefix) else None


def palette_images(
    attributes: Mapping[str, str], size: tuple[int, int], *, first: bool
) -> list[dict[str, str]]:
    """The ``<img>`` elements (attributes, in order) that replace the author's diagram image.

    ``attributes`` are the author's (``src`` without a fragment, ``alt``, ...); ``size`` is the picture's
    natural size in CSS px (``webify.picture_size``); ``first`` is true for the first picture of a page,
    which loads at once because it may be what the reader sees first.
    """
    src = attributes["src"]
    shared = {
        name: value
        for name, value in attributes.items()
        if name not in ("src", "width", "height", "loading", "decoding")
    }
    shared |= {"width": str(size[0]), "height": str(size[1]), "decoding": "async"}
    if not first:
        shared["loading"] = "lazy"
    return [{"src": f"{src}#{fragment}", **shared} for fragment in (LIGHT_FRAGMENT, DARK_FRAGMENT)]


def show_in_both_palettes(
    root: etree.Element, page_src_uri: str, sizes: Mapping[str, tuple[int, int]]
) -> list[str]:
    """Replace each diagram ``<img>`` of a page's tree by its :func:`palette_images`; returns the ``src``
    of those without alt text. ``sizes`` holds every published picture's size, by name."""
    missing_alt = []
    for parent in list(root.iter()):
        for index, image in reversed(list(enumerate(parent))):
            src = image.get("src", "") if image.tag == "img" else ""
            name = picture_of(src, page_src_uri)
            if name is None or name not in sizes:
                continue
            if not (image.get("alt") or "").strip():
                missing_alt.append(src)
            tail, image.tail = image.tail, None
            parent.remove(image)
            replacements = palette_images(dict(image.attrib), sizes[name], first=False)
            for offset, attributes in enumerate(replacements):
                parent.insert(index + offset, etree.Element("img", attributes))
            parent[index + len(replacements) - 1].tail = tail
    _first_loads_at_once(root, page_src_uri, sizes)
    return missing_alt


def _first_loads_at_once(
    root: etree.Element, page_src_uri: str, sizes: Mapping[str, tuple[int, int]]
) -> None:
    """The page's first picture (in document order) may be what the reader sees first: not lazy."""
    for image in root.iter("img"):
        name = picture_of(image.get("src", "").split("#", 1)[0], page_src_uri)
        if name is not None and name in sizes:
            image.attrib.pop("loading", None)
            if image.get("src", "").endswith(f"#{DARK_FRAGMENT}"):
                return
