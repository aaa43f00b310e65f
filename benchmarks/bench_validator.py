"""``kubenotes validate`` against kubeconform, whole processes side by side: speed, start-up and memory.

Both tools run as a user runs them (a fresh process per run, strict mode, the same Kubernetes 1.37
schemas), interleaved, 5 runs each, median reported. Inputs: the shared corpus of real manifests
(``../shared/corpus/manifests``), the same ten times over, and one 50 MB file of Deployments, all
built here in a temporary folder. Peak memory is sampled every 5 ms over the whole process tree
(workers included): the sum of PSS (each shared page counted once, split between the processes that
share it: what the run costs the machine) and, as an upper bound, the sum of RSS.

Without ``../shared`` (a user's machine: no peer, no corpus) the comparison rows say so and only our
own start-up is measured.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from table import Row

RUNS = 5
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{n}
  labels: {{app: web-{n}, tier: frontend}}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web-{n}}}
  template:
    metadata:
      labels: {{app: web-{n}, tier: frontend}}
    spec:
      containers:
      - name: web
        image: nginx:1.27.3
        ports:
        - containerPort: 80
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
          limits: {{memory: 128Mi}}
        readinessProbe:
          httpGet: {{path: /, port: 80}}
"""


@dataclass(frozen=True)
class Timing:
    seconds: float  # median wall time
    peak_mb: float  # median of the per-run peak PSS of the process tree
    peak_rss_mb: float  # the same for RSS
    exit_codes: tuple[int, ...]


def measure(root: Path) -> list[Row]:
    shared = root.parent / "shared"
    peer = shared / "peers" / "kubeconform" / "kc"
    corpus = shared / "corpus" / "manifests"
    ours = [str(Path(sys.executable).parent / "kubenotes"), "validate"]
    rows = _startup_rows(root, ours)
    if not (peer.exists() and corpus.is_dir()):
        return [
            *rows,
            Row(
                "validator",
                "vs kubeconform",
                "skipped",
                f"needs {shared}/peers/kubeconform and {shared}/corpus (not on this machine)",
            ),
        ]
    theirs = [str(peer), "-strict", "-summary"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        times_ten = _copies(corpus, work / "corpus-x10", 10)
        big = _big_file(work / "deployments-50mb.yaml", 50 << 20)
        documents = _count_documents(corpus)
        inputs = [
            ("shared corpus", [str(corpus)], documents),
            ("shared corpus x10", [str(times_ten)], documents * 10),
            ("one 50 MB file", [str(big)], big.read_bytes().count(b"kind: Deployment")),
        ]
        for label, paths, count in inputs:
            rows += _compare(label, ours + paths, theirs + paths, count, cwd=root)
        rows += _hostile_rows(work, ours)
    return rows


def _startup_rows(root: Path, ours: list[str]) -> list[Row]:
    one = str(root / "tests" / "manifests" / "good" / "generate-name.yaml")
    validate = _timed([*ours, one], cwd=root)
    helped = _timed([ours[0], "--help"], cwd=root)
    return [
        Row("validator", "start-up: kubenotes validate, one file", f"{validate.seconds:.3f} s", "<= 0.15 s"),
        Row("validator", "start-up: kubenotes --help", f"{helped.seconds:.3f} s", "< 0.1 s"),
    ]


def _compare(label: str, ours: list[str], theirs: list[str], documents: int, *, cwd: Path) -> list[Row]:
    mine, peer = _interleaved(ours, theirs, cwd=cwd)
    ratio = peer.seconds / mine.seconds
    return [
        Row(
            "validator",
            f"{label} ({documents:,} docs): kubenotes / kubeconform",
            f"{mine.seconds:.2f} s, {documents / mine.seconds:,.0f} docs/s / {peer.seconds:.2f} s, "
            f"{documents / peer.seconds:,.0f} docs/s",
        ),
        Row("validator", f"{label}: throughput ratio (kubeconform time / ours)", f"{ratio:.2f}x", ">= 1.0x"),
        Row(
            "validator",
            f"{label}: peak memory ours / kubeconform (PSS; RSS sum)",
            f"{mine.peak_mb:.0f} MB ({mine.peak_rss_mb:.0f}) / "
            f"{peer.peak_mb:.0f} MB ({peer.peak_rss_mb:.0f})",
            "<= 100 MB",
        ),
    ]


def _hostile_rows(work: Path, ours: list[str]) -> list[Row]:
    """Each hostile file alone: how long until its one clear error (the tests check the messages)."""
    bomb = ["a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    bomb += [f"{c}: &{c} [{','.join([f'*{chr(ord(c) - 1)}'] * 9)}]" for c in "bcdefghi"]
    cases = {
        "alias bomb (9 x 9)": "\n".join(bomb) + "\n",
        "10,000 levels of nesting": "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    }
    rows = []
    for name, text in cases.items():
        path = work / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        timing = _timed([*ours, str(path)], cwd=work)
        rows.append(
            Row(
                "validator",
                f"hostile: {name}",
                f"{timing.seconds:.2f} s, {timing.peak_mb:.0f} MB, exit {timing.exit_codes[0]}",
                "well under 1 s, exit 1",
            )
        )
    return rows


def _interleaved(ours: list[str], theirs: list[str], *, cwd: Path) -> tuple[Timing, Timing]:
    runs: dict[str, list[tuple[float, float, float, int]]] = {"ours": [], "theirs": []}
    for command in (ours, theirs):  # warm-up: byte code, schema caches, page cache
        _run(command, cwd)
    for _ in range(RUNS):
        runs["ours"].append(_run(ours, cwd))
        runs["theirs"].append(_run(theirs, cwd))
    return _summary(runs["ours"]), _summary(runs["theirs"])


def _timed(command: list[str], *, cwd: Path) -> Timing:
    _run(command, cwd)
    return _summary([_run(command, cwd) for _ in range(RUNS)])


def _summary(runs: list[tuple[float, float, float, int]]) -> Timing:
    return Timing(*(statistics.median(r[i] for r in runs) for i in range(3)), tuple(r[3] for r in runs))


def _run(command: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """Wall time, peak PSS and RSS of the process tree (MB), exit code of one run; output discarded."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = _PeakSampler(proc.pid)
    peak.start()
    code = proc.wait(timeout=900)
    elapsed = time.perf_counter() - started
    peak.stop()
    return elapsed, peak.pss_kb / 1024, peak.rss_kb / 1024, code


class _PeakSampler(threading.Thread):
    """The largest sums of PSS and of RSS over a process and its descendants, polled from /proc."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.pss_kb, self.rss_kb, self._done = pid, 0, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            tree = _tree(self.pid)
            self.pss_kb = max(self.pss_kb, sum(_memory_kb(pid, "smaps_rollup", "Pss:") for pid in tree))
            self.rss_kb = max(self.rss_kb, sum(_memory_kb(pid, "status", "VmRSS:") for pid in tree))
            self._done.wait(0.005)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    """The process and its descendants (processes may end while we look: they are just left out)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                stack.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def _memory_kb(pid: int, file: str, field: str) -> int:
    """One ``field:  N kB`` line of /proc/PID/FILE (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _copies(corpus: Path, target: Path, times: int) -> Path:
    for index in range(times):
        shutil.copytree(corpus, target / f"copy-{index}")
    return target


def _big_file(path: Path, size: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        written, n = 0, 0
        while written < size:
            written += handle.write(("---\n" if n else "") + DEPLOYMENT.format(n=n))
            n += 1
    return path


def _count_documents(corpus: Path) -> int:
    """Kubernetes documents in the corpus, as its SOURCES.tsv lists them (column 5)."""
    sources = corpus.parent / "SOURCES.tsv"
    rows = [line.split("\t") for line in sources.read_text(encoding="utf-8").splitlines() if line]
    return sum(int(row[4]) for row in rows if len(row) > 4 and row[4].isdigit())
