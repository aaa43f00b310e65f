"""The live guard checks the server's address as well as the context's name, and live mode's one route.

The route tests use loopback stand-ins for the local cluster (no cluster can run here). For a minikube
VM address (192.168.49.2) they only check, inside the sandbox, that the address and its listener exist:
nothing here may send traffic to a private address outside this machine, and nothing does.
"""

from __future__ import annotations

import base64
import socket
from pathlib import Path

import pytest
import yaml

from isolation_support import Listener, kubeconfig
from kubenotes import sandbox
from kubenotes.execution.guard import (
    KubeContext,
    LiveRefused,
    check_live_context,
    is_local_address,
    is_local_context,
)
from kubenotes.execution.runner import offline_env, run_script

KERNEL = sandbox.isolation()
needs_kernel = pytest.mark.skipif(not KERNEL.kernel, reason=f"no kernel isolation here: {KERNEL.reason}")


@pytest.mark.parametrize(
    "server",
    [
        "https://127.0.0.1:32771",  # kind
        "https://[::1]:6443",
        "https://0.0.0.0:6550",  # k3d
        "https://localhost:6443",
        "https://192.168.49.2:8443",  # minikube, docker driver
        "https://192.168.58.2:8443",  # minikube, docker driver, second cluster
        "https://192.168.39.45:8443",  # minikube, kvm2
        "https://192.168.59.100:8443",  # minikube, VirtualBox
        "https://192.168.105.3:8443",  # minikube, qemu2 with socket_vmnet
    ],
)
def test_local_servers_pass(server: str, tmp_path: Path) -> None:
    context = check_live_context({"KUBECONFIG": str(kubeconfig(tmp_path / "k", "minikube", server))})
    assert context.route is not None and context.route.addresses
    assert all(is_local_address(address) for address in context.route.addresses)


@pytest.mark.parametrize(
    ("server", "named"),
    [
        ("https://203.0.113.10:6443", "203.0.113.10"),
        ("https://10.0.0.5:6443", "10.0.0.5"),
        ("https://192.168.1.20:6443", "192.168.1.20"),  # a home network, not a minikube one
        ("https://172.18.0.2:6443", "172.18.0.2"),  # kind's Docker network: kind's kubeconfig uses 127.0.0.1
        ("https://cluster.invalid:6443", "does not resolve"),
    ],
)
def test_non_local_servers_are_refused_naming_the_server(server: str, named: str, tmp_path: Path) -> None:
    config = kubeconfig(tmp_path / "k", "kind-dev", server)
    with pytest.raises(LiveRefused) as refused:
        check_live_context({"KUBECONFIG": str(config)})
    assert server in str(refused.value) and named in str(refused.value)


def test_configured_networks_extend_the_local_ones(tmp_path: Path) -> None:
    config = kubeconfig(tmp_path / "k", "lab", "https://10.20.0.5:6443")
    assert check_live_context({"KUBECONFIG": str(config)}, ["lab"], ["10.20.0.0/24"]).route is not None


def test_a_proxy_url_is_refused(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path / "k", "kind-dev", "https://127.0.0.1:6443")
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["clusters"][0]["cluster"]["proxy-url"] = "http://proxy.example:3128"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(LiveRefused, match=r"proxy\.example"):
        check_live_context({"KUBECONFIG": str(path)})


def test_a_name_list_given_as_one_string_is_one_name() -> None:
    assert is_local_context("lab-cluster", "lab-cluster")
    assert not is_local_context("l", "lab-cluster")


def test_files_are_inlined_and_a_missing_one_is_named(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path / "k", "minikube", "https://192.168.49.2:8443")
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    (tmp_path / "client.crt").write_bytes(b"CERT")
    (tmp_path / "token").write_text("tok-123\n", encoding="utf-8")
    config["users"][0]["user"] = {"client-certificate": "client.crt", "tokenFile": str(tmp_path / "token")}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    user = check_live_context({"KUBECONFIG": str(path)}).kubeconfig["users"][0]["user"]
    assert user == {"client-certificate-data": base64.b64encode(b"CERT").decode(), "token": "tok-123"}
    config["users"][0]["user"] = {"client-key": "missing.key"}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(LiveRefused, match=r"client-key missing\.key cannot be read"):
        check_live_context({"KUBECONFIG": str(path)})


def _live_run(script: str, context: KubeContext, tmp_path: Path) -> str:
    env = offline_env(tmp_path / "h", tmp_path / "k")
    result = run_script(script, env=env, cwd=tmp_path, timeout=30, live=context, isolation=KERNEL)
    assert not result.timed_out
    return result.output


@needs_kernel
def test_a_server_named_by_host_name_is_reached_through_the_sandbox_hosts_file(tmp_path: Path) -> None:
    """kn-local.test resolves nowhere but inside the sandbox, where /etc/hosts maps it to the checked
    address (127.0.0.2, a loopback stand-in for the local cluster)."""
    stand_in = Listener(host="127.0.0.2")
    config = kubeconfig(tmp_path / "k", "kind-local", f"https://kn-local.test:{stand_in.port}")
    loaded = yaml.safe_load(config.read_text(encoding="utf-8"))
    context = KubeContext(
        "kind-local",
        loaded,
        loaded["clusters"][0]["cluster"]["server"],
        sandbox.ApiRoute("kn-local.test", stand_in.port, ("127.0.0.2",)),
    )
    output = _live_run(
        "getent hosts kn-local.test; kubectl get pods --request-timeout=5s || true", context, tmp_path
    )
    assert "127.0.0.2" in output.splitlines()[0]
    assert stand_in.connections() >= 1, output
    stand_in.close()


@needs_kernel
def test_a_minikube_vm_address_exists_inside_the_sandbox_only(tmp_path: Path) -> None:
    """192.168.49.2 is put on the sandbox's loopback with a listener on 8443; no traffic leaves."""
    with pytest.raises(OSError):  # not an address of this machine outside the sandbox
        socket.create_server(("192.168.49.2", 0)).close()
    loaded = yaml.safe_load(
        kubeconfig(tmp_path / "k", "minikube", "https://192.168.49.2:8443").read_text(encoding="utf-8")
    )
    context = KubeContext(
        "minikube",
        loaded,
        "https://192.168.49.2:8443",
        sandbox.ApiRoute("192.168.49.2", 8443, ("192.168.49.2",)),
    )
    output = _live_run("grep -c ' 0231A8C0:20FB 00000000:0000 0A ' /proc/net/tcp", context, tmp_path)
    assert output.strip() == "1", output  # 192.168.49.2:8443, listening
