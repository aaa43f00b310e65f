"""Run the shell blocks of a page: client blocks offline and cached, cluster blocks only when live.

One ``BlockEngine`` serves one build. It decides per block whether to run it, take it from the
cache or show it without running, and counts each case for the build log.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

import yaml

from kubenotes.cache import CacheStore
from kubenotes.execution.cache import (
    CACHE_AREA,
    CachedOutput,
    block_key,
    files_digest,
    files_read,
    kubectl_identity,
)
from kubenotes.execution.commands import BlockKind, CommandError, ParsedBlock, parse_block
from kubenotes.execution.guard import KubeContext
from kubenotes.execution.redact import collect_secret_values, redact
from kubenotes.execution.runner import live_env, offline_env, run_script
from kubenotes.sandbox import OUTPUT_CAP, describe_isolation, isolation
from kubenotes.settings import KubectlSettings

Status = Literal["ran", "cached", "shown", "failed"]
# Client blocks run against this kubeconfig: a cluster nothing listens on, so a command that tries to
# reach an API server fails at once (an empty kubeconfig would fall back to http://localhost:8080).
OFFLINE_KUBECONFIG = {
    "apiVersion": "v1",
    "kind": "Config",
    "current-context": "offline",
    "preferences": {},
    "clusters": [{"name": "offline", "cluster": {"server": "https://127.0.0.1:1"}}],
    "users": [{"name": "offline", "user": {"token": "offline"}}],
    "contexts": [{"name": "offline", "context": {"cluster": "offline", "user": "offline"}}],
}
SERVER_CONTACT_HINTS = (
    "The connection to the server",
    "Couldn't get current server API group list",
    "failed to download openapi",
)


@dataclass(frozen=True)
class Block:
    """One executable block as the author wrote it: its commands, the exit code it must end with."""

    script: str
    expected_returncode: int = 0
    timeout: float | None = None
    secrets: frozenset[str] = frozenset()  # values live output must not show (Secrets the page creates)


@dataclass(frozen=True)
class Outcome:
    """What the page shows for a block; ``error`` is set when the build must fail."""

    status: Status
    kind: BlockKind | None
    output: str = ""
    returncode: int | None = None
    kubectl_version: str = ""
    context: str | None = None
    error: str | None = None


@dataclass
class BlockEngine:
    """Runs blocks for one build. ``live`` is the guarded context, or None for an offline build."""

    root: Path
    cache: CacheStore
    settings: KubectlSettings = field(default_factory=KubectlSettings)
    live: KubeContext | None = None
    bin_dirs: tuple[Path, ...] = ()
    counts: Counter[str] = field(default_factory=Counter)
    _workdir: tempfile.TemporaryDirectory[str] | None = None
    _identities: dict[str, str] = field(default_factory=dict)  # PATH -> its kubectl, found once per build

    def execute(self, block: Block) -> Outcome:
        """Run, reuse or show ``block``; never raises for a bad block (the outcome carries the error)."""
        try:
            parsed = parse_block(block.script)
        except CommandError as error:
            return self._count(Outcome("failed", None, error=str(error)))
        if parsed.kind is BlockKind.CLIENT:
            return self._count(self._client(block, parsed))
        if self.runs_live(block.script):
            return self._count(self._live(block, parsed))
        return self._count(Outcome("shown", parsed.kind))

    def runs_live(self, script: str) -> bool:
        """Whether this build runs ``script`` against the cluster (then its sample output is dropped)."""
        try:
            parsed = parse_block(script)
        except CommandError:
            return False
        return parsed.kind is BlockKind.CLUSTER and self.live is not None

    def summary(self) -> str:
        """The build-log line: how many blocks ran, came from cache, or were shown without running."""
        mode = f"live against '{self.live.name}'" if self.live else "offline"
        return (
            f"kubectl blocks ({mode}): {self.counts['ran']} ran, {self.counts['cached']} from cache, "
            f"{self.counts['shown']} shown without running, {self.counts['failed']} failed; "
            f"{describe_isolation()}"
        )

    def close(self) -> None:
        """Remove the temporary HOME and kubeconfigs."""
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def _client(self, block: Block, parsed: ParsedBlock) -> Outcome:
        env = self._offline_env()
        identity = self._kubectl_identity(env["PATH"])
        inputs = files_digest(files_read(parsed.words, self.root), self.root)
        # The isolation is part of the key: output made without kernel isolation is never served to a build
        # that has it (or the other way round).
        key = block_key(block.script, inputs, identity, f"client-offline/{_isolation_kind()}")
        cached = self._cached(key)
        timeout = block.timeout or self.settings.client_timeout
        if cached is not None:  # a cached result is judged like a fresh one: the expected code may differ
            outcome = self._judge(
                block,
                BlockKind.CLIENT,
                cached.returncode,
                cached.output,
                False,
                timeout,
                cached.kubectl_version,
            )
            return replace(outcome, status="cached") if outcome.error is None else outcome
        result = run_script(block.script, env=env, cwd=self.root, timeout=timeout)
        version = self._kubectl_version(env, identity) if _uses_kubectl(parsed) else ""
        outcome = self._judge(
            block,
            BlockKind.CLIENT,
            result.returncode,
            result.output,
            result.timed_out,
            timeout,
            version,
            truncated=result.truncated,
        )
        if not result.timed_out and not result.truncated:
            stored = CachedOutput(result.returncode, result.output, version)
            self.cache.put_json(CACHE_AREA, key, asdict(stored))
        return outcome

    def _cached(self, key: str) -> CachedOutput | None:
        stored = self.cache.get_json(CACHE_AREA, key)
        try:
            return CachedOutput(**stored) if isinstance(stored, dict) else None
        except TypeError:
            return None

    def _live(self, block: Block, parsed: ParsedBlock) -> Outcome:
        assert self.live is not None
        kubeconfig = self._scratch() / "live-kubeconfig"
        env = live_env(os.environ, kubeconfig, self.bin_dirs)
        timeout = block.timeout or self.settings.live_timeout
        result = run_script(block.script, env=env, cwd=self.root, timeout=timeout, live=self.live)
        identity = self._kubectl_identity(env["PATH"])
        version = self._kubectl_version(self._offline_env(), identity) if _uses_kubectl(parsed) else ""
        secrets = collect_secret_values(kubeconfigs=[self.live.kubeconfig], values=block.secrets)
        published = redact(result.output, values=secrets)
        return self._judge(
            block,
            BlockKind.CLUSTER,
            result.returncode,
            published,
            result.timed_out,
            timeout,
            version,
            self.live.name,
            truncated=result.truncated,
        )

    def _judge(
        self,
        block: Block,
        kind: BlockKind,
        returncode: int,
        output: str,
        timed_out: bool,
        timeout: float,
        version: str,
        context: str | None = None,
        *,
        truncated: bool = False,
    ) -> Outcome:
        error = None
        if timed_out:
            error = (
                f"the block did not finish within {timeout:g} s and was stopped; "
                'make it faster or raise its limit with timeout="SECONDS" on the fence'
            )
        elif truncated:
            error = (
                f"the block printed more than {OUTPUT_CAP // (1024 * 1024)} MB and was stopped; "
                "print less (for example `| sed -n 1,40p`)"
            )
        elif returncode != block.expected_returncode:
            error = (
                f"the block exited with code {returncode}, expected "
                f"{block.expected_returncode}{self._hint(kind, output)}"
            )
        status: Status = "failed" if error else "ran"
        return Outcome(status, kind, output, returncode, version, context, error)

    @staticmethod
    def _hint(kind: BlockKind, output: str) -> str:
        if kind is BlockKind.CLIENT and any(hint in output for hint in SERVER_CONTACT_HINTS):
            return (
                " (the command tried to reach a cluster: client blocks run offline, so it is a cluster "
                "command; see 'Try it locally' for the cluster block form)"
            )
        if block_output := output.strip():
            return f"; its output:\n{block_output}"
        return ' (no output; if the error is meant, declare it with returncode="N" on the fence)'

    def _kubectl_version(self, env: dict[str, str], identity: str) -> str:
        """``kubectl version --client``, cached per binary so a warm build does not run it."""
        stored = self.cache.get("kubectl-version", identity)
        if stored is not None:
            return stored.decode("utf-8")
        result = run_script(
            "kubectl version --client -o json", env=env, cwd=self.root, timeout=self.settings.client_timeout
        )
        try:
            version = str(json.loads(result.output)["clientVersion"]["gitVersion"])
        except (ValueError, KeyError, TypeError):
            return "unknown"
        self.cache.put("kubectl-version", identity, version.encode("utf-8"))
        return version

    def _kubectl_identity(self, path_dirs: str) -> str:
        if path_dirs not in self._identities:
            self._identities[path_dirs] = kubectl_identity(path_dirs, self.cache)
        return self._identities[path_dirs]

    def _offline_env(self) -> dict[str, str]:
        scratch = self._scratch()
        return offline_env(scratch / "home", scratch / "offline-kubeconfig", self.bin_dirs)

    def _scratch(self) -> Path:
        """A private temporary folder holding HOME and the kubeconfigs for this build's runs."""
        if self._workdir is None:
            self._workdir = tempfile.TemporaryDirectory(prefix="kubenotes-kubectl-")
            scratch = Path(self._workdir.name)
            (scratch / "home").mkdir()
            (scratch / "offline-kubeconfig").write_text(yaml.safe_dump(OFFLINE_KUBECONFIG), "utf-8")
            if self.live is not None:
                (scratch / "live-kubeconfig").write_text(yaml.safe_dump(self.live.kubeconfig), "utf-8")
        return Path(self._workdir.name)

    def _count(self, outcome: Outcome) -> Outcome:
        self.counts[outcome.status] += 1
        return outcome


def _uses_kubectl(parsed: ParsedBlock) -> bool:
    return any(command.program == "kubectl" for command in parsed.commands)


def probe_isolation_early() -> None:
    """Start the isolation probe (a trial sandbox, ~40 ms) in the background, so that it runs while the
    build prepares instead of before the first block; the first block waits for it if it must."""
    threading.Thread(target=_isolation_kind, name="kubenotes-isolation-probe", daemon=True).start()


def _isolation_kind() -> str:
    try:
        return "kernel" if isolation().kernel else "environment"
    except RuntimeError:  # KUBENOTES_ISOLATION=kernel where there is none: the run reports it
        return "none"
