"""The colours and fonts every picture shares, for Material's light (default) and dark (slate) palettes.

Scripts draw with the light colours (through ``diagrams/kn_style.py``). Each colour of the palette has a
name and a dark twin; the engine writes one SVG whose stylesheet turns every light colour into a CSS
custom property, so the same file shows either palette (see ``webify``). The mingrammer defaults are
in the palette too, so a script that skips the style still reads on slate.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Colour:
    """One palette colour: its CSS custom property name, both palettes' values, other spellings."""

    name: str  # becomes --kn-<name>
    light: str  # lower-case, as Graphviz writes it
    dark: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way a script's SVG may write this colour in a fill or stroke."""
        return (self.light, *self.aliases)


PALETTE: tuple[Colour, ...] = (
    Colour("text", TEXT, "#e3e6ea"),
    Colour("muted", MUTED_TEXT, "#aab4be"),
    Colour("edge", EDGE, "#9aa6b2"),
    Colour("edge-default", "#7b8894", "#9aa6b2"),  # mingrammer's default edge colour
    Colour("accent", ACCENT, "#9fa8ff"),
    Colour("cluster-border", CLUSTER_BORDER, "#5d6874"),
    *(
        Colour(f"fill-{tone}", light, dark)
        for (tone, light), dark in zip(
            CLUSTER_FILLS.items(), ("#1d3442", "#22352a", "#2d2a42", "#3b3523"), strict=True
        )
    ),
    Colour("black", "#000000", "#e3e6ea", aliases=("black",)),
    Colour("white", "#ffffff", "#262a33", aliases=("white",)),
)
# Graphviz leaves black labels without a fill; they take this colour's value.
UNFILLED_TEXT = "black"
# Kubernetes icons are blue and white and read on both palettes; other providers' logos are often
# black, so on slate they sit on a light tile (none in the light palette).
ICON_TILE_DARK = "#e8ebf0"
