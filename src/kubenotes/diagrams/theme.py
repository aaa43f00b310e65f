"""The colours and fonts every picture shares, and their dark-palette twins.

Scripts draw with the light colours (through ``diagrams/kn_style.py``); the engine derives the dark
variant by swapping each light colour for its twin, so one render serves both Material palettes.
The mingrammer defaults are mapped too, so a script that skips the style still reads on slate.
"""

from __future__ import annotations

# Graphviz measures text with the first family fontconfig finds (DejaVu Sans on Debian); readers'
# browsers walk the same stack. Verdana and Bitstream Vera share DejaVu's wide metrics, so labels
# keep their measured width on Windows and macOS too.
FONT = "DejaVu Sans"
FONT_STACK = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif"

TEXT = "#2d3436"  # the mingrammer default label colour, kept so unstyled labels map as well
MUTED_TEXT = "#56636e"
EDGE = "#6b7884"
ACCENT = "#3949ab"  # Material indigo 600: numbered steps and the one path a picture is about
CLUSTER_BORDER = "#aeb6be"
CLUSTER_FILLS = {  # the four mingrammer cluster tints, in their nesting order
    "blue": "#e5f5fd",
    "green": "#ebf3e7",
    "purple": "#ece8f6",
    "yellow": "#fdf7e3",
}

# light colour (lower-case, as Graphviz writes it) -> colour on Material's slate background
DARK_TWINS: dict[str, str] = {
    TEXT: "#e3e6ea",
    MUTED_TEXT: "#aab4be",
    EDGE: "#9aa6b2",
    "#7b8894": "#9aa6b2",  # mingrammer default edge colour
    ACCENT: "#9fa8ff",
    CLUSTER_BORDER: "#5d6874",
    CLUSTER_FILLS["blue"]: "#1d3442",
    CLUSTER_FILLS["green"]: "#22352a",
    CLUSTER_FILLS["purple"]: "#2d2a42",
    CLUSTER_FILLS["yellow"]: "#3b3523",
    "black": "#e3e6ea",
    "#000000": "#e3e6ea",
    "white": "#262a33",
    "#ffffff": "#262a33",
}

