"""The diagrams in real strict builds: every picture in the site in both palettes, a warm build renders
nothing, and a broken or hanging script fails the build naming the script, line and error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BuildResult, run_build
from kubenotes.diagrams.sources import find_scripts
from sites import convert, make_site, start_build

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


def test_second_build_renders_no_diagram(built_site: BuildResult) -> None:
    """The run's build left every picture in the project's cache: the build's diagrams stage, run again on
    the real project with that cache (what a second ``mkdocs build`` runs), renders none."""
    build, _ = start_build(ROOT)
    diagrams = build.capability("diagrams")
    assert diagrams.prepare() == []
    assert diagrams.rendered == 0 and diagrams.cached == len(diagrams.images) > 0, diagrams.summary()
    first = re.search(r"diagrams: (\d+) rendered, (\d+) from cache", built_site.log)
    assert first and int(first[1]) + int(first[2]) == diagrams.cached, built_site.log  # the same pictures


PICTURE = (
    "from diagrams.k8s.compute import Pod\n\nfrom kn_style import diagram\n\n"
    "with diagram():\n    Pod('web')\n"
)


def test_a_page_gets_the_palette_pair_and_an_image_without_alt_text_is_a_problem(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path / "site", {"index.md": "# Home\n"}, diagrams={"web.py": PICTURE})
    page = "# P\n\n![A Pod called web](../assets/diagrams/web.svg)\n\n![](../assets/diagrams/web.svg)\n"
    converted = convert(site, page, "area/p.md")
    assert converted.html.count('src="../assets/diagrams/web.svg#only-light"') == 2
    assert converted.html.count('src="../assets/diagrams/web.svg#only-dark"') == 2
    assert converted.messages == [
        "docs/area/p.md: diagram image ../assets/diagrams/web.svg has no alt text — "
        "write ![what the picture shows](...) so screen readers can describe it"
    ]
    assert set(converted.build.published()) == {"assets/diagrams/web.svg"}


def test_broken_and_hanging_scripts_fail_the_strict_build(tmp_path: Path) -> None:
    scripts = {
        "broken-example.py": "from kn_style import diagram\n\nwith diagram():\n    1 / 0\n",
        "hangs-forever.py": "import time\n\nwhile True:\n    time.sleep(0.05)\n",
    }
    site = make_site(tmp_path, {"index.md": "# Home\n"}, diagrams=scripts)
    result = run_build(
        site, site / "site", KUBENOTES_DIAGRAM_TIMEOUT="2", KUBENOTES_CACHE_DIR=str(tmp_path / "c")
    )
    assert result.returncode != 0
    assert "diagrams/broken-example.py:4: ZeroDivisionError: division by zero" in result.log
    assert re.search(r"diagrams/hangs-forever\.py:[34]: did not finish within 2 s", result.log), result.log
    assert "2 problem(s), listed above" in result.log
    assert not (site / "site" / "assets" / "diagrams" / "broken-example.svg").exists()
