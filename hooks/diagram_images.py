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
from kubenotes.diagrams import SITE_DIR, picture_size, render_project
from kubenotes.diagrams import manifest_figure as figures
from kubenotes.diagrams.variants import images_without_alt, show_in_both_palettes

log = logging.getLogger("mkdocs.plugins.kubenotes.diagrams")


def on_files(files, *, config):
    root = Path(config.config_file_path).parent
    pages = ((f"docs/{page.src_uri}", page.content_string) for page in files.documentation_pages())
    jobs, errors = figures.manifest_jobs(root, figures.find_markers(pages))
    report = render_project(root, extra_jobs=jobs)
    errors += report.errors
    if errors:
        raise PluginError("diagrams failed to render:\n" + "\n".join(f"  {e}" for e in errors))
    log.info("diagrams: %d rendered, %d from cache", len(report.rendered), len(report.cached))
    for name, svg in report.images.items():
        files.append(File.generated(config, f"{SITE_DIR}/{name}.svg", content=svg))
    return files


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    root = Path(config.config_file_path).parent

    def figure(code: shortcodes.Shortcode) -> str:
        return figures.figure_markdown(code.args, figures.load_graph(root, code.args), page.file.src_uri)

    return shortcodes.expand(markdown, figures.SHORTCODE, figure)


def on_page_content(html: str, *, page, config, files) -> str:
    missing = images_without_alt(html)
    if missing:
        raise PluginError(f"docs/{page.file.src_uri}: diagram image without alt text: {', '.join(missing)} "
                          "(write ![what the picture shows](...))")

    def size_of(name: str) -> tuple[int, int]:
        picture = files.get_file_from_path(f"{SITE_DIR}/{name}.svg")
        if picture is None:
            raise PluginError(f"docs/{page.file.src_uri}: {SITE_DIR}/{name}.svg is no rendered diagram "
                              f"(add diagrams/{name}.py or fix the image path)")
        return picture_size(picture.content_bytes)

    return show_in_both_palettes(html, size_of)
