"""A manifest-drawn picture on a page: its render job, its alt text and caption, its Markdown.

A page writes ``<!-- kn:manifest-diagram workloads/web-app.yaml -->``; the graph is built here (in
the build process, so a bad file is reported with its line), handed to the drawer as JSON, and the
cache key is the graph itself plus the drawer and style code, so editing a comment redraws nothing.
"""

from __future__ import annotations

import posixpath
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from kubenotes import shortcodes
from kubenotes.cachefs import digest
from kubenotes.diagrams import draw_manifest
from kubenotes.diagrams.engine import SCRIPTS_DIR, SITE_DIR
from kubenotes.diagrams.manifest_graph import ManifestGraph, build_graph, load_objects
from kubenotes.diagrams.render import DiagramError, Job
from kubenotes.diagrams.sources import toolchain_fingerprint
from kubenotes.manifests.loader import YamlSyntaxError

SNIPPETS_DIR = "snippets"
SHORTCODE = "manifest-diagram"
PICTURES = "manifests"  # site folder under assets/diagrams/


def picture_name(snippet: str) -> str:
    """``workloads/web-app.yaml`` -> ``manifests/workloads/web-app`` (under assets/diagrams/)."""
    return f"{PICTURES}/{posixpath.splitext(snippet)[0]}"


def find_markers(pages: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each snippet that ``(display path, markdown)`` pages draw, with the first ``path:line`` asking."""
    markers: dict[str, str] = {}
    for display, markdown in pages:
        for code in shortcodes.find(markdown, SHORTCODE):
            markers.setdefault(code.args, f"{display}:{code.line}")
    return dict(sorted(markers.items()))


def manifest_jobs(root: Path, markers: dict[str, str]) -> tuple[list[Job], list[DiagramError]]:
    """A job per snippet drawn by a page; an error naming the page line for each that cannot be drawn."""
    jobs: list[Job] = []
    errors: list[DiagramError] = []
    for snippet, where in markers.items():
        try:
            jobs.append(manifest_job(root, snippet, load_graph(root, snippet)))
        except DiagramError as error:
            page, line = where.rsplit(":", 1)
            errors.append(DiagramError(page, int(line), f"kn:{SHORTCODE}: {error}"))
    return jobs, errors


def load_graph(root: Path, snippet: str) -> ManifestGraph:
    """The graph of ``snippets/<snippet>``; raises DiagramError naming the file and line."""
    display = f"{SNIPPETS_DIR}/{snippet}"
    path = root / SNIPPETS_DIR / snippet
    if not path.is_file():
        raise DiagramError(display, None, "no such snippet: the path is relative to snippets/")
    try:
        objects = load_objects(path)
    except YamlSyntaxError as error:
        raise DiagramError(display, error.line, str(error)) from None
    graph = build_graph(objects)
    if not graph.nodes:
        raise DiagramError(display, None, "holds no Kubernetes object (kind and metadata.name) to draw")
    return graph


def manifest_job(root: Path, snippet: str, graph: ManifestGraph) -> Job:
    """The render job drawing ``graph`` with the house style."""
    style = root / SCRIPTS_DIR / "kn_style.py"
    graph_json = graph.to_json()
    name = picture_name(snippet)
    stem = posixpath.basename(name)
    key = digest("manifest", name, graph_json, Path(draw_manifest.__file__).read_bytes(),
                 style.read_bytes() if style.is_file() else b"", toolchain_fingerprint())
    return Job(name=name, key=key, output_stem=stem, source=root / SNIPPETS_DIR / snippet,
               display=f"{SNIPPETS_DIR}/{snippet}", stdin=graph_json.encode(),
               argv=(sys.executable, "-m", "kubenotes.diagrams.draw_manifest", str(root / SCRIPTS_DIR), stem))


def alt_text(snippet: str, graph: ManifestGraph) -> str:
    """One sentence per object that points at others, e.g. ``Service web selects 3 Pods``."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for edge in graph.edges:
        grouped[(edge.source, edge.relation)].append(edge.target)
    sentences = []
    for (source, relation), targets in grouped.items():
        sentences.append(f"{_spoken(graph, [source])} {relation} {_spoken(graph, targets)}")
    return f"Objects in {snippet} and how they connect: " + "; ".join(sentences) + "."


def caption(snippet: str, graph: ManifestGraph) -> str:
    """What the picture shows and how to read its boxes."""
    parts = [f"Drawn at build time from `{snippet}`, the manifest shown on this page."]
    if any(n.generated for n in graph.nodes.values()):
        parts.append("Objects in the dashed box are the ones controllers create from it.")
    if any(n.external for n in graph.nodes.values()):
        parts.append("Objects under *Referenced, not in this file* must exist in the cluster already.")
    return " ".join(parts)


def figure_markdown(snippet: str, graph: ManifestGraph, page_src_uri: str) -> str:
    """The plain Markdown image (relative to the page) and its caption block."""
    page_dir = posixpath.dirname(page_src_uri) or "."
    image = posixpath.relpath(f"{SITE_DIR}/{picture_name(snippet)}.svg", page_dir)
    alt = alt_text(snippet, graph).replace("[", "(").replace("]", ")")
    return f"\n![{alt}]({image})\n/// caption\n{caption(snippet, graph)}\n///\n"


def _spoken(graph: ManifestGraph, ids: list[str]) -> str:
    nodes = [graph.nodes[i] for i in ids]
    pods = [n for n in nodes if n.kind == "Pod"]
    if (len(pods) == len(nodes) and len(nodes) > 1) or any(n.name.startswith("+") for n in pods):
        count = sum(int(n.name.split()[0][1:]) if n.name.startswith("+") else 1 for n in pods)
        return f"{count} Pods"
    return ", ".join(f"{n.kind} {n.name}" for n in nodes)

