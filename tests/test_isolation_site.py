"""Whole MkDocs builds on an author's laptop with a production kubeconfig: no block reaches production.

A loopback listener stands in for the production API server (no cluster can run here) and the build
runs with ``HOME`` and ``KUBECONFIG`` both pointing at it. The page holds attack forms that the text
checks let through (the command hidden in a quoted ``$(...)``) and, for the live build, forms that run
only live; the live build's checked context points at a second listener, a stand-in for the local
cluster. The real kubectl runs every block.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BuildResult, run_build
from isolation_support import Listener, kubeconfig
from kubenotes import sandbox
from sites import make_site

pytestmark = [
    pytest.mark.build,
    pytest.mark.skipif(
        not sandbox.isolation().kernel, reason=f"no kernel isolation here: {sandbox.isolation().reason}"
    ),
]


def _site(folder: Path, page: str) -> Path:
    return make_site(folder, {"index.md": page})


def _fence(script: str, returncode: int = 0) -> str:
    return f'```bash exec="on" result="text" returncode="{returncode}"\n{script}\n```\n\n'


@pytest.fixture
def laptop(tmp_path: Path) -> tuple[Listener, Path, Path]:
    """The production stand-in, the author's HOME (its ~/.kube/config points there) and $KUBECONFIG."""
    prod = Listener()
    home = tmp_path / "home"
    kubeconfig(home / ".kube" / "config", "prod-eu", prod.server)
    yield prod, home, kubeconfig(tmp_path / "prod.yaml", "prod-eu", prod.server)
    prod.close()


def _build(site: Path, home: Path, config: Path, **env: str) -> BuildResult:
    return run_build(
        site,
        site / "site",
        KUBENOTES_CACHE_DIR=str(site / "cache"),
        HOME=str(home),
        KUBECONFIG=str(config),
        **env,
    )


def test_offline_build_makes_no_connection_to_production(tmp_path: Path, laptop) -> None:
    prod, home, config = laptop
    page = "# Attacks\n\n" + "".join(
        _fence(script)
        for script in (
            f'echo "$(kubectl --kubeconfig {config} get pods 2>&1)"',
            'echo "$(unset KUBECONFIG; kubectl get pods 2>&1)"',
            f'echo "$(kubectl --kubeconfig {home}/.kube/config get pods 2>&1)"',
            f'printf "%s\\n" "$(curl -sk --max-time 3 {prod.server}/api 2>&1; echo curl exit $?)"',
            "kubectl create namespace demo --dry-run=client -o yaml",
        )
    )
    result = _build(_site(tmp_path / "s", page), home, config)
    assert result.returncode == 0, result.log
    assert "kubectl blocks (offline): 5 ran" in result.log
    assert "sandbox isolation: kernel" in result.log
    assert prod.connections() == 0, result.log


def test_live_build_reaches_only_the_checked_local_server(tmp_path: Path, laptop) -> None:
    prod, home, prod_config = laptop
    local = Listener()
    local_config = kubeconfig(tmp_path / "local.yaml", "kind-local", local.server)
    page = "# Attacks\n\n" + "".join(
        _fence(script, 1)
        for script in (
            "kubectl get pods",
            f"env KUBECONFIG={prod_config} kubectl get pods",
            f"export KUBECONFIG={prod_config}; kubectl get pods",
            f"declare -x KUBECONFIG={prod_config}; kubectl get pods",
            "unset KUBECONFIG; kubectl get pods",
            f"timeout 20 kubectl --kubeconfig {prod_config} get pods",
            f"bash -c 'kubectl --server {prod.server} --insecure-skip-tls-verify get pods'",
            f"HOME={home} bash -c 'unset KUBECONFIG; kubectl get pods'",
        )
    )
    page += _fence(f"curl -sk --max-time 3 {prod.server}/api", 7)  # 7: curl could not connect
    result = _build(_site(tmp_path / "s", page), home, local_config, KUBENOTES_LIVE="1")
    assert result.returncode == 0, result.log
    assert "kubectl blocks (live against 'kind-local'): 9 ran" in result.log
    assert prod.connections() == 0, result.log
    # The stand-in for the local cluster was reached: only its plain-text answer makes kubectl say this.
    html = (result.site_dir / "index.html").read_text(encoding="utf-8")
    assert "server gave HTTP response to HTTPS client" in html
    local.close()


def test_live_build_refuses_a_local_name_on_a_foreign_server(tmp_path: Path, laptop) -> None:
    _, home, _ = laptop
    foreign = kubeconfig(tmp_path / "kind-prod.yaml", "kind-prod", "https://203.0.113.10:6443")
    result = _build(
        _site(tmp_path / "s", "# x\n\n" + _fence("kubectl get pods", 1)), home, foreign, KUBENOTES_LIVE="1"
    )
    assert result.returncode != 0
    refused = "'kind-prod' has the name of a local cluster, but its server https://203.0.113.10:6443"
    assert refused in result.log
