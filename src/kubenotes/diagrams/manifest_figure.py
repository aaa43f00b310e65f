"""A manifest-drawn picture on a page: its render job, its alt text and caption, its Markdown.

A page writes ``<!-- kn:manifest-diagram workloads/web-app.yaml -->``; the graph is built here (in
the build process, so a bad file is reported with its line), handed to the drawer as JSON, and the
cache key is the graph itself plus the drawer and style code, so editing a comment redraws nothing.
"""

from __future__ import annotations

import posixpath
import sys
from collections import defaultdict

from kubenotes.cache import digest
from kubenotes.diagrams.engine import SITE_DIR
from kubenotes.diagrams.manifest_graph import GraphError, ManifestGraph, build_graph, load_objects
from kubenotes.diagrams.render import DiagramError, Job
from kubenotes.diagrams.sources import DRAWING_MODULES, modules_digest, toolchain_fingerprint
from kubenotes.manifests.loader import YamlSyntaxError
from kubenotes.markers import scan
from kubenotes.problems import Problem, problem
from kubenotes.project import Project

SHORTCODE = "manifest-diagram"
PICTURES = "manifests"  # site folder under assets/diagrams/


def picture_name(snippet: str) -> str:
    """``workloads/web-app.yaml`` -> ``manifests/workloads/web-app`` (under assets/diagrams/)."""
    return f"{PICTURES}/{posixpath.splitext(snippet)[0]}"


def find_markers(project: Project) -> dict[str, tuple[str, int]]:
    """Each snippet the pages draw, with the first page and line asking for it."""
    markers: dict[str, tuple[str, int]] = {}
    for src_uri, path in project.pages():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the generator reports an unreadable page
        if f"kn:{SHORTCODE}" not in text:
            continue  # most pages draw no manifest: no need to scan them
        for marker in scan(text).markers:
            if marker.name == SHORTCODE and marker.args:
                markers.setdefault(
                    posixpath.normpath(marker.args), (project.page_display(src_uri), marker.line)
                )
    return dict(sorted(markers.items()))


def manifest_jobs(
    project: Project, markers: dict[str, tuple[str, int]]
) -> tuple[list[Job], dict[str, ManifestGraph], list[Problem]]:
    """A job and graph per snippet a page draws; a problem at the page line for each that cannot be drawn."""
    jobs: list[Job] = []
    graphs: dict[str, ManifestGraph] = {}
    problems: list[Problem] = []
    for snippet, (page, line) in markers.items():
        try:
            graphs[snippet] = load_graph(project, snippet)
        except DiagramError as error:
            found = error.problem
            where = f"{found.path}:{found.line}" if found.line else found.path
            problems.append(
                problem(
                    page,
                    line,
                    f"cannot draw {where}: {found.message}",
                    object=found.object,
                    field=f"kn:{SHORTCODE}",
                    hint=found.hint,
                )
            )
            continue
        jobs.append(manifest_job(project, snippet, graphs[snippet]))
    return jobs, graphs, problems


def load_graph(project: Project, snippet: str) -> ManifestGraph:
    """The graph of the snippet; raises DiagramError naming the file and line."""
    path = project.snippets_dir / snippet
    display = project.display(path)
    if not path.resolve().is_relative_to(project.snippets_dir) or not path.is_file():
        raise DiagramError(problem(display, 0, "no such snippet", hint="the path is relative to snippets/"))
    try:
        objects = load_objects(path)
    except YamlSyntaxError as error:
        raise DiagramError(problem(display, error.line, str(error), column=error.column)) from None
    except UnicodeDecodeError as error:
        raise DiagramError(
            problem(display, 0, f"not UTF-8 text (byte {error.start})", hint="save the file as UTF-8")
        ) from None
    try:
        graph = build_graph(objects)
    except GraphError as error:
        raise DiagramError(
            problem(
                display,
                0,
                str(error),
                object=error.object,
                field=error.field,
                hint="fix the field so the drawing can read it",
            )
        ) from None
    if not graph.nodes:
        raise DiagramError(
            problem(
                display,
                0,
                "holds no Kubernetes object to draw",
                hint="give each object a kind and a metadata.name",
            )
        )
    return graph


def manifest_job(project: Project, snippet: str, graph: ManifestGraph) -> Job:
    """The render job drawing ``graph`` with the house style."""
    graph_json = graph.to_json()
    name = picture_name(snippet)
    stem = posixpath.basename(name)
    return Job(
        name=name,
        key=digest("manifest", name, graph_json, toolchain_fingerprint(), modules_digest(*DRAWING_MODULES)),
        output_stem=stem,
        source=project.snippets_dir / snippet,
        display=project.display(project.snippets_dir / snippet),
        stdin=graph_json.encode(),
        argv=(sys.executable, "-m", "kubenotes.diagrams.draw_manifest", stem),
        keep=(project.root,),
    )


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
