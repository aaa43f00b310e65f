"""The diagrams capability: every picture rendered from code when the build prepares, published under
``assets/diagrams/``, drawn from manifests by ``<!-- kn:manifest-diagram PATH -->``, and checked on the page.

Pages link to a picture with a plain image (``../assets/diagrams/x.svg``), so every generator validates
the link like any other; the tree stage checks the alt text and shows the one file in both palettes.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree

from markdown import Markdown

from kubenotes.diagrams import manifest_figure as figures
from kubenotes.diagrams.engine import SITE_DIR, render_project
from kubenotes.diagrams.manifest_graph import ManifestGraph
from kubenotes.diagrams.sources import INSTALL_GRAPHVIZ, ToolMissing
from kubenotes.diagrams.variants import show_in_both_palettes
from kubenotes.diagrams.webify import picture_size
from kubenotes.markers import Marker
from kubenotes.problems import Problem, problem
from kubenotes.site.capability import Capability, MarkerHandler
from kubenotes.site.page import Page


class DiagramsCapability(Capability):
    name = "diagrams"
    tree_priority = 4.0  # after glossary links (6), before MkDocs rewrites image URLs (0)

    def __init__(self, build) -> None:  # type: ignore[no-untyped-def]
        super().__init__(build)
        self.graphs: dict[str, ManifestGraph] = {}
        self.images: dict[str, bytes] = {}
        self.sizes: dict[str, tuple[int, int]] = {}
        self.rendered = self.cached = 0

    def prepare(self) -> list[Problem]:
        project = self.build.project
        try:
            jobs, self.graphs, problems = figures.manifest_jobs(project, figures.find_markers(project))
            report = render_project(project, self.build.cache, extra_jobs=jobs)
        except ToolMissing as error:
            return [problem(project.display(project.diagrams_dir), 0, str(error), hint=INSTALL_GRAPHVIZ)]
        self.images = dict(report.images)
        self.sizes = {name: picture_size(svg) for name, svg in self.images.items()}
        self.rendered, self.cached = len(report.rendered), len(report.cached)
        return problems + report.errors

    def published(self) -> dict[str, bytes]:
        return {f"{SITE_DIR}/{name}.svg": svg for name, svg in self.images.items()}

    def markers(self) -> dict[str, MarkerHandler]:
        return {figures.SHORTCODE: self.figure}

    def figure(self, page: Page, marker: Marker) -> str:
        graph = self.graphs.get(posixpath.normpath(marker.args)) if marker.args else None
        if graph is None:
            if not marker.args:
                page.problem(
                    marker.line,
                    f"kn:{figures.SHORTCODE} needs the snippet to draw",
                    field=f"kn:{figures.SHORTCODE}",
                    hint="e.g. <!-- kn:manifest-diagram workloads/web-app.yaml -->",
                )
            return ""  # a snippet that could not be drawn was reported at this line when the build prepared
        return figures.figure_markdown(marker.args, graph, page.src_uri)

    def page_tree(self, page: Page, root: etree.Element, md: Markdown) -> None:
        for src in show_in_both_palettes(root, page.src_uri, self.sizes):
            page.problem(
                0,
                f"diagram image {src} has no alt text",
                hint="write ![what the picture shows](...) so screen readers can describe it",
            )

    def summary(self) -> str:
        return f"diagrams: {self.rendered} rendered, {self.cached} from cache"
