"""The execution engine without MkDocs: classification, the live guard, redaction and live runs.

Live runs use a stub ``kubectl`` placed first on PATH. It is the one test double in this suite,
because no Kubernetes cluster can run on the machines these tests run on; everything else here
(bash, timeouts, process groups, kubeconfig handling, redaction, the cache) is real.
"""

from __future__ import annotations

import base64
import os
import stat
import uuid
from pathlib import Path

import pytest
import yaml

from kubenotes.cache import CacheStore
from kubenotes.execution.commands import BlockKind, CommandError, parse_block
from kubenotes.execution.engine import Block, BlockEngine
from kubenotes.execution.guard import LiveRefused, check_live_context
from kubenotes.execution.redact import redact
from kubenotes.settings import KubectlSettings
from processes import CHILD_SLEEP, gone, processes, returns

# The name the stub's long-running command runs under, so the test can tell it is gone.
SLEEPER = f"kn-stub-rollout-{uuid.uuid4().hex[:12]}"
STUB_KUBECTL = r"""#!/usr/bin/env bash
# Stand-in for a cluster-backed kubectl: records each call, answers a few fixed commands.
echo "$*" >> "@CALLS@"  # the sandbox passes no variable through, so the log's path is written in here
case "$*" in
  "version --client -o json") echo '{"clientVersion": {"gitVersion": "v1.37.0-stub"}}' ;;
  "config current-context") sed -n 's/^current-context: //p' "$KUBECONFIG" ;;
  "config get-contexts -o name") grep -c '^- context:' "$KUBECONFIG" ;;
  "get secret db -o yaml")
    printf 'apiVersion: v1\ndata:\n  password: czNjcjN0\nkind: Secret\nmetadata:\n  name: db\n' ;;
  "config view --raw") printf 'users:\n- name: u\n  user:\n    token: abc.def.ghi-secret\n' ;;
  "rollout status deployment/web") exec -a "@SLEEPER@" sleep @CHILD_SLEEP@ ;;
  "get pod missing") echo 'Error from server (NotFound): pods "missing" not found' >&2; exit 1 ;;
  *) echo "stub: no answer for: $*" >&2; exit 3 ;;
esac
"""


@pytest.mark.parametrize(
    ("script", "kind"),
    [
        ("kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml", BlockKind.CLIENT),
        (
            "kubectl create secret generic db --from-literal=a=b --dry-run client -o yaml | grep data",
            BlockKind.CLIENT,
        ),
        ("kubectl version --client", BlockKind.CLIENT),
        ("kubectl kustomize snippets/tools/overlay", BlockKind.CLIENT),
        ("echo 'czNjcjN0' | base64 --decode", BlockKind.CLIENT),
        ("kubectl -n demo get pods", BlockKind.CLUSTER),
        (
            "kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml\n"
            "kubectl apply -f x.yaml",
            BlockKind.CLUSTER,
        ),
        ("kubectl version", BlockKind.CLUSTER),
        ("minikube status", BlockKind.SETUP),
        ("minikube start --driver=docker", BlockKind.SETUP),
        ("kind create cluster --name demo", BlockKind.SETUP),
        ("kubectl config use-context minikube", BlockKind.SETUP),
    ],
)
def test_blocks_are_classified_by_what_their_commands_need(script: str, kind: BlockKind) -> None:
    assert parse_block(script).kind is kind


def test_heredoc_body_is_stdin_not_commands() -> None:
    parsed = parse_block("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nEOF\nkubectl get ns")
    assert [c.program for c in parsed.commands] == ["kubectl", "kubectl"]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("kubectl --context prod get pods", "--context"),
        ("kubectl get pods --server=https://10.0.0.1", "--server"),
        ("KUBECONFIG=/tmp/prod kubectl get pods", "KUBECONFIG"),
        ("kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml > web.yaml", "web.yaml"),
        ("$ kubectl version --client", "prompt"),
        ("echo 'unclosed", "cannot parse"),
    ],
)
def test_unsafe_or_malformed_blocks_are_refused_with_a_reason(script: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        parse_block(script)


def _kubeconfig(folder: Path, current: str, contexts: tuple[str, ...] = ("prod", "kind-test")) -> Path:
    """Servers on loopback ports nothing listens on (the guard wants local addresses), a relative CA path."""
    (folder / "certs").mkdir(exist_ok=True)
    (folder / "certs" / "ca.crt").write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": current,
        "clusters": [
            {
                "name": n,
                "cluster": {
                    "server": f"https://127.0.0.1:{6443 + i}",
                    "certificate-authority": "certs/ca.crt",
                },
            }
            for i, n in enumerate(contexts)
        ],
        "users": [{"name": n, "user": {"token": f"token-of-{n}"}} for n in contexts],
        "contexts": [{"name": n, "context": {"cluster": n, "user": n}} for n in contexts],
    }
    path = folder / "kubeconfig"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_guard_refuses_a_context_that_is_not_a_local_cluster_and_names_it(tmp_path: Path) -> None:
    env = {"KUBECONFIG": str(_kubeconfig(tmp_path, "prod")), "HOME": str(tmp_path)}
    with pytest.raises(LiveRefused, match="'prod' is not a local development cluster"):
        check_live_context(env)


@pytest.mark.parametrize("name", ["minikube", "kind-kind", "k3d-dev", "docker-desktop", "rancher-desktop"])
def test_guard_accepts_local_development_clusters(tmp_path: Path, name: str) -> None:
    env = {"KUBECONFIG": str(_kubeconfig(tmp_path, name, (name, "prod"))), "HOME": str(tmp_path)}
    context = check_live_context(env)
    assert context.name == name
    assert [c["name"] for c in context.kubeconfig["contexts"]] == [name]  # prod is not carried along
    cluster = context.kubeconfig["clusters"][0]["cluster"]
    # The CA file (relative to the kubeconfig) is inlined: the sandbox hides the folder it lives in.
    assert "certificate-authority" not in cluster
    ca = (tmp_path / "certs" / "ca.crt").read_bytes()
    assert base64.b64decode(cluster["certificate-authority-data"]) == ca


def test_guard_accepts_names_listed_in_config_only(tmp_path: Path) -> None:
    env = {"KUBECONFIG": str(_kubeconfig(tmp_path, "lab", ("lab",))), "HOME": str(tmp_path)}
    assert check_live_context(env, ["lab"]).name == "lab"
    with pytest.raises(LiveRefused, match="'lab'"):
        check_live_context(env)


def test_redaction_masks_tokens_keys_and_secret_values_but_not_configmaps() -> None:
    output = (
        "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    password: czNjcjN0\n  kind: Secret\n"
        "- apiVersion: v1\n  data:\n    color: blue\n  kind: ConfigMap\nkind: List\n---\n"
        "users:\n- user:\n    client-key-data: LS0tLS1CRUdJTiBSU0E=\n    token: abc123\n"
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgI=\n-----END CERTIFICATE-----\n"
    )
    masked = redact(output)
    for secret in ("czNjcjN0", "LS0tLS1CRUdJTiBSU0E=", "abc123", "MIIBszCCAVmgAwIBAgI="):
        assert secret not in masked
    assert "color: blue" in masked
    assert "-----BEGIN CERTIFICATE-----\nREDACTED\n-----END CERTIFICATE-----" in masked


def test_redaction_of_json_secret_output() -> None:
    masked = redact('{\n    "kind": "Secret",\n    "data": {\n        "password": "czNjcjN0"\n    }\n}\n')
    assert "czNjcjN0" not in masked and '"password": "REDACTED"' in masked


@pytest.fixture
def live_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[BlockEngine, Path]:
    """An engine in live mode against context kind-test, with the stub kubectl first on PATH."""
    stub_dir = tmp_path / "stub-bin"
    stub_dir.mkdir()
    stub = stub_dir / "kubectl"
    calls = tmp_path / "calls.log"
    calls.touch()
    stub.write_text(
        STUB_KUBECTL.replace("@CALLS@", str(calls))
        .replace("@SLEEPER@", SLEEPER)
        .replace("@CHILD_SLEEP@", str(CHILD_SLEEP)),
        encoding="utf-8",
    )
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    user_kubeconfig = _kubeconfig(tmp_path, "kind-test")
    context = check_live_context({"KUBECONFIG": str(user_kubeconfig), "HOME": str(tmp_path)})
    monkeypatch.setenv("KUBECONFIG", str(user_kubeconfig))
    engine = BlockEngine(
        tmp_path,
        CacheStore(tmp_path / "cache"),
        KubectlSettings(live_timeout=10),
        context,
        bin_dirs=(stub_dir,),
    )
    yield engine, calls
    engine.close()


def test_live_runs_use_a_one_context_kubeconfig_not_the_users(live_engine: tuple[BlockEngine, Path]) -> None:
    engine, _ = live_engine
    outcome = engine.execute(Block("kubectl config current-context\nkubectl config get-contexts -o name"))
    assert (outcome.status, outcome.error, outcome.context) == ("ran", None, "kind-test")
    assert outcome.output.split() == ["kind-test", "1"]
    assert outcome.kubectl_version == "v1.37.0-stub"


def test_live_output_is_redacted(live_engine: tuple[BlockEngine, Path]) -> None:
    engine, _ = live_engine
    secret = engine.execute(Block("kubectl get secret db -o yaml"))
    config = engine.execute(Block("kubectl config view --raw"))
    assert "czNjcjN0" not in secret.output and "password: REDACTED" in secret.output
    assert "abc.def.ghi-secret" not in config.output


def test_live_timeout_stops_the_whole_block_and_fails_naming_the_line(
    live_engine: tuple[BlockEngine, Path],
) -> None:
    """The stub's long sleep dies with the block's process group: the call returns, nothing is left."""
    engine, _ = live_engine
    outcome = returns(lambda: engine.execute(Block("kubectl rollout status deployment/web", timeout=1)))
    assert gone(SLEEPER), processes(SLEEPER)
    assert outcome.status == "failed"
    assert outcome.error is not None and outcome.error.startswith("the block did not finish within 1 s")


def test_unexpected_exit_fails_and_the_first_failure_stops_the_block(
    live_engine: tuple[BlockEngine, Path],
) -> None:
    engine, calls = live_engine
    outcome = engine.execute(Block("kubectl get pod missing\nkubectl get secret db -o yaml"))
    assert outcome.status == "failed" and outcome.returncode == 1
    assert outcome.error is not None
    assert outcome.error.startswith("the block exited with code 1, expected 0")
    assert 'pods "missing" not found' in outcome.error
    assert "get secret" not in calls.read_text()  # set -e: the second command never ran


def test_expected_exit_code_is_shown_not_failed(live_engine: tuple[BlockEngine, Path]) -> None:
    engine, _ = live_engine
    outcome = engine.execute(Block("kubectl get pod missing", expected_returncode=1))
    assert (outcome.status, outcome.error, outcome.returncode) == ("ran", None, 1)
    assert "NotFound" in outcome.output


def test_cluster_blocks_are_never_cached_and_tool_blocks_match_their_cluster(
    live_engine: tuple[BlockEngine, Path],
) -> None:
    engine, calls = live_engine
    for _ in range(2):
        assert engine.execute(Block("kubectl get secret db -o yaml")).status == "ran"
    assert calls.read_text().count("get secret db -o yaml") == 2
    assert engine.execute(Block("minikube status")).status == "shown"  # the reader's machine, not the cluster
    assert engine.execute(Block("minikube start")).status == "shown"


def test_client_blocks_run_offline_even_in_live_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real kubectl: a client block gets the offline kubeconfig, so a cluster command cannot connect, and
    sees none of the build user's HOME (in kernel mode the same path, emptied; otherwise another one)."""
    real_home = tmp_path / "real-home"
    (real_home / ".kube").mkdir(parents=True)
    (real_home / ".kube" / "config").write_text("# the reader's own kubeconfig\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(real_home))
    engine = BlockEngine(tmp_path, CacheStore(tmp_path / "cache"))
    try:
        outcome = engine.execute(
            Block(
                "kubectl create namespace demo --dry-run=client -o yaml\n"
                "echo KUBECONFIG=$KUBECONFIG; cat ~/.kube/config"
            )
        )
        assert outcome.status == "ran" and "name: demo" in outcome.output
        assert "the reader's own kubeconfig" not in outcome.output
        assert "server: https://127.0.0.1:1" in outcome.output  # the dead-end one
        assert os.environ.get("KUBECONFIG", "~/.kube/config") not in outcome.output
    finally:
        engine.close()
