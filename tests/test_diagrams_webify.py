"""The web step for one picture, on small real inputs: right-sized icons, one file for both palettes, and
the ``<img>`` pair a page shows (sizes, lazy loading). Real mingrammer icons, real Pillow, no Graphviz run.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import xml.etree.ElementTree as etree
from pathlib import Path

import diagrams
import pytest
from PIL import Image

from kubenotes.diagrams.icons import MAX_PALETTE_ERROR, fit_icon, shown_pixels
from kubenotes.diagrams.variants import palette_images, picture_of, show_in_both_palettes
from kubenotes.diagrams.webify import WebifyError, picture_size, webify

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
RESOURCES = Path(diagrams.__file__).resolve().parent.parent / "resources"
POD_ICON = RESOURCES / "k8s" / "compute" / "pod.png"
CONTAINERD_ICON = RESOURCES / "onprem" / "container" / "containerd.png"


def graphviz_like(*, images: str, width: str = "586pt", view_box: str = "0.00 0.00 586.00 1057.00") -> bytes:
    """An SVG shaped like Graphviz's output for a mingrammer diagram (icons referenced by path)."""
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<svg width="{width}" height="1057pt" viewBox="{view_box}" xmlns="http://www.w3.org/2000/svg"
     xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="translate(4 1053)">
<title>cluster</title>
<polygon fill="white" stroke="none" points="-4,4 -4,-1053 582,-1053 582,4 -4,4"/>
<g id="clust1" class="cluster"><title>cluster_cp</title>
<path fill="#e5f5fd" stroke="#aeb6be" d="M20,-20 L200,-20"/></g>
{images}
<text x="50" y="-40" font-family="DejaVu Sans" font-size="15" fill="#2d3436">kubelet</text>
<text x="50" y="-60" font-family="Sans">unfilled</text>
</g>
</svg>
""".encode()


def image(path: Path, size: int = 101) -> str:
    return f'<image xlink:href="{path}" width="{size}px" height="{size}px" x="10" y="-200"/>'


def png(image_: Image.Image) -> bytes:
    out = io.BytesIO()
    image_.save(out, "PNG")
    return out.getvalue()


def test_icons_are_scaled_to_twice_their_largest_shown_size() -> None:
    # 101 pt = 134.7 CSS px at natural size; a 781 px picture is shown at most 760 px wide: 2 x 131.1
    assert shown_pixels(101, 4 / 3, 781) == 263
    assert shown_pixels(101, 4 / 3, 1520) == 135  # a picture twice as wide is shown at half scale
    icon = fit_icon(POD_ICON.read_bytes(), "image/png", 128)
    assert (icon.width, icon.height) == (128, 128) and icon.mime == "image/png"
    assert len(icon.data) < POD_ICON.stat().st_size / 3


def test_flat_icon_becomes_a_palette_png_that_looks_the_same() -> None:
    source = POD_ICON.read_bytes()
    icon = fit_icon(source, "image/png", 256)
    with Image.open(io.BytesIO(icon.data)) as fitted, Image.open(io.BytesIO(source)) as original:
        assert fitted.mode == "P"  # palette PNG
        assert fitted.size == original.size
        difference = [
            abs(a - b)
            for a, b in zip(fitted.convert("RGBA").tobytes(), original.convert("RGBA").tobytes(), strict=True)
        ]
    assert sum(difference) / len(difference) <= MAX_PALETTE_ERROR
    assert len(icon.data) < len(source) / 2


def test_icon_with_many_colours_keeps_true_colour() -> None:
    gradient = Image.new("RGBA", (200, 200))
    gradient.putdata([(x, y, (x * y) % 256, 255) for y in range(200) for x in range(200)])
    icon = fit_icon(png(gradient), "image/png", 200)
    with Image.open(io.BytesIO(icon.data)) as fitted:
        assert fitted.mode == "RGBA"  # a 256-colour palette would band it


def test_vector_and_unreadable_icons_pass_through() -> None:
    vector = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>'
    assert fit_icon(vector, "image/svg+xml", 64).data == vector
    assert fit_icon(b"not an image", "image/png", 64).data == b"not an image"


def test_webify_inlines_each_icon_once_right_sized_with_a_tile_only_for_logos() -> None:
    svg = graphviz_like(
        images=image(POD_ICON) + image(POD_ICON, 75) + image(CONTAINERD_ICON),
        width="1172pt",
        view_box="0.00 0.00 1172.00 1057.00",
    )
    root = ET.fromstring(webify(svg))
    symbols = list(root.iter(f"{SVG}symbol"))
    assert len(symbols) == 2 and len(list(root.iter(f"{SVG}use"))) == 3
    for symbol in symbols:
        inner = symbol.find(f"{SVG}image")
        assert inner.get(XLINK_HREF).startswith("data:image/png;base64,")
        # 101 pt in a 1563 px picture shown at 760 px: 2 x 134.7 x 760/1563 -> 131 px
        assert symbol.get("viewBox") == "0 0 131 131"
    tiles = [s for s in symbols if s.find(f"{SVG}rect[@class='kn-tile']") is not None]
    assert len(tiles) == 1  # containerd's black logo gets a backdrop on slate; the blue Pod icon does not
    assert b"/resources/" not in webify(svg)  # no build-machine path left


def test_webify_puts_both_palettes_in_one_file() -> None:
    root = ET.fromstring(webify(graphviz_like(images=image(CONTAINERD_ICON))))
    style = root.find(f"{SVG}style").text
    light, dark = style.split("#only-dark:target", 1)
    assert "--kn-text:#2d3436" in light and "--kn-fill-blue:#e5f5fd" in light and "--kn-tile:none" in light
    assert "--kn-text:#e3e6ea" in dark and "--kn-fill-blue:#1d3442" in dark and "--kn-tile:#e8ebf0" in dark
    assert '[fill="#e5f5fd" i]{fill:var(--kn-fill-blue)}' in style
    assert "text:not([fill]){fill:var(--kn-black)}" in style  # Graphviz's unfilled black labels
    assert "--kn-accent" not in style  # only colours the picture uses
    group = root.find(f"{SVG}g[@id='only-dark']")
    assert group is not None and group.find(f"{SVG}g[@id='graph0']") is not None
    assert root.find(f"{SVG}defs") is not None  # icons outside the group, used from inside it
    assert root.find(f".//{SVG}title") is None
    assert not [p for p in root.iter(f"{SVG}polygon") if p.get("fill") == "white"]  # no page background


def test_webify_names_a_missing_icon() -> None:
    with pytest.raises(WebifyError, match=r"icon 'gone\.png' not found"):
        webify(graphviz_like(images=image(Path("/nowhere/gone.png"))))


def test_picture_size_in_css_pixels() -> None:
    assert picture_size(graphviz_like(images="")) == (781, 1409)  # 586 x 1057 pt
    assert picture_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>') == (300, 150)
    with pytest.raises(WebifyError, match="size is unknown"):
        picture_size(b'<svg xmlns="http://www.w3.org/2000/svg"/>')


def test_palette_images_one_file_twice_sized_first_eager() -> None:
    author = {"src": "../assets/diagrams/cluster.svg", "alt": "A cluster", "title": "t"}
    first = palette_images(author, (781, 1409), first=True)
    assert [img["src"] for img in first] == [
        "../assets/diagrams/cluster.svg#only-light",
        "../assets/diagrams/cluster.svg#only-dark",
    ]
    for img in first:
        assert img["alt"] == "A cluster" and img["title"] == "t"
        assert (img["width"], img["height"], img["decoding"]) == ("781", "1409", "async")
        assert "loading" not in img
    later = palette_images(author, (781, 1409), first=False)
    assert all(img["loading"] == "lazy" for img in later)


def test_show_in_both_palettes_rewrites_only_diagram_images_in_order() -> None:
    page = etree.fromstring(
        '<div><p><img alt="Tom &amp; Jerry\'s &lt;pods&gt;" src="../assets/diagrams/a.svg" />tail</p>'
        '<p><img src="photo.png" alt="not a diagram" /></p>'
        '<p><img alt="" src="../assets/diagrams/manifests/workloads/web-app.svg" /></p>'
        '<p><img alt="unknown" src="../assets/diagrams/not-published.svg" /></p></div>'
    )
    sizes = {"a": (100, 50), "manifests/workloads/web-app": (963, 1063)}
    missing_alt = show_in_both_palettes(page, "area/page.md", sizes)
    assert missing_alt == ["../assets/diagrams/manifests/workloads/web-app.svg"]
    tags = [dict(img.attrib) for img in page.iter("img")]
    diagrams = [t for t in tags if "#only-" in t["src"]]
    assert len(diagrams) == 4 and {"src": "photo.png", "alt": "not a diagram"} in tags
    assert diagrams[0]["alt"] == "Tom & Jerry's <pods>"
    assert [t.get("loading") for t in diagrams] == [None, None, "lazy", "lazy"]
    assert diagrams[2]["width"] == "963" and diagrams[3]["src"].endswith("web-app.svg#only-dark")
    assert page[0].text is None and page[0][-1].tail == "tail"  # the text after the image stays after it
    assert {"src": "../assets/diagrams/not-published.svg", "alt": "unknown"} in tags  # MkDocs flags it


def test_picture_of_recognises_only_diagram_sources_relative_to_the_page() -> None:
    assert picture_of("../assets/diagrams/manifests/workloads/web-app.svg", "workloads/p.md") == (
        "manifests/workloads/web-app"
    )
    assert picture_of("assets/diagrams/cluster.svg", "index.md") == "cluster"
    assert picture_of("../img/photo.png", "a/p.md") is None
    assert picture_of("../assets/diagrams/cluster.svg", "index.md") is None  # above the site's root
    assert picture_of("../myassets/diagrams/cluster.svg", "a/p.md") is None
