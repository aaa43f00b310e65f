"""Every manifest the site shows is valid: check inline YAML blocks, expand ``<!-- kn:manifest PATH -->``
includes, publish snippets under ``examples/``. Errors stop the build with ``page:line``; lint
warnings are logged, which ``mkdocs build --strict`` turns into a failure too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kubenotes.manifests.site import SiteManifests
from kubenotes.manifests.verdicts import VerdictCache
from kubenotes.project import cache_dir

log = logging.getLogger("mkdocs.hooks.manifest_checks")
_site: SiteManifests | None = None


def on_config(config):
    global _site
    root = Path(config.config_file_path).parent
    _site = SiteManifests(root, VerdictCache(cache_dir(root) / "manifests"))
    return config


def on_files(files, *, config):
    for uri, text in _site.published_examples().items():
        files.append(File.generated(config, uri, content=text))
    return files


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    page_path = f"docs/{page.file.src_uri}"
    problems = _site.page_findings(markdown, page_path)
    markdown, include_problems = _site.render_includes(markdown, page_path, page.file.src_uri)
    problems += include_problems
    for warning in (p for p in problems if p.severity == "warning"):
        log.warning(warning.format())
    errors = [p.format() for p in problems if p.severity == "error"]
    if errors:
        raise PluginError("invalid Kubernetes manifests (fix them or the snippet):\n" + "\n".join(errors))
    return markdown
