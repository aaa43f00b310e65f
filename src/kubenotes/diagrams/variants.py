"""Show each diagram in both palettes from one file, sized and loaded the way a phone wants it.

Authors write one plain image (``assets/diagrams/x.svg``), which MkDocs validates. The page shows it as
two ``<img>`` of the same file, ``x.svg#only-light`` and ``x.svg#only-dark``: Material's palette CSS
hides the one that does not match the reader's palette, the SVG colours itself by the fragment (see
``webify``), and the browser downloads the file once. Both carry the picture's width and height, so
nothing moves when it arrives, and decode off the main thread; every picture but a page's first loads
only when the reader scrolls near it.

:func:`palette_images` is the whole rule, on attribute dicts (for a Markdown treeprocessor, with
:func:`diagram_name` to recognise a diagram's ``src``); :func:`show_in_both_palettes` applies it to a
page's HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

LIGHT_FRAGMENT = "only-light"
DARK_FRAGMENT = "only-dark"
DIAGRAM_IMG = re.compile(
    r'<img\b[^>]*?\bsrc="(?P<src>[^"#?]*?assets/diagrams/(?P<name>[^"#?]+?)\.svg)"[^>]*>')
DIAGRAM_SRC = re.compile(r'(?:^|/)assets/diagrams/(?P<name>[^"#?]+)\.svg$')
ALT = re.compile(r'\balt="(?P<alt>[^"]*)"')
ATTRIBUTE = re.compile(r'(?P<name>[^\s"\'<>/=]+)(?:\s*=\s*"(?P<value>[^"]*)")?')


def diagram_name(src: str) -> str | None:
    """The picture's name under ``assets/diagrams/`` if ``src`` is a diagram image, else None.

    ``../assets/diagrams/manifests/workloads/web-app.svg`` -> ``manifests/workloads/web-app``.
    """
    match = DIAGRAM_SRC.search(src)
    return match["name"] if match else None


def palette_images(attributes: Mapping[str, str], size: tuple[int, int], *,
                   first: bool) -> list[dict[str, str]]:
    """The ``<img>`` elements (attributes, in order) that replace the author's diagram image.

    ``attributes`` are the author's (``src`` without a fragment, ``alt``, ...); ``size`` is the picture's
    natural size in CSS px (``webify.picture_size``); ``first`` is true for the first picture of a page,
    which loads at once because it may be what the reader sees first.
    """
    src = attributes["src"]
    shared = {name: value for name, value in attributes.items()
              if name not in ("src", "width", "height", "loading", "decoding")}
    shared |= {"width": str(size[0]), "height": str(size[1]), "decoding": "async"}
    if not first:
        shared["loading"] = "lazy"
    return [{"src": f"{src}#{fragment}", **shared} for fragment in (LIGHT_FRAGMENT, DARK_FRAGMENT)]


def show_in_both_palettes(page_html: str, size_of: Callable[[str], tuple[int, int]]) -> str:
    """Every diagram ``<img>`` of a page turned into its :func:`palette_images`.

    ``size_of`` gives a picture's size from its name under ``assets/diagrams/`` (e.g. ``cluster``).
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        images = palette_images(img_attributes(match[0]), size_of(match["name"]), first=count == 1)
        return "".join(img_tag(attributes) for attributes in images)

    return DIAGRAM_IMG.sub(replace, page_html)


def img_attributes(tag: str) -> dict[str, str]:
    """The attributes of one ``<img ...>`` tag as Python-Markdown writes it (double quotes), unescaped."""
    inner = tag.removeprefix("<img").removesuffix(">").removesuffix("/")
    return {m["name"]: html.unescape(m["value"] or "") for m in ATTRIBUTE.finditer(inner)}


def img_tag(attributes: Mapping[str, str]) -> str:
    """An ``<img>`` tag from attributes, each value escaped."""
    return "<img " + " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items()) + " />"


def images_without_alt(page_html: str) -> list[str]:
    """The ``src`` of every diagram image whose alt text is missing or empty."""
    missing = []
    for match in DIAGRAM_IMG.finditer(page_html):
        alt = ALT.search(match[0])
        if alt is None or not alt["alt"].strip():
            missing.append(match["src"])
    return missing
