"""The diagrams in real strict builds: every picture in the site in both palettes, a warm build renders
nothing, and a broken or hanging script fails the build naming the script, line and error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BuildResult, run_build
from kubenotes.diagrams.sources import find_scripts

ROOT = Path(__file__).resolve().parent.parent
IMG = re.compile(r'<img\b[^>]*\bsrc="[^"]*assets/diagrams/[^"]+"[^>]*>')
SRC = re.compile(r'\bsrc="(?P<src>[^"]+)"')

pytestmark = pytest.mark.build


def test_every_picture_is_published_once_for_both_palettes(built_site: BuildResult) -> None:
    folder = built_site.site_dir / "assets" / "diagrams"
    for script in find_scripts(ROOT / "diagrams"):
        assert (folder / f"{script.stem}.svg").is_file(), script.name
    assert (folder / "manifests" / "workloads" / "web-app.svg").is_file()
    assert not list(folder.rglob("*.dark.svg")), "a second file per picture: dark lives in the same SVG"


def test_pages_show_one_file_in_both_palettes_sized_and_lazy(built_site: BuildResult) -> None:
    """Each picture: the same file as #only-light and #only-dark, width/height set, all but the first lazy."""
    seen = 0
    for page in built_site.site_dir.rglob("*.html"):
        tags = [m[0] for m in IMG.finditer(page.read_text(encoding="utf-8"))]
        for number, (light, dark) in enumerate(zip(tags[::2], tags[1::2], strict=True)):
            light_src, dark_src = (SRC.search(tag)["src"] for tag in (light, dark))
            assert light_src.endswith(".svg#only-light") and dark_src.endswith(".svg#only-dark"), page
            assert light_src.removesuffix("#only-light") == dark_src.removesuffix("#only-dark"), page
            assert (page.parent / light_src.split("#")[0]).resolve().is_file(), (page, light_src)
            for tag in (light, dark):
                assert re.search(r'\bwidth="\d+"', tag) and re.search(r'\bheight="\d+"', tag), (page, tag)
                assert 'decoding="async"' in tag, (page, tag)
                assert ('loading="lazy"' in tag) == (number > 0), (page, number, tag)
            seen += 1
    assert seen >= 1


def test_second_build_renders_no_diagram(built_site: BuildResult, tmp_path: Path) -> None:
    again = run_build(ROOT, tmp_path / "site")
    assert again.returncode == 0, again.log
    assert re.search(r"diagrams: 0 rendered, \d+ from cache", again.log), again.log


def test_broken_and_hanging_scripts_fail_the_strict_build(site_copy: Path) -> None:
    scripts = site_copy / "diagrams"
    (scripts / "broken-example.py").write_text("from kn_style import diagram\n\nwith diagram():\n    1 / 0\n")
    (scripts / "hangs-forever.py").write_text("import time\n\nwhile True:\n    time.sleep(0.05)\n")
    result = run_build(site_copy, site_copy / "site", KUBENOTES_DIAGRAM_TIMEOUT="2")
    assert result.returncode != 0
    assert "diagrams/broken-example.py:4: ZeroDivisionError: division by zero" in result.log
    assert re.search(r"diagrams/hangs-forever\.py:[34]: did not finish within 2 s", result.log), result.log
    assert not (site_copy / "site" / "assets" / "diagrams" / "broken-example.svg").exists()
