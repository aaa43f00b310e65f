"""Every diagram renders for real (Graphviz in subprocesses) into SVG fit for the web.

One cold render of every picture the site uses (scripts and manifest-drawn) per test run: ``kubenotes
diagrams`` in a copy of the project with an empty cache of its own (tests/conftest.py, shared by every
worker), then checks on each picture, read back from that cache. Renders are byte-for-byte repeatable:
every picture of the cold render is the same as the one the run's site build published, which that build
rendered on its own or took from the project's cache (keys cover script, engine and toolchain, so the entry
came from another render of the same inputs); and a forced re-render of one picture per drawing path (a
script, a manifest graph, a NetworkPolicy graph) gives the same bytes again.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import diagrams as mingrammer
import pytest

from conftest import BuildResult, ColdRender
from kubenotes.cache import CacheStore
from kubenotes.diagrams import style
from kubenotes.diagrams.engine import SITE_DIR, render_project, script_jobs
from kubenotes.diagrams.manifest_figure import find_markers, manifest_jobs
from kubenotes.diagrams.render import Report
from kubenotes.diagrams.sources import find_scripts
from kubenotes.project import Project

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Anything that would point a reader's browser at the build machine.
LOCAL_PATH = re.compile(r"(?:file:|/work/|/home/|/tmp/|/usr/|/root/|site-packages|\.venv|[A-Z]:\\)")


def render_everything(
    project: Project, cache: CacheStore, *, force: bool = False, names: tuple[str, ...] = ()
) -> Report:
    jobs, _, problems = manifest_jobs(project, find_markers(project))
    assert not problems, problems
    return render_project(project, cache, extra_jobs=jobs, force=force, names=names)


@pytest.fixture(scope="module")
def project(diagrams_cold_render: ColdRender) -> Project:
    return Project.from_settings(diagrams_cold_render.project_dir)


@pytest.fixture(scope="module")
def cold(diagrams_cold_render: ColdRender, project: Project) -> Report:
    """The cold render's pictures, read back from the cache it filled (this pass renders nothing)."""
    report = render_everything(project, CacheStore(diagrams_cold_render.cache_dir))
    assert report.rendered == [] and report.errors == [], "the cold render's cache lacks pictures"
    return report


PICTURES = [p.stem for p in find_scripts(ROOT / "diagrams")]
# One picture per drawing path: a script (with repeated icons), a manifest graph, a NetworkPolicy graph.
FORCED_SAMPLE = (
    "cluster-architecture",
    "manifests/workloads/web-app",
    "manifests/networking/network-policy-default-deny",
)


def test_the_agreed_diagrams_exist() -> None:
    agreed = {
        "cluster-architecture",
        "control-plane",
        "worker-node",
        "reconcile-loop",
        "apply-to-running-pod",
    }
    assert agreed <= set(PICTURES)


def test_every_picture_renders_cold(diagrams_cold_render: ColdRender, cold: Report) -> None:
    """With an empty cache every picture was rendered, none came from a cache, none failed."""
    assert diagrams_cold_render.returncode == 0, diagrams_cold_render.log
    summary = diagrams_cold_render.log.strip().splitlines()[-1]
    assert summary == f"diagrams: {len(cold.images)} rendered, 0 cached, 0 failed", diagrams_cold_render.log
    assert set(PICTURES) <= set(cold.images)
    assert "manifests/workloads/web-app" in cold.images


@pytest.mark.parametrize("name", [*PICTURES, "manifests/workloads/web-app"])
def test_svg_is_web_ready(cold: Report, name: str) -> None:
    svg = cold.images[name]
    text = svg.decode("utf-8")
    root = ET.fromstring(svg)  # parses as XML
    assert root.tag == f"{SVG}svg"
    assert not LOCAL_PATH.search(text), LOCAL_PATH.search(text)
    assert all(image.get(XLINK_HREF, "").startswith("data:") for image in root.iter(f"{SVG}image"))
    symbols = {s.get("id") for s in root.iter(f"{SVG}symbol")}
    uses = [u.get(XLINK_HREF, "")[1:] for u in root.iter(f"{SVG}use")]
    assert set(uses) <= symbols  # every icon resolves inside the file
    assert len(symbols) == len(set(uses))  # one symbol per distinct icon, none unused
    assert "DejaVu Sans" in text and "sans-serif" in text
    assert 'fill="white"' not in text  # no opaque page background
    assert root.find(f"{SVG}g[@id='only-dark']") is not None  # both palettes in the one file


def test_one_file_carries_both_palettes(cold: Report) -> None:
    """Light colours stay in the attributes; the stylesheet gives their dark twins to #only-dark."""
    svg = cold.images["cluster-architecture"]
    style = ET.fromstring(svg).find(f"{SVG}style")
    assert style is not None and style.text
    assert b'fill="#2d3436"' in svg  # light text colour, as Graphviz wrote it
    assert "--kn-text:#2d3436" in style.text and "#only-dark:target{" in style.text
    assert "--kn-text:#e3e6ea" in style.text.split("#only-dark:target{", 1)[1]
    assert '[fill="#2d3436" i]{fill:var(--kn-text)}' in style.text


def test_repeated_icons_are_stored_once(cold: Report) -> None:
    svg = ET.fromstring(cold.images["cluster-architecture"])
    uses = [u.get(XLINK_HREF) for u in svg.iter(f"{SVG}use")]
    assert len(uses) > len(set(uses))  # four Pods share one icon
    assert len(list(svg.iter(f"{SVG}symbol"))) == len(set(uses))


@pytest.mark.build
def test_every_picture_is_byte_identical_to_the_site_builds_own(
    cold: Report,
    built_site: BuildResult,
) -> None:
    """The run's site build rendered each picture itself or took it from the project's cache: either way a
    render other than the cold one above, so the same bytes mean renders are repeatable."""
    published = built_site.site_dir / SITE_DIR
    assert set(cold.images) == {
        p.relative_to(published).as_posix().removesuffix(".svg") for p in published.rglob("*.svg")
    }
    for name, svg in cold.images.items():
        assert (published / f"{name}.svg").read_bytes() == svg, f"{name} differs from the site's"


def test_forced_rerender_is_byte_identical(project: Project, cold: Report, tmp_path: Path) -> None:
    assert set(FORCED_SAMPLE) <= set(cold.images)
    again = render_everything(project, CacheStore(tmp_path / "cache"), force=True, names=FORCED_SAMPLE)
    assert again.errors == [] and again.cached == []
    assert sorted(again.rendered) == sorted(FORCED_SAMPLE)
    for name in FORCED_SAMPLE:
        assert again.images[name] == cold.images[name], f"{name} differs between two renders"


def test_script_runs_standalone_for_its_author(tmp_path: Path) -> None:
    """``python diagrams/x.py OUTDIR`` writes x.svg there, and into the current folder without one."""
    script = ROOT / "diagrams" / "reconcile-loop.py"
    subprocess.run([sys.executable, str(script), str(tmp_path / "out")], check=True, cwd=tmp_path, timeout=60)
    assert (tmp_path / "out" / "reconcile-loop.svg").is_file()
    subprocess.run([sys.executable, str(script)], check=True, cwd=tmp_path, timeout=60)
    assert (tmp_path / "reconcile-loop.svg").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["reconcile-loop.svg"]  # no .gv left over


def test_import_diagrams_means_mingrammer_everywhere() -> None:
    """Neither the engine package nor the project's diagrams/ folder shadows mingrammer's package."""
    code = "import kubenotes.diagrams, diagrams; print(diagrams.__file__); print(diagrams.Diagram)"
    for cwd in (ROOT, ROOT / "diagrams", Path(tempfile.gettempdir())):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
        )
        assert "site-packages" in out.stdout and "class 'diagrams.Diagram'" in out.stdout


def test_stable_node_ids_rely_on_one_private_mingrammer_attribute() -> None:
    """The house style replaces ``diagrams.Node._rand_id`` (random uuids) with a counter; this fails when
    mingrammer renames or drops it, so the one private patch cannot silently stop working."""
    assert hasattr(mingrammer.Node, style.RAND_ID)
    first, second = mingrammer.Node._rand_id(), mingrammer.Node._rand_id()
    assert first != second and first.startswith("n") and second.startswith("n")


def test_script_names_become_urls(project: Project) -> None:
    jobs, errors = script_jobs(project)
    assert errors == []
    assert all(re.fullmatch(r"[a-z0-9-]+", job.name) for job in jobs)
