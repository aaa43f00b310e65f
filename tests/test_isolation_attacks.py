"""Every attack form of tests/catalog/exec_attacks.yaml, with the real kubectl, against loopback listeners.

A listener on 127.0.0.1 stands in for a production API server (no cluster can run here); a kubeconfig
for it sits in the build user's HOME and in $KUBECONFIG, as on an author's laptop. In kernel mode every
form must leave it with zero connections, offline and live; live, a second listener stands in for the
checked local cluster and must be the one reached. In environment mode each form must do what the
catalog says that fallback does. The scripts go to the runner directly, past the text checks of
commands.py: those are friendly early errors, not the defence, so these tests do not lean on them.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from isolation_support import Attack, Lifeline, Listener, kubeconfig, load_attacks
from kubenotes import sandbox
from kubenotes.execution.guard import KubeContext, LiveRefused, check_live_context
from kubenotes.execution.runner import offline_env, run_script
from kubenotes.sandbox.isolation import MODE_VARIABLE, environment_only

ATTACKS = load_attacks()
TIMEOUT = 30.0


@pytest.fixture
def prod() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture
def world(tmp_path: Path, prod: Listener, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The author's laptop: ~/.kube/config and $KUBECONFIG both point at the production stand-in."""
    real_home = tmp_path / "home"
    kubeconfig(real_home / ".kube" / "config", "prod-eu", prod.server)
    prod_kubeconfig = kubeconfig(tmp_path / "prod-kubeconfig", "prod-eu", prod.server)
    monkeypatch.setenv("HOME", str(real_home))
    monkeypatch.setenv("KUBECONFIG", str(prod_kubeconfig))
    project = real_home / "src" / "site"  # the project lives in HOME, as it usually does
    project.mkdir(parents=True)
    return {
        "real_home": real_home,
        "prod_kubeconfig": prod_kubeconfig,
        "project": project,
        "scratch": tmp_path,
    }


@pytest.fixture(scope="module")
def kernel() -> sandbox.Isolation:
    found = sandbox.isolation()
    if not found.kernel:
        pytest.skip(f"no kernel isolation here ({found.reason}); test_kernel_isolation_is_available says why")
    return found


def test_kernel_isolation_is_available_or_explicitly_waived() -> None:
    """One clear failure, with the fix, on a machine where the kernel tests below cannot run."""
    found = sandbox.isolation()
    if os.environ.get(MODE_VARIABLE) == "environment":
        pytest.skip(f"{MODE_VARIABLE}=environment: kernel isolation waived on purpose")
    assert found.kernel, (
        f"{found.describe()}\nOn Ubuntu 24.04 (GitHub runners): sudo sysctl -w "
        "kernel.apparmor_restrict_unprivileged_userns=0; in Docker: --privileged or "
        f"--cap-add SYS_ADMIN --security-opt seccomp=unconfined; or set {MODE_VARIABLE}="
        "environment to run without it"
    )


def _run(
    attack: Attack,
    world: dict[str, Path],
    prod: Listener,
    *,
    live: KubeContext | None = None,
    isolation: sandbox.Isolation | None = None,
) -> str:
    lifeline = Lifeline(world["project"] / "lifeline")  # in the block's working folder: seen in every mode
    try:
        script = attack.render(
            prod=prod,
            prod_kubeconfig=world["prod_kubeconfig"],
            real_home=world["real_home"],
            lifeline=lifeline.path,
        )
        env = offline_env(world["scratch"] / "engine-home", world["scratch"] / "engine-kubeconfig")
        result = run_script(
            script, env=env, cwd=world["project"], timeout=TIMEOUT, live=live, isolation=isolation
        )
        assert not result.timed_out, result.output
        if attack.holds_lifeline:
            lifeline.wait_until_released(TIMEOUT)  # then every connection the block made is queued
    finally:
        lifeline.close()
    return result.output


def test_the_lifeline_is_released_only_when_its_last_holder_exits(tmp_path: Path) -> None:
    """The wait that replaces a fixed settle time must not end while a child of the block still lives."""
    lifeline = Lifeline(tmp_path / "lifeline")
    holder = subprocess.Popen(
        ["sh", "-c", f'exec 3>"{lifeline.path}"; echo opened; exec sleep 30'],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "opened\n"
        with pytest.raises(AssertionError, match="still holds"):
            lifeline.wait_until_released(0.2)
        holder.kill()
        lifeline.wait_until_released(TIMEOUT)
    finally:
        holder.kill()
        holder.wait()
        lifeline.close()


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_offline_block_reaches_no_api_server(
    attack: Attack, world: dict[str, Path], prod: Listener, kernel: sandbox.Isolation
) -> None:
    output = _run(attack, world, prod, isolation=kernel)
    assert prod.connections() == 0, output


@pytest.fixture
def local_cluster(world: dict[str, Path]) -> Iterator[tuple[KubeContext, Listener]]:
    """A second listener, standing in for the checked local cluster (kind-local on 127.0.0.1)."""
    listener = Listener()
    config = kubeconfig(world["scratch"] / "local-kubeconfig", "kind-local", listener.server)
    yield check_live_context({"KUBECONFIG": str(config)}), listener
    listener.close()


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_live_block_reaches_only_the_checked_local_server(
    attack: Attack,
    world: dict[str, Path],
    prod: Listener,
    local_cluster: tuple[KubeContext, Listener],
    kernel: sandbox.Isolation,
) -> None:
    context, _ = local_cluster
    output = _run(attack, world, prod, live=context, isolation=kernel)
    assert prod.connections() == 0, output


def test_live_block_does_reach_the_local_stand_in_through_the_relay(
    world: dict[str, Path],
    prod: Listener,
    local_cluster: tuple[KubeContext, Listener],
    kernel: sandbox.Isolation,
) -> None:
    """The positive control: without it, 'zero connections' could mean 'nothing works at all'. kubectl
    can only print the stand-in's plain-text answer if its request went through the relay."""
    context, local = local_cluster
    attack = Attack("plain kubectl", "kubectl get pods --request-timeout=5s", "blocked")
    output = _run(attack, world, prod, live=context, isolation=kernel)
    assert "server gave HTTP response to HTTPS client" in output, output
    assert local.connections() >= 2, output  # the sandbox's check that the server answers, then kubectl
    assert prod.connections() == 0, output


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_environment_mode_does_what_the_catalog_documents(
    attack: Attack, world: dict[str, Path], prod: Listener
) -> None:
    output = _run(attack, world, prod, isolation=environment_only("test: forced"))
    reached = prod.connections()
    if attack.environment == "reaches":
        assert reached >= 1, f"the catalog says environment mode cannot stop this; did it? {output}"
    else:
        assert reached == 0, output


def test_guard_refuses_a_local_name_with_a_public_server(tmp_path: Path) -> None:
    config = kubeconfig(tmp_path / "kubeconfig", "kind-prod", "https://203.0.113.10:6443")
    refused = r"'kind-prod'.*https://203\.0\.113\.10:6443 is not a local address"
    with pytest.raises(LiveRefused, match=refused):
        check_live_context({"KUBECONFIG": str(config)})
