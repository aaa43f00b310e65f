"""Icons at the size readers see them: mingrammer ships 256 px truecolour PNGs, a picture shows them at
60-130 CSS px, and as base64 inside an SVG they barely compress. Each raster icon is scaled to twice
the largest size it is shown at (sharp on a 2x screen) and stored as a palette PNG when that looks the
same as the truecolour one (flat icons: a third of the bytes), else as an optimised truecolour PNG.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageStat, UnidentifiedImageError

DEVICE_PIXEL_RATIO = 2
# Material's content column at its widest (windows of 1600 px and more); pictures never show larger.
WIDEST_COLUMN_PX = 760
PALETTE_COLOURS = 256
# Mean difference per channel (0-255) a palette PNG may introduce and still count as the same icon;
# flat icons stay near 1, gradients and photos go above it and keep their true colours.
MAX_PALETTE_ERROR = 2.0
DEFAULT_SIZE = (256, 256)  # what a vector (or unreadable) icon's symbol is laid out at


@dataclass(frozen=True)
class Icon:
    """An icon ready to inline: its bytes, their media type and their pixel size."""

    data: bytes
    mime: str
    width: int
    height: int


def shown_pixels(shown_units: float, units_to_css_px: float, picture_css_width: float) -> int:
    """Device pixels an icon needs: ``shown_units`` wide in the SVG, at the largest size a page shows it."""
    scale = min(1.0, WIDEST_COLUMN_PX / picture_css_width) if picture_css_width > 0 else 1.0
    return max(1, math.ceil(DEVICE_PIXEL_RATIO * shown_units * units_to_css_px * scale))


def fit_icon(data: bytes, mime: str, pixels: int) -> Icon:
    """``data`` no wider and taller than ``pixels``, as the smallest PNG that looks like it.

    Vector icons and anything Pillow cannot read are returned unchanged.
    """
    if mime == "image/svg+xml":
        return Icon(data, mime, *DEFAULT_SIZE)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError):
        return Icon(data, mime, *DEFAULT_SIZE)
    if max(image.size) > pixels:
        ratio = pixels / max(image.size)
        size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    best = _smallest_faithful_png(image)
    if len(best) >= len(data) and image.size == _png_size(data):
        return Icon(data, mime, *image.size)  # already as small as it gets at this size
    return Icon(best, "image/png", *image.size)


def _smallest_faithful_png(image: Image.Image) -> bytes:
    truecolour = _png(image)
    palette = image.quantize(
        colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    error = max(ImageStat.Stat(ImageChops.difference(image, palette.convert("RGBA"))).mean)
    if error > MAX_PALETTE_ERROR:
        return truecolour
    return min(truecolour, _png(palette), key=len)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None
