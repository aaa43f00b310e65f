"""Give every diagram image on a page its dark twin, the way Material shows palette-specific images.

Authors write one plain image (``assets/diagrams/x.svg``), which MkDocs validates. In the HTML it
becomes ``x.svg#only-light`` followed by ``x.dark.svg#only-dark``; Material's palette CSS hides the
one that does not match the reader's palette.
"""

from __future__ import annotations

import re

DIAGRAM_IMG = re.compile(r'<img\b[^>]*?\bsrc="(?P<src>[^"#?]*?assets/diagrams/[^"#?]+?)\.svg"[^>]*>')
ALT = re.compile(r'\balt="(?P<alt>[^"]*)"')
DARK_SUFFIX = ".dark"


def dark_name(name: str) -> str:
    """Site name of the dark variant of picture ``name``."""
    return f"{name}{DARK_SUFFIX}"


def add_dark_variants(html: str) -> str:
    """Turn each diagram ``<img>`` into a light-only image followed by its dark-only twin."""

    def pair(match: re.Match[str]) -> str:
        tag, src = match[0], match["src"]
        light = tag.replace(f'src="{src}.svg"', f'src="{src}.svg#only-light"')
        dark = tag.replace(f'src="{src}.svg"', f'src="{dark_name(src)}.svg#only-dark"')
        return light + dark

    return DIAGRAM_IMG.sub(pair, html)


def images_without_alt(html: str) -> list[str]:
    """The ``src`` of every diagram image whose alt text is missing or empty."""
    missing = []
    for match in DIAGRAM_IMG.finditer(html):
        alt = ALT.search(match[0])
        if alt is None or not alt["alt"].strip():
            missing.append(match["src"] + ".svg")
    return missing
