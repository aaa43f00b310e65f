"""The render cache and failures, on a tiny project with real renders: hits and misses are counted,
a broken or hanging script is reported with its path and line and leaves nothing behind."""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import time
from pathlib import Path

import pytest

from kubenotes.cache import CacheStore
from kubenotes.cli import main
from kubenotes.diagrams.engine import render_project as render_pictures
from kubenotes.diagrams.render import CACHE_AREA, Report
from kubenotes.project import Project

ROOT = Path(__file__).resolve().parent.parent
PICTURE = """\
from diagrams.k8s.compute import Pod

from kn_style import diagram, edge

with diagram():
    Pod("{label}") >> edge("runs") >> Pod("other")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """mkdocs.yml, the real style module and three small pictures, with a cache of its own."""
    monkeypatch.delenv("KUBENOTES_CACHE_DIR", raising=False)
    (tmp_path / "mkdocs.yml").write_text("site_name: tiny\n")
    scripts = tmp_path / "diagrams"
    scripts.mkdir()
    shutil.copy(ROOT / "diagrams" / "kn_style.py", scripts)
    for name in ("one", "two", "three"):
        (scripts / f"{name}.py").write_text(PICTURE.format(label=name))
    return tmp_path


def render_project(root: Path, **kwargs) -> Report:
    project = Project.from_settings(root)
    return render_pictures(project, CacheStore(project.cache_dir), **kwargs)


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (Project.from_settings(root).cache_dir / CACHE_AREA).rglob("*") if p.is_file())


def test_warm_run_renders_nothing_and_an_edit_renders_one(project: Path) -> None:
    cold = render_project(project)
    assert sorted(cold.rendered) == ["one", "three", "two"] and cold.cached == []

    warm = render_project(project)
    assert warm.rendered == [] and sorted(warm.cached) == ["one", "three", "two"]
    assert warm.images == cold.images

    script = project / "diagrams" / "two.py"
    os.utime(script, (time.time() + 5, time.time() + 5))  # a save without a change: still a hit
    assert render_project(project).rendered == []

    script.write_text(PICTURE.format(label="two, edited"))
    edited = render_project(project)
    assert edited.rendered == ["two"] and sorted(edited.cached) == ["one", "three"]
    assert edited.images["two"] != cold.images["two"]
    assert len(entries(project)) == 4  # the old "two" stays until no build has used it for a while


def test_editing_the_style_module_renders_every_picture_again(project: Path) -> None:
    render_project(project)
    style = project / "diagrams" / "kn_style.py"
    style.write_text(style.read_text() + "\n# a change in the shared style\n")
    assert sorted(render_project(project).rendered) == ["one", "three", "two"]


def test_broken_script_names_path_line_and_error_and_stores_nothing(project: Path) -> None:
    broken = "from kn_style import diagram\n\nwith diagram():\n    1 / 0\n"
    (project / "diagrams" / "broken.py").write_text(broken)
    (project / "diagrams" / "typo.py").write_text("import kn_style\n\nx = (\n")
    report = render_project(project)
    messages = sorted(e.format() for e in report.errors)
    assert messages[0].startswith("diagrams/broken.py:4: ZeroDivisionError: division by zero — ")
    assert messages[1].startswith("diagrams/typo.py:3: SyntaxError:")
    assert "broken" not in report.images and "typo" not in report.images
    assert sorted(report.rendered) == ["one", "three", "two"]  # the others still render
    assert len(entries(project)) == 3  # a failed render stores nothing, not even a temporary file


def test_hanging_script_is_stopped_by_the_timeout(project: Path) -> None:
    (project / "diagrams" / "hangs.py").write_text("import time\n\nwhile True:\n    time.sleep(0.05)\n")
    report = render_project(project, names=["hangs"], timeout=1)
    [error] = report.errors
    assert error.path == "diagrams/hangs.py" and error.line in (3, 4)  # where it was interrupted
    assert "did not finish within 1 s" in error.message
    assert report.images == {}


def test_script_that_draws_nothing_is_an_error(project: Path) -> None:
    (project / "diagrams" / "empty.py").write_text("print('forgot to draw')\n")
    [error] = render_project(project, names=["empty"]).errors
    assert error.format().startswith("diagrams/empty.py: ran without writing empty.svg")


def test_cli_counts_rendered_cached_failed(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "docs").mkdir()
    monkeypatch.chdir(project)
    assert main(["diagrams", "--jobs", "2"]) == 0
    assert capsys.readouterr().out.strip() == "diagrams: 3 rendered, 0 cached, 0 failed"
    assert main(["diagrams"]) == 0
    assert capsys.readouterr().out.strip() == "diagrams: 0 rendered, 3 cached, 0 failed"
    assert main(["diagrams", "--force", "one"]) == 0
    assert capsys.readouterr().out.strip() == "diagrams: 1 rendered, 0 cached, 0 failed"
    assert main(["diagrams", "nope"]) == 1
    captured = capsys.readouterr()
    assert "nope: no such diagram" in captured.err and "1 failed" in captured.out


def test_a_data_file_the_script_reads_is_an_input(project: Path) -> None:
    """The build records what a script opens; editing that file renders the picture again."""
    (project / "data").mkdir()
    (project / "data" / "nodes.txt").write_text("api\netcd\n")
    reader = (
        "from pathlib import Path\n\nfrom diagrams.k8s.compute import Pod\n\n"
        "from kn_style import diagram\n\n"
        "names = (Path(__file__).parent.parent / 'data' / 'nodes.txt').read_text().split()\n"
        "with diagram():\n    for name in names:\n        Pod(name)\n"
    )
    (project / "diagrams" / "reads-data.py").write_text(reader)
    assert render_project(project, names=["reads-data"]).rendered == ["reads-data"]
    assert render_project(project, names=["reads-data"]).cached == ["reads-data"]
    (project / "data" / "nodes.txt").write_text("api\netcd\nscheduler\n")
    again = render_project(project, names=["reads-data"])
    assert again.rendered == ["reads-data"] and b"scheduler" in again.images["reads-data"]
    (project / "data" / "nodes.txt").unlink()
    gone = render_project(project, names=["reads-data"])
    assert gone.rendered == [] and "FileNotFoundError" in gone.errors[0].message


def test_a_timeout_ends_detached_children_that_hold_the_output(project: Path) -> None:
    """A render that leaves a detached child holding stdout is stopped with every process it started."""
    pid_file = project / "child.pid"
    # A duration no other process on a shared machine sleeps for, so the check below finds only this child.
    duration = f"300.{secrets.randbelow(10**9):09d}"
    (project / "diagrams" / "leaves-child.py").write_text(
        "import subprocess, time\n"
        f"child = subprocess.Popen(['sleep', {duration!r}], start_new_session=True)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "while True:\n    time.sleep(0.05)\n"
    )
    finished = threading.Event()
    reports = []
    worker = threading.Thread(
        target=lambda: (
            reports.append(render_project(project, names=["leaves-child"], timeout=2)),
            finished.set(),
        )
    )
    worker.start()
    assert finished.wait(120), "the render was still running long after its 2 s limit"
    [error] = reports[0].errors
    assert "did not finish within 2 s" in error.message
    assert not _sleep_children_alive(duration), "the detached child outlived the render"


def _sleep_children_alive(duration: str) -> list[str]:
    """`sleep DURATION` processes still running anywhere on the machine (the child's pid lives in another
    namespace when the sandbox has one, so look for the command)."""
    wanted = [b"sleep", duration.encode()]
    alive = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().split(b"\0")[:2] == wanted:
                alive.append(proc.name)
        except OSError:
            continue
    return alive
