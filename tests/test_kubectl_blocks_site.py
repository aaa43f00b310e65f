"""Executed shell blocks through a real MkDocs build: real kubectl, real markdown-exec, real cache.

A small site (one page, the project's own hook) keeps each build to a couple of seconds and
independent of the other pages' state; one test also checks the real site's Try it locally page.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, BuildResult, run_build

pytestmark = pytest.mark.build

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
SUMMARY = re.compile(r"kubectl blocks \(offline\): (\d+) ran, (\d+) from cache, (\d+) shown without running")


def _site(folder: Path, page: str = PAGE) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = {
        "site_name": "blocks", "theme": {"name": "material"}, "plugins": ["markdown-exec"],
        "hooks": [str(ROOT / "hooks" / "kubectl_blocks.py")],
        "markdown_extensions": ["admonition", "pymdownx.superfences",
                                {"pymdownx.highlight": {"anchor_linenums": True}}],
        "extra": {"kubectl_blocks": {"client_timeout": 20}},
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def _build(site: Path, output: str = "site", **env: str) -> BuildResult:
    return run_build(site, site / output, KUBENOTES_CACHE_DIR=str(site / "cache"), **env)


def _counts(result: BuildResult) -> tuple[int, int, int]:
    match = SUMMARY.search(result.log)
    assert match, f"no kubectl summary in the build log:\n{result.log}"
    ran, cached, shown = map(int, match.groups())
    return ran, cached, shown


def _blocks(result: BuildResult) -> list:
    html = (result.site_dir / "index.html").read_text(encoding="utf-8")
    return LexborHTMLParser(html).css("div.kn-exec")


@pytest.fixture(scope="module")
def cold_then_warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult, BuildResult]:
    site = _site(tmp_path_factory.mktemp("blocks"))
    cold = _build(site, "cold")
    assert cold.returncode == 0, cold.log
    warm = _build(site, "warm")
    assert warm.returncode == 0, warm.log
    return site, cold, warm


def test_client_blocks_run_and_their_real_output_lands_in_the_html(cold_then_warm) -> None:
    _, cold, _ = cold_then_warm
    blocks = _blocks(cold)
    assert [b.attributes["data-kn-exec"] for b in blocks] == ["ran", "ran", "ran", "shown"]
    deployment, secret, error, cluster = blocks
    command = deployment.css_first("code").text().strip()
    assert command == "kubectl create deployment web --image=nginx:1.27 --replicas=3 --dry-run=client -o yaml"
    assert "replicas: 3" in deployment.text() and "kind: Deployment" in deployment.text()
    assert "kubectl v1.37" in deployment.css_first(".kn-exec-label").text()
    assert "password: czNjcjN0" in secret.text()  # base64 of s3cr3t, printed by kubectl itself
    assert 'required flag(s) "image" not set' in error.text()
    assert "exit code 1 as intended" in error.text()
    assert "Needs a cluster" in cluster.text() and "STATUS" not in cluster.text()
    assert len(deployment.css("pre")) == 2  # command and output in separate blocks
    assert deployment.css("pre")[1].css_first("code").css("span")  # output highlighted (YAML)
    ids = [node.attributes["id"] for node in LexborHTMLParser(
        (cold.site_dir / "index.html").read_text(encoding="utf-8")).css("[id]")]
    assert len(ids) == len(set(ids))  # line anchors of nested code blocks do not collide


def test_counts_cold_then_warm_build_runs_kubectl_zero_times(cold_then_warm) -> None:
    _, cold, warm = cold_then_warm
    assert _counts(cold) == (3, 0, 1)
    assert _counts(warm) == (0, 3, 1)


def test_changing_one_block_reruns_only_that_block(cold_then_warm) -> None:
    site, _, _ = cold_then_warm
    page = site / "docs" / "index.md"
    page.write_text(PAGE.replace("--replicas=3", "--replicas=5"), encoding="utf-8")
    result = _build(site)
    assert result.returncode == 0, result.log
    assert _counts(result) == (1, 2, 1)
    assert "replicas: 5" in _blocks(result)[0].text()


def test_a_changed_input_file_reruns_the_block_that_reads_it(tmp_path: Path) -> None:
    command = "kubectl create configmap app --from-file=app.properties --dry-run=client -o yaml"
    site = _site(tmp_path / "s", f'```bash exec="on" result="yaml"\n{command}\n```\n')
    (site / "app.properties").write_text("color=blue\n", encoding="utf-8")
    assert _counts(_build(site))[:2] == (1, 0)
    assert _counts(_build(site))[:2] == (0, 1)
    (site / "app.properties").write_text("color=green\n", encoding="utf-8")
    result = _build(site)
    assert _counts(result)[:2] == (1, 0)
    assert "color=green" in _blocks(result)[0].text()


def test_unexpected_exit_fails_the_strict_build_naming_page_and_line(tmp_path: Path) -> None:
    page = ('# Broken\n\nText.\n\n```bash exec="on" result="yaml"\n'
            "kubectl create deployment web --dry-run=client\n```\n")
    result = _build(_site(tmp_path / "s", page))
    assert result.returncode != 0
    assert "docs/index.md:5: the block exited with code 1, expected 0" in result.log
    assert not list((tmp_path / "s" / "cache").rglob("*.json"))  # a failure leaves no cache entry


def test_invalid_yaml_output_fails_validation_naming_the_page(tmp_path: Path) -> None:
    page = textwrap.dedent("""\
        # Invalid

        ```bash exec="on" result="yaml"
        printf 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: x\\nspec:\\n  replicas: nope\\n'
        ```
        """)
    result = _build(_site(tmp_path / "s", page))
    assert result.returncode != 0
    finding = (r"docs/index\.md:\d+:\d+: Deployment/x: spec\.replicas: .*"
               r"\(in the output of the block at docs/index\.md:3\)")
    assert re.search(finding, result.log), result.log


def test_live_build_refuses_a_non_local_context_before_any_block_runs(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "prod",
        "clusters": [{"name": "prod", "cluster": {"server": "https://prod.example:6443"}}],
        "users": [{"name": "prod", "user": {"token": "t"}}],
        "contexts": [{"name": "prod", "context": {"cluster": "prod", "user": "prod"}}],
    }), encoding="utf-8")
    site = _site(tmp_path / "s")
    result = _build(site, KUBENOTES_LIVE="1", KUBECONFIG=str(kubeconfig))
    assert result.returncode != 0
    assert "the current kubectl context 'prod' is not a local development cluster" in result.log
    assert not (site / "cache").exists()  # not even the client blocks ran
    assert not SUMMARY.search(result.log)


def test_live_build_runs_cluster_blocks_with_real_kubectl_and_drops_the_sample(tmp_path: Path) -> None:
    """No cluster here: the kind-* context points at a port nothing listens on, so real kubectl runs
    in live mode and fails fast; the block declares that exit code, so the build passes."""
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "kind-test",
        "clusters": [{"name": "kind-test", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "kind-test", "user": {"token": "t"}}],
        "contexts": [{"name": "kind-test", "context": {"cluster": "kind-test", "user": "kind-test"}}],
    }), encoding="utf-8")
    page = ('```bash exec="on" result="text" returncode="1"\nkubectl get pods\n```\n\n'
            "The output is similar to:\n\n```text\nSAMPLE-ONLY\n```\n")
    result = _build(_site(tmp_path / "s", page), KUBENOTES_LIVE="1", KUBECONFIG=str(kubeconfig))
    assert result.returncode == 0, result.log
    assert "kubectl blocks (live against 'kind-test'): 1 ran" in result.log
    (block,) = _blocks(result)
    assert (block.attributes["data-kn-exec"], block.attributes["data-kn-kind"]) == ("ran", "cluster")
    assert "127.0.0.1:1" in block.text() and "kind-test" in block.text()
    assert "SAMPLE-ONLY" not in (result.site_dir / "index.html").read_text(encoding="utf-8")


def test_real_site_try_it_locally_page_shows_executed_and_not_run_blocks(built_site: BuildResult) -> None:
    html = (built_site.site_dir / "tools" / "try-it-locally" / "index.html").read_text(encoding="utf-8")
    blocks = LexborHTMLParser(html).css("div.kn-exec")
    states = [b.attributes["data-kn-exec"] for b in blocks]
    assert states.count("ran") + states.count("cached") >= 6
    assert "shown" in states and "failed" not in states
    assert any("password: czNjcjN0IQ==" in b.text() for b in blocks)  # the Secret example, real base64
