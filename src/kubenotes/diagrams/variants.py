"""Give every diagram image on a page its dark twin, the way Material shows palette-specific images.

Authors write one plain image (``assets/diagrams/x.svg``), which every generator validates. In the
page it becomes ``x.svg#only-light`` followed by ``x.dark.svg#only-dark``; Material's palette CSS hides
the one that does not match the reader's palette.
"""

from __future__ import annotations

import copy
import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Iterator

from kubenotes.diagrams.engine import SITE_DIR

DARK_SUFFIX = ".dark"


def dark_name(name: str) -> str:
    """Site name of the dark variant of picture ``name``."""
    return f"{name}{DARK_SUFFIX}"


def picture_of(src: str, page_src_uri: str) -> str | None:
    """The picture name an image ``src`` on the page points at (None when it is not a diagram)."""
    if "://" in src or src.startswith(("/", "data:")) or not src.endswith(".svg"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src_uri), src))
    prefix = f"{SITE_DIR}/"
    return target[len(prefix):-len(".svg")] if target.startswith(prefix) else None


def palette_images(root: etree.Element, page_src_uri: str, pictures: set[str]) -> Iterator[str]:
    """Pair each diagram ``<img>`` with its dark twin; yields the ``src`` of those without alt text."""
    for parent in list(root.iter()):
        for index, image in reversed(list(enumerate(parent))):
            src = image.get("src", "") if image.tag == "img" else ""
            name = picture_of(src, page_src_uri)
            if name is None or name not in pictures:
                continue
            if not (image.get("alt") or "").strip():
                yield src
            dark = copy.deepcopy(image)
            dark.tail, image.tail = image.tail, None
            image.set("src", f"{src}#only-light")
            dark.set("src", f"{src[:-len('.svg')]}{DARK_SUFFIX}.svg#only-dark")
            parent.insert(index + 1, dark)
