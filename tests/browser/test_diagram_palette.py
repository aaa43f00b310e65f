"""Each diagram file draws its light palette as ``x.svg#only-light`` and its dark one as ``x.svg#only-dark``
in Chromium: the pixels, not the markup, are checked (test_budgets.py checks the file is fetched once).

Every picture is drawn twice onto a canvas at its own size; the palette colours it uses (theme.PALETTE,
except black and white, which icons contain too) must show in their light values in the light drawing and
in their dark values in the dark one. Icons look the same in both, so the comparison counts only palette
pixels.
"""

from __future__ import annotations

import re

import pytest
from gzip_server import GzipSiteServer

from browser.support import Tab, listing
from kubenotes.diagrams.theme import PALETTE

pytestmark = [pytest.mark.browser, pytest.mark.build]

NEUTRAL = {"black", "white"}
# A palette colour may show up by chance inside an icon or at anti-aliased edges; the other palette's
# values must stay under this share of the matching palette's pixels.
STRAY_SHARE = 0.05
# Per channel, 0-255. Fills, lines and the cores of letters come out exact (at 1x the other palette's share
# stays under 0.4 %, and the fewest matching pixels in a picture are ~300); the dark icon tile
# (#e8ebf0) is 5-6 away from the light purple tint and the dark text colour, so it must stay below that.
TOLERANCE = 2
PALETTES = ("light", "dark")

# Draws the picture once per palette (the two fragments decoded side by side) at 1x, and counts the pixels
# near each given colour in each drawing. Diagrams are mostly flat fills, so a pixel equal to the one before
# it reuses that one's match: the same counts as matching every pixel, at a fraction of the work.
COUNT_COLOURS = """
async ([sources, colours, tolerance]) => {
  const targets = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const matchAt = (data, p) => {
    if (data[p + 3] < 250) return -1;
    for (let t = 0; t < targets.length; t++) {
      const [r, g, b] = targets[t];
      if (Math.abs(data[p] - r) <= tolerance && Math.abs(data[p + 1] - g) <= tolerance
          && Math.abs(data[p + 2] - b) <= tolerance) return t;
    }
    return -1;
  };
  const count = async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d", {willReadFrequently: true});
    context.drawImage(img, 0, 0, canvas.width, canvas.height);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const pixels = new Uint32Array(data.buffer, data.byteOffset, data.length / 4);
    const counts = new Array(targets.length).fill(0);
    let previous = -1, match = -1;
    for (let i = 0; i < pixels.length; i++) {
      if (pixels[i] !== previous) { previous = pixels[i]; match = matchAt(data, i * 4); }
      if (match >= 0) counts[match]++;
    }
    return counts;
  };
  return Promise.all(sources.map(count));
}
"""


def diagram_files(site_dir) -> list[str]:
    folder = site_dir / "assets" / "diagrams"
    return sorted(str(p.relative_to(site_dir)) for p in folder.rglob("*.svg"))


def used_colours(svg: str) -> list:
    written = {value.lower() for value in re.findall(r'(?:fill|stroke)="([^"]+)"', svg)}
    return [c for c in PALETTE if c.name not in NEUTRAL and written.intersection(c.spellings)]


def palette_pixels(tab: Tab, url: str, colours: list) -> dict[str, tuple[int, int]]:
    """For each palette of the picture at ``url``: its pixels drawn in the colours' light values, and in
    their dark values."""
    values = [c.light for c in colours] + [c.dark for c in colours]
    sources = [f"{url}#only-{palette}" for palette in PALETTES]
    drawings = tab.page.evaluate(COUNT_COLOURS, [sources, values, TOLERANCE])
    return {
        palette: (sum(counts[: len(colours)]), sum(counts[len(colours) :]))
        for palette, counts in zip(PALETTES, drawings, strict=True)
    }


def test_every_diagram_draws_both_palettes(tab: Tab, site_server: GzipSiteServer, built_site) -> None:
    tab.page.goto(site_server.url(), wait_until="networkidle")
    problems, checked = [], 0
    for path in diagram_files(built_site.site_dir):
        colours = used_colours((built_site.site_dir / path).read_text(encoding="utf-8"))
        if not colours:
            problems.append(f"{path}: uses no palette colour, so it cannot follow the reader's palette")
            continue
        drawn = palette_pixels(tab, site_server.url(path), colours)
        (light_in_light, dark_in_light), (light_in_dark, dark_in_dark) = drawn["light"], drawn["dark"]
        if not (light_in_light > 0 and dark_in_light <= STRAY_SHARE * light_in_light):
            problems.append(f"{path}#only-light: {light_in_light} light-palette px, {dark_in_light} dark")
        if not (dark_in_dark > 0 and light_in_dark <= STRAY_SHARE * dark_in_dark):
            problems.append(f"{path}#only-dark: {dark_in_dark} dark-palette px, {light_in_dark} light")
        checked += 1
    assert checked >= 20, f"only {checked} diagrams checked"
    problems += tab.watch.problems()
    assert not problems, listing("diagrams that do not follow the palette:", problems)
