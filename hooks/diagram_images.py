"""Diagrams as code: render ``diagrams/*.py`` and manifest-drawn pictures into the build.

Pictures are rendered (or taken from the cache) once per build in ``on_files`` and added as generated
files under ``assets/diagrams/``, so MkDocs validates every image link and nothing is written to docs/.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kubenotes import shortcodes
from kubenotes.diagrams import SITE_DIR, DiagramError, render_project
from kubenotes.diagrams.manifest_figure import SHORTCODE, figure_markdown, load_graph, manifest_job
from kubenotes.diagrams.variants import add_dark_variants, dark_name, images_without_alt

log = logging.getLogger("mkdocs.plugins.kubenotes.diagrams")


def on_files(files, *, config):
    root = Path(config.config_file_path).parent
    jobs = []
    for snippet, where in _manifest_markers(files).items():
        try:
            jobs.append(manifest_job(root, snippet, load_graph(root, snippet)))
        except DiagramError as error:
            raise PluginError(f"{where}: kn:{SHORTCODE}: {error}") from None
    report = render_project(root, extra_jobs=jobs)
    if report.errors:
        raise PluginError("diagrams failed to render:\n" + "\n".join(f"  {e}" for e in report.errors))
    log.info("diagrams: %d rendered, %d from cache", len(report.rendered), len(report.cached))
    for name, variants in report.images.items():
        files.append(File.generated(config, f"{SITE_DIR}/{name}.svg", content=variants.light))
        files.append(File.generated(config, f"{SITE_DIR}/{dark_name(name)}.svg", content=variants.dark))
    return files


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    root = Path(config.config_file_path).parent

    def figure(code: shortcodes.Shortcode) -> str:
        return figure_markdown(code.args, load_graph(root, code.args), page.file.src_uri)

    return shortcodes.expand(markdown, SHORTCODE, figure)


def on_page_content(html: str, *, page, config, files) -> str:
    missing = images_without_alt(html)
    if missing:
        raise PluginError(f"docs/{page.file.src_uri}: diagram image without alt text: {', '.join(missing)} "
                          "(write ![what the picture shows](...))")
    return add_dark_variants(html)


def _manifest_markers(files) -> dict[str, str]:
    """Each snippet a page draws, with the first ``docs/page.md:line`` that asks for it."""
    markers: dict[str, str] = {}
    for page in files.documentation_pages():
        for code in shortcodes.find(page.content_string, SHORTCODE):
            markers.setdefault(code.args, f"docs/{page.src_uri}:{code.line}")
    return dict(sorted(markers.items()))
