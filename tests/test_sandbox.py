"""The sandbox's hard limits and what a command sees inside it, in both isolation modes.

Everything here is real: bash, Python, the kernel's namespaces (where this machine allows them; the
kernel-only tests skip with the reason where it does not), signals and pipes. Processes a test leaves
behind are found by a unique name given with ``exec -a``, so a leak fails the test that caused it (and is
ended when the test ends). Nothing here is timed: a call that must return is given a generous watchdog,
far shorter than the children it must not wait for, so a regression fails instead of hanging; how fast
these paths are is measured by ``make bench`` (benchmarks/bench_sandbox.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kubenotes import sandbox
from kubenotes.cache import CacheStore
from kubenotes.execution.engine import Block, BlockEngine
from kubenotes.sandbox.isolation import environment_only
from processes import CHILD_SLEEP, WATCHDOG, gone, processes, returns

KERNEL = sandbox.isolation()
MODES = [
    pytest.param(
        KERNEL,
        id="kernel",
        marks=pytest.mark.skipif(not KERNEL.kernel, reason=f"no kernel isolation here: {KERNEL.reason}"),
    ),
    pytest.param(environment_only("test: forced"), id="environment"),
]
ENV = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8"}


def _bash(
    script: str, tmp_path: Path, isolation: sandbox.Isolation, timeout: float = 10.0, **options: object
) -> sandbox.Result:
    request = sandbox.Request(
        ["bash", "--noprofile", "--norc", "-c", script], tmp_path, ENV, timeout, merge_output=True, **options
    )
    return sandbox.run(request, isolation=isolation)


def _alive(marker: str) -> list[str]:
    return list(processes(marker).values())


@pytest.fixture
def marker() -> Iterator[str]:
    """A unique process name for this test's children; any left when it ends are killed (by pid)."""
    name = f"kn-sandbox-test-{uuid.uuid4().hex[:12]}"
    yield name
    for pid in processes(name):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("isolation", MODES)
def test_timeout_with_a_detached_child_holding_stdout_returns_at_once(
    isolation: sandbox.Isolation, tmp_path: Path, marker: str
) -> None:
    """At the timeout the call returns, although detached children still hold its stdout, and ends them."""
    script = (
        f"setsid bash -c 'exec -a {marker} sleep {CHILD_SLEEP}' & disown\n"
        f"nohup bash -c 'exec -a {marker} sleep {CHILD_SLEEP}' &\n"
        f"(exec -a {marker} sleep {CHILD_SLEEP} &)\n"
        f"echo started; sleep {CHILD_SLEEP}"
    )
    result = returns(lambda: _bash(script, tmp_path, isolation, timeout=2.0))
    assert result.timed_out and result.returncode is None
    assert b"started" in result.stdout
    assert gone(marker), _alive(marker)


@pytest.mark.parametrize("isolation", MODES)
def test_a_block_that_leaves_detached_children_ends_when_it_ends(
    isolation: sandbox.Isolation, tmp_path: Path, marker: str
) -> None:
    """The block's shell exits at once; the call returns then (not when the child holding stdout would end,
    nor at the timeout), and the child is gone."""
    script = f"setsid bash -c 'exec -a {marker} sleep {CHILD_SLEEP}' > /dev/stdout 2>&1 &\necho done"
    result = returns(lambda: _bash(script, tmp_path, isolation, timeout=10 * WATCHDOG))
    assert (result.returncode, result.timed_out) == (0, False)
    assert gone(marker), _alive(marker)


@pytest.mark.parametrize("isolation", MODES)
def test_output_over_the_cap_is_cut_and_the_command_stopped(
    isolation: sandbox.Isolation, tmp_path: Path, marker: str
) -> None:
    """`yes` never ends by itself: the cap stops it (not the timeout, which is far away)."""
    result = returns(
        lambda: _bash(
            f"exec -a {marker} yes kubenotes",
            tmp_path,
            isolation,
            timeout=10 * WATCHDOG,
            output_cap=1_000_000,
        )
    )
    assert result.truncated and not result.timed_out and result.returncode is None
    assert len(result.stdout) == 1_000_000
    assert "printed more than" in (result.limit_message(10, cap=1_000_000) or "")
    assert gone(marker)


def test_engine_fails_a_block_over_the_output_cap(tmp_path: Path) -> None:
    engine = BlockEngine(tmp_path, CacheStore(tmp_path / "cache"))
    try:
        outcome = engine.execute(Block("head -c 11000000 /dev/zero | tr '\\0' x"))
    finally:
        engine.close()
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error.startswith("the block printed more than 10 MB")
    assert len(outcome.output) < 10 * 1024 * 1024 + 100


@pytest.mark.parametrize("isolation", MODES)
def test_stdin_and_separate_streams_for_renders(isolation: sandbox.Isolation, tmp_path: Path) -> None:
    """The diagram renderer's shape: argv, stdin bytes, separate stdout and stderr."""
    code = "import sys; data = sys.stdin.read(); print(data.upper()); print('warn', file=sys.stderr)"
    request = sandbox.Request([sys.executable, "-c", code], tmp_path, ENV, 10, stdin=b"kind: Pod\n")
    result = sandbox.run(request, isolation=isolation)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"KIND: POD\n\n", b"warn\n")


@pytest.mark.parametrize("isolation", MODES)
def test_interrupt_grace_lets_a_stuck_script_print_its_line(
    isolation: sandbox.Isolation, tmp_path: Path
) -> None:
    script = tmp_path / "stuck.py"
    script.write_text("import time\nwhile True:\n    time.sleep(0.01)\n", encoding="utf-8")
    request = sandbox.Request([sys.executable, str(script)], tmp_path, ENV, 2.0, interrupt_grace=1.0)
    result = sandbox.run(request, isolation=isolation)
    assert result.timed_out
    assert f'File "{script}", line 3' in result.stderr.decode(), result.stderr.decode()


@pytest.mark.parametrize(
    ("call", "sandboxes"),
    [
        ("sandbox.run_many(requests, workers=2)", 2),  # worker threads, as the diagram renderer runs them
        ("sandbox.run(requests[0])", 1),  # the main thread, as a build runs a shell block
    ],
)
def test_ctrl_c_stops_running_sandboxes_within_a_second(
    tmp_path: Path, marker: str, call: str, sandboxes: int
) -> None:
    """SIGINT to the build process: it stops with KeyboardInterrupt (not when the sandboxes' sleeps would
    end) and every running sandbox and everything in it is gone. How soon: `make bench`."""
    driver = tmp_path / "driver.py"
    driver.write_text(
        textwrap.dedent(f"""
        import faulthandler, signal, sys
        from pathlib import Path
        from kubenotes import sandbox
        faulthandler.register(signal.SIGUSR1, all_threads=True)  # where it hangs, should it ever
        # Ctrl-C as a terminal delivers it, even when the tests run in the background (SIGINT ignored)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        env = {ENV!r}
        sleep = "exec -a {marker} sleep {CHILD_SLEEP}"
        script = f"setsid bash -c '{{sleep}}' & {{sleep}}"
        folder = Path({str(tmp_path)!r})
        requests = [sandbox.Request(["bash", "-c", script], folder, env, {10 * WATCHDOG}) for _ in range(3)]
        print("running", flush=True)
        try:
            {call}
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, str(driver)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "running\n"
        deadline = time.monotonic() + WATCHDOG
        while len(_alive(marker)) < 2 * sandboxes and time.monotonic() < deadline:  # two sleeps in each
            time.sleep(0.05)
        assert len(_alive(marker)) >= 2 * sandboxes, _alive(marker)
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=WATCHDOG)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGUSR1)
            time.sleep(1)
            process.kill()
            out, err = process.communicate()
            raise AssertionError(f"still running {WATCHDOG:g} s after Ctrl-C; its threads:\n{err}") from None
    finally:
        process.kill()
    assert (process.returncode, out) == (130, "interrupted\n"), err
    assert gone(marker), _alive(marker)


@pytest.mark.skipif(not KERNEL.kernel, reason=f"no kernel isolation here: {KERNEL.reason}")
def test_inside_the_namespaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback only, PID 1 is the sandbox, the build user's HOME is empty but the project inside it is
    there, /run is empty, and the kubeconfig is the dead-end one in both places kubectl looks."""
    home = tmp_path / "home"
    project = home / "src" / "site"
    project.mkdir(parents=True)
    (project / "page.md").write_text("# visible\n", encoding="utf-8")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_ed25519").write_text("PRIVATE\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    script = (
        "cat /proc/net/dev | sed -n '3,$p' | cut -d: -f1 | tr -d ' '; echo ---; cat /proc/1/cmdline "
        "| tr '\\0' ' '; echo; echo ---; echo $HOME; ls -A $HOME; echo ---; cat page.md; ls -A /run; "
        "echo ---; cmp $KUBECONFIG $HOME/.kube/config && grep server: $KUBECONFIG; "
        "ls $HOME/.ssh || true"
    )
    result = _bash(script, project, KERNEL)
    interfaces, init, listing, page_and_run, kube = result.stdout.decode().split("---\n")
    assert interfaces.split() == ["lo"]
    assert "inside.py" in init
    assert listing.split()[0] == str(home)
    assert ".ssh" not in listing.split() and ".kube" in listing.split()
    assert page_and_run == "# visible\n"  # the project is there, /run is empty
    assert "server: https://127.0.0.1:1" in kube and "PRIVATE" not in result.stdout.decode()


@pytest.mark.parametrize("isolation", MODES)
def test_no_variable_of_the_build_points_anywhere(isolation: sandbox.Isolation, tmp_path: Path) -> None:
    env = {
        **ENV,
        "HTTPS_PROXY": "http://proxy.example:3128",
        "KUBECONFIG": "/etc/prod",
        "BASH_ENV": "/x",
        "SSH_AUTH_SOCK": "/run/agent",
        "KUBERNETES_SERVICE_HOST": "10.0.0.1",
        "KEEP_ME": "yes",
    }
    request = sandbox.Request(["bash", "-c", "env | sort"], tmp_path, env, 10, merge_output=True)
    seen = sandbox.run(request, isolation=isolation).stdout.decode()
    for dropped in ("proxy.example", "/etc/prod", "BASH_ENV", "SSH_AUTH_SOCK", "KUBERNETES_SERVICE_HOST"):
        assert dropped not in seen
    assert "KEEP_ME=yes" in seen and "NO_PROXY=*" in seen


def test_isolation_is_described_for_the_build_log() -> None:
    assert KERNEL.describe().startswith(
        "sandbox isolation: kernel — " if KERNEL.kernel else "sandbox isolation: environment only ("
    )
    assert "a block can still open network connections" in environment_only("why").describe()


def test_a_missing_working_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(sandbox.SandboxError, match="cannot start"):
        _bash("true", tmp_path / "missing", KERNEL)


@pytest.mark.skipif(os.geteuid() != 0 or not KERNEL.kernel, reason="the root-only construction needs root")
def test_as_root_without_a_user_namespace_the_network_and_home_are_still_isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The construction used as root where user namespaces are off (user.max_user_namespaces=0)."""
    from kubenotes.sandbox.isolation import AS_ROOT, Isolation, _attempt

    assert _attempt(AS_ROOT) is None
    home = tmp_path / "home"
    (home / "secret").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    as_root = Isolation(True, AS_ROOT, "test: as root")
    result = _bash("cut -d: -f1 /proc/net/dev | sed -n '3,$p' | tr -d ' '; ls -A $HOME", tmp_path, as_root)
    assert result.stdout.decode().split() == ["lo", ".kube"]


@pytest.mark.skipif(not KERNEL.kernel, reason=f"no kernel isolation here: {KERNEL.reason}")
def test_a_temporary_folder_inside_home_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TMPDIR inside HOME (as on macOS-like setups): the sandbox's own files must survive hiding HOME."""
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(home / "tmp"))
    monkeypatch.setattr("tempfile.tempdir", None)  # tempfile reads TMPDIR again
    result = _bash("grep -c server: $KUBECONFIG", tmp_path, KERNEL)
    assert (result.returncode, result.stdout) == (0, b"1\n"), result.stdout
