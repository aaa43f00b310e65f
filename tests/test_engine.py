"""The shared parts of the engine: settings checked by type, the one cache store, the one problem format,
the seams (only the MkDocs adapter imports MkDocs; the drawer loads no validator), and bad input to the
manifest drawings (a catalog in tests/catalog/drawings/) reported without a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kubenotes import cache as cache_module
from kubenotes.cache import CacheStore
from kubenotes.diagrams import manifest_figure as figures
from kubenotes.diagrams.render import DiagramError
from kubenotes.problems import Problem, ProblemsFound, problem
from kubenotes.project import Project
from kubenotes.settings import load_settings
from sites import ROOT, convert, fixture_config, make_site, start_build

DRAWINGS = sorted((Path(__file__).parent / "catalog" / "drawings").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?P<kind>drawn|problem): (?P<fragment>.+)$", re.MULTILINE)


# --- settings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"kubectl_blocks": {"local_contexts": "lab-cluster"}},
            "kubenotes.extension.kubectl_blocks.local_contexts: expected a list of context names, "
            "got the string "
            "'lab-cluster' — write local_contexts: [lab-cluster]",
        ),
        (
            {"kubectl_blocks": {"client_timeout": "fast"}},
            "kubenotes.extension.kubectl_blocks.client_timeout: expected a number of seconds above 0, "
            "got the string "
            "'fast' — write client_timeout: 30",
        ),
        (
            {"kubectl_blocks": {"client_timout": 3}},
            "unknown setting 'client_timout' — known: client_timeout, ",
        ),
        ({"kubectl_block": {}}, "unknown setting 'kubectl_block'"),
        ({"snippets": ["a"]}, "kubenotes.extension.snippets: expected a folder or file name, got a list"),
    ],
)
def test_a_wrong_setting_names_its_key_and_what_it_expects(options: dict, message: str) -> None:
    with pytest.raises(ProblemsFound) as raised:
        load_settings(options)
    assert message in raised.value.problems[0].format()


@pytest.mark.build
def test_settings_errors_point_at_the_config_line_and_fail_the_build(tmp_path: Path) -> None:
    from conftest import run_build

    site = make_site(
        tmp_path,
        {"index.md": "# Home\n"},
        config=fixture_config(kubectl_blocks={"local_contexts": "lab-cluster"}),
    )
    with pytest.raises(ProblemsFound) as raised:
        start_build(site)
    (found,) = raised.value.problems
    line = next(
        n
        for n, text in enumerate((site / "mkdocs.yml").read_text().splitlines(), 1)
        if "local_contexts" in text
    )
    assert (found.path, found.line) == ("mkdocs.yml", line)
    result = run_build(site, site / "site")
    assert result.returncode != 0 and "expected a list of context names" in result.log
    assert "Traceback" not in result.log


def test_settings_that_are_right_are_taken() -> None:
    settings = load_settings({"kubectl_blocks": {"client_timeout": 5, "local_contexts": ["lab"]}})
    assert (settings.kubectl_blocks.client_timeout, settings.kubectl_blocks.local_contexts) == (5.0, ("lab",))


# --- the one cache store ----------------------------------------------------------------------------------


def test_cache_store_round_trip_marks_use_and_prunes_what_no_build_used(tmp_path: Path) -> None:
    store = CacheStore(tmp_path)
    store.put("area", "aa11", b"old")
    store.put("area", "bb22", b"used")
    month_ago = time.time() - 30 * 86400
    for key in ("aa11", "bb22"):
        os.utime(tmp_path / "area" / key[:2] / key, (month_ago, month_ago))
    assert store.get("area", "bb22") == b"used"  # reading marks the entry used now
    assert store.prune() == 1
    assert store.get("area", "aa11") is None and store.get("area", "bb22") == b"used"
    assert (store.hits, store.misses) == (2, 1)


def test_builds_prune_the_cache_at_most_once_a_day(tmp_path: Path) -> None:
    store = CacheStore(tmp_path)
    now = time.time()

    def stale_entry(key: str) -> None:
        store.put("area", key, b"unused")
        old = now - 30 * 86400
        os.utime(tmp_path / "area" / key[:2] / key, (old, old))

    stale_entry("aa11")
    assert store.prune_when_due(now=now) == 1  # never pruned: due
    stale_entry("bb22")
    assert store.prune_when_due(now=now + 3600) == 0  # an hour later: not due, the entry stays
    assert (tmp_path / "area" / "bb" / "bb22").is_file()
    assert store.prune_when_due(now=now + 86400 + 1) == 1  # a day later: due again


def test_a_tool_is_read_once_per_installed_copy_and_keyed_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kubectl (60 MB) is hashed once, not on every build; a reinstalled copy (new path, new mtime) with the
    same bytes gives the same digest, and a changed binary a new one."""
    store = CacheStore(tmp_path / "cache")
    tool = tmp_path / "venv-1" / "kubectl"
    tool.parent.mkdir()
    tool.write_bytes(b"\x7fELF kubectl 1.37")
    first = cache_module.tool_digest(tool, store)
    assert first == cache_module.file_digest(tool)
    cache_module.file_digest.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "file_digest", lambda path: pytest.fail(f"{path} was read again"))
        assert cache_module.tool_digest(tool, store) == first
    reinstalled = tmp_path / "venv-2" / "kubectl"
    reinstalled.parent.mkdir()
    reinstalled.write_bytes(tool.read_bytes())
    assert cache_module.tool_digest(reinstalled, store) == first
    tool.write_bytes(b"\x7fELF kubectl 1.38")
    cache_module.file_digest.cache_clear()
    assert cache_module.tool_digest(tool, store) not in (first, "")


def test_a_moved_tree_with_its_cache_runs_no_block_and_renders_no_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys hold no path or mtime: a fresh clone elsewhere (CI) with the cache restored reuses everything."""
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    picture = (
        "from diagrams.k8s.compute import Pod\n\nfrom kn_style import diagram\n\n"
        "with diagram():\n    Pod('p')\n"
    )
    page = (
        '# Home\n\n![A Pod](assets/diagrams/p.svg)\n\n```bash exec="on"\n'
        "kubectl create configmap c --from-literal=a=b --dry-run=client -o yaml\n```\n"
    )
    first = make_site(tmp_path / "first", {"index.md": page}, diagrams={"p.py": picture})
    cold = convert(first, page)
    assert cold.build.capability("diagrams").rendered == 1
    second = tmp_path / "elsewhere" / "second"
    shutil.copytree(first, second)
    os.utime(second / "diagrams" / "p.py")  # a fresh checkout has new mtimes
    warm = convert(second, page)
    assert warm.build.capability("diagrams").summary() == "diagrams: 0 rendered, 1 from cache"
    assert 'data-kn-exec="cached"' in warm.html and 'data-kn-exec="ran"' not in warm.html


# --- one problem format -----------------------------------------------------------------------------------


def test_one_problem_format_for_every_stage() -> None:
    assert (
        Problem(
            "error", "docs/p.md", 3, 5, "Deployment/web", "spec.replicas", "wrong type", "write a number"
        ).format()
        == "docs/p.md:3:5: Deployment/web: spec.replicas: wrong type — write a number"
    )
    assert problem("diagrams/x.py", 4, "ZeroDivisionError").format() == "diagrams/x.py:4: ZeroDivisionError"
    assert (
        problem("snippets/a.yaml", 0, "not UTF-8", severity="warning").format()
        == "snippets/a.yaml: warning: not UTF-8"
    )


# --- seams ------------------------------------------------------------------------------------------------


def test_only_the_mkdocs_adapter_imports_mkdocs() -> None:
    importers = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "src" / "kubenotes").rglob("*.py")
        if re.search(r"^\s*(import|from) mkdocs", p.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert importers == ["src/kubenotes/adapters/mkdocs.py"]


def test_the_drawer_and_the_graph_model_load_no_validator() -> None:
    code = (
        "import sys, kubenotes.diagrams.draw_manifest, kubenotes.diagrams.manifest_graph; "
        "print(sorted(m for m in ('jsonschema_rs', 'rapidfuzz', 'kubenotes.manifests.validator', 'mkdocs') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- bad input to manifest drawings -----------------------------------------------------------------------


@pytest.mark.parametrize("path", DRAWINGS, ids=[p.name for p in DRAWINGS])
def test_unusual_manifests_are_drawn_or_named_without_a_traceback(path: Path, tmp_path: Path) -> None:
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: declare '# expect: drawn|problem: fragment' in a leading comment"
    (tmp_path / "snippets").mkdir()
    shutil.copy(path, tmp_path / "snippets" / path.name)
    project = Project.from_settings(tmp_path)
    if match["kind"] == "drawn":
        graph = figures.load_graph(project, path.name)
        assert match["fragment"] in figures.alt_text(path.name, graph)
    else:
        with pytest.raises(DiagramError) as raised:
            figures.load_graph(project, path.name)
        assert raised.value.problem.path == f"snippets/{path.name}"
        assert match["fragment"] in raised.value.problem.message


def test_a_drawing_of_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "latin1.yaml").write_bytes(
        "kind: Pod\nmetadata: {name: caf\xe9}\n".encode("latin-1")
    )
    with pytest.raises(DiagramError) as raised:
        figures.load_graph(Project.from_settings(tmp_path), "latin1.yaml")
    assert (
        raised.value.problem.format()
        == "snippets/latin1.yaml: not UTF-8 text (byte 30) — save the file as UTF-8"
    )


def test_unused_lists_the_snippets_and_scripts_no_page_uses(tmp_path: Path, monkeypatch, capsys) -> None:
    from kubenotes.cli import main

    obj = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    page = (
        "# Home\n\n<!-- kn:manifest shown.yaml -->\n\n![A Pod](assets/diagrams/used.svg)\n\n"
        '```bash exec="on"\nkubectl create -f snippets/applied.yaml --dry-run=client -o yaml\n```\n'
    )
    snippets = {name: obj for name in ("shown.yaml", "applied.yaml", "kustomized/base/c.yaml", "orphan.yaml")}
    site = make_site(
        tmp_path, {"index.md": page}, snippets=snippets, diagrams={"used.py": "", "forgotten.py": ""}
    )
    monkeypatch.chdir(site)
    assert main(["unused"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "snippets/kustomized/base/c.yaml: no page uses it",
        "snippets/orphan.yaml: no page uses it",
        "diagrams/forgotten.py: no page uses it",
        "unused: 3",
    ]


@pytest.mark.build
def test_without_graphviz_the_cli_and_the_build_say_what_to_install(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {"index.md": "# Home\n"},
        diagrams={"x.py": "from kn_style import diagram\n\nwith diagram():\n    pass\n"},
    )
    tools = tmp_path / "bin"  # the shell tools a run needs, and no dot
    tools.mkdir()
    for tool in ("bash", "sh", "env"):
        (tools / tool).symlink_to(shutil.which(tool) or f"/bin/{tool}")
    venv = Path(sys.executable).parent
    env = dict(
        os.environ,
        PATH=f"{venv}{os.pathsep}{tools}",
        KUBENOTES_CACHE_DIR=str(tmp_path / "cache"),
        NO_MKDOCS_2_WARNING="1",
    )
    cli = subprocess.run(
        [str(venv / "kubenotes"), "diagrams"], cwd=site, env=env, capture_output=True, text=True
    )
    assert cli.returncode == 2 and "Graphviz cannot run" in cli.stderr and "Traceback" not in cli.stderr
    build = subprocess.run(
        [str(venv / "mkdocs"), "build", "--strict"], cwd=site, env=env, capture_output=True, text=True
    )
    assert build.returncode != 0 and "diagrams: Graphviz cannot run" in build.stderr
    assert "Traceback" not in build.stderr


def test_code_keeps_its_spaces_without_a_span_around_each_run_of_them(tmp_path: Path) -> None:
    """Pygments' whitespace spans carry no style; the engine drops them (a third of a page's spans)."""
    site = make_site(tmp_path / "site", {"index.md": "# Title\n"})
    page = '```yaml\nspec:\n  replicas:   3\n```\n\n`a  b` and <span class="w">kept</span>\n'
    html = convert(site, page).html
    assert '<span class="w">' not in html.replace('<span class="w">kept</span>', "")
    assert '<span class="w">kept</span>' in html  # an author's own span is text, not pygments output
    code = re.sub(r"<[^>]+>", "", html.split("<code>", 1)[1].split("</code>", 1)[0])
    assert code == "spec:\n  replicas:   3\n"


def test_each_table_gets_a_div_of_its_own_and_keeps_its_place(tmp_path: Path) -> None:
    """Material's startup move of a table then restyles the table, not the whole article (table_slots)."""
    site = make_site(tmp_path / "site", {"index.md": "# Title\n"})
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    in_note = "".join(f"    {line}\n" for line in table.splitlines())
    page = f"Before.\n\n{table}\nBetween.\n\n!!! note\n\n{in_note}\nAfter.\n"
    html = convert(site, page).html
    assert html.count("<table>") == 2
    assert html.count('<div class="kn-table">\n<table>') == 2, html
    assert html.count("</table>\n</div>") == 2, html
    text = re.sub(r"<[^>]+>", " ", html).split()
    assert text == ["Before.", "a", "b", "1", "2", "Between.", "Note", "a", "b", "1", "2", "After."], text
