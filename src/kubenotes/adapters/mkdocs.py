"""MkDocs adapter: the ``kubenotes`` plugin. The only module of the engine that imports MkDocs.

Each event hands MkDocs' objects to the site engine: the build starts with the config, publishes its
generated files as MkDocs files (so MkDocs validates every link to them), learns which page the
Markdown extension is about to convert, and ends with the build, failing a strict build once with
every problem it found. Relative snippet base paths resolve against the config file, as in Zensical.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from kubenotes.problems import ProblemsFound
from kubenotes.project import EXTENSION_NAME, Project
from kubenotes.site import session
from kubenotes.site.build import Build

log = logging.getLogger("mkdocs.plugins.kubenotes")


# MkDocs' Config and BasePlugin have no annotations on __init_subclass__.
class PluginOptions(Config):  # type: ignore[no-untyped-call]
    """The plugin takes no options: the engine's settings are the ``kubenotes.extension`` options."""


class KubenotesPlugin(BasePlugin[PluginOptions]):  # type: ignore[no-untyped-call]
    build: Build | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        options = config.mdx_configs.get(EXTENSION_NAME) or {}
        project = Project.from_settings(
            root, docs_dir=config.docs_dir, site_dir=config.site_dir, extension=options
        )
        _anchor_snippet_paths(config.mdx_configs.get("pymdownx.snippets"), root)
        try:
            self.build = session.activate(
                Build.create(
                    project,
                    options,
                    config_file=Path(config.config_file_path),
                    strict=bool(config.strict),
                    defer=True,
                )
            )
        except ProblemsFound as error:
            raise PluginError(str(error)) from None
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for site_path, data in self._build().published().items():
            files.append(File.generated(config, site_path, content=data))
        return files

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        self._build().begin_page(page.file.src_uri, markdown)
        return markdown

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self._build()
        try:
            for line in build.finish():
                log.info(line)
        except ProblemsFound as error:
            raise PluginError(f"{len(error.problems)} problem(s), listed above") from None
        finally:
            session.deactivate(build)

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.close()
            session.deactivate(self.build)

    def _build(self) -> Build:
        if self.build is None:
            raise PluginError("kubenotes: the plugin's on_config did not run")
        return self.build


def _anchor_snippet_paths(snippets: dict[str, Any] | None, root: Path) -> None:
    if snippets and isinstance(snippets.get("base_path"), list | str):
        paths = snippets["base_path"] if isinstance(snippets["base_path"], list) else [snippets["base_path"]]
        snippets["base_path"] = [str(root / path) for path in paths]
