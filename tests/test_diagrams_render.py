"""Every diagram renders for real (Graphviz in subprocesses) into SVG fit for the web.

One cold render of every picture the site uses (scripts and manifest-drawn), in a copy of the
project with its own cache, then checks on each picture and a forced, byte-for-byte re-render.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import diagrams as mingrammer
import pytest

from kubenotes.cache import CacheStore
from kubenotes.diagrams import style
from kubenotes.diagrams.engine import render_project, script_jobs
from kubenotes.diagrams.manifest_figure import find_markers, manifest_jobs
from kubenotes.diagrams.render import Report
from kubenotes.diagrams.sources import find_scripts
from kubenotes.project import Project

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Anything that would point a reader's browser at the build machine.
LOCAL_PATH = re.compile(r"(?:file:|/work/|/home/|/tmp/|/usr/|/root/|site-packages|\.venv|[A-Z]:\\)")


def copy_project(dest: Path) -> Project:
    for name in ("diagrams", "snippets", "docs"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "mkdocs.yml").write_text("site_name: copy\n")
    return Project.from_settings(dest)


def render_everything(project: Project, *, force: bool = False) -> Report:
    jobs, _, problems = manifest_jobs(project, find_markers(project))
    assert not problems, problems
    return render_project(project, CacheStore(project.cache_dir), extra_jobs=jobs, force=force)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> Project:
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def cold(project: Project) -> Report:
    return render_everything(project)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("KUBENOTES_CACHE_DIR", raising=False)
        yield patch


PICTURES = [p.stem for p in find_scripts(ROOT / "diagrams")]


def test_the_agreed_diagrams_exist() -> None:
    agreed = {"cluster-architecture", "control-plane", "worker-node", "reconcile-loop",
              "apply-to-running-pod"}
    assert agreed <= set(PICTURES)


def test_every_picture_renders_cold(cold: Report) -> None:
    assert cold.errors == []
    assert cold.cached == []
    assert set(PICTURES) <= set(cold.rendered)
    assert "manifests/workloads/web-app" in cold.rendered
    assert set(cold.images) == set(cold.rendered)


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


def test_forced_rerender_is_byte_identical(project: Project, cold: Report) -> None:
    again = render_everything(project, force=True)
    assert again.errors == [] and again.cached == []
    for name, svg in cold.images.items():
        assert again.images[name] == svg, f"{name} differs between two renders"


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
        out = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                             check=True)
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
