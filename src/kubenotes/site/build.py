"""One build of one project: its settings, cache, capabilities, pages, and the one failure policy.

Failure policy: stages never stop at the first problem. Problems are collected per page and reported
(``reporter``) when the page is done; a strict build fails. When an adapter watches the whole build
(``defer``) it fails once at the end with every problem; without one (a generator with no hook API, a
script calling Python-Markdown) a strict build fails at the end of the first page that has an error.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kubenotes.cache import CacheStore, atomic_write_bytes
from kubenotes.markers import Edit, PageScan, apply_edits, scan
from kubenotes.problems import Problem, ProblemsFound
from kubenotes.project import Project
from kubenotes.settings import Settings, load_settings
from kubenotes.site.capability import Capability
from kubenotes.site.page import Page, front_matter_lines

if TYPE_CHECKING:
    from markdown import Markdown

    from kubenotes.site.highlight import Highlighter

LIVE_ENV = "KUBENOTES_LIVE"
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
log = logging.getLogger("kubenotes")
Reporter = Callable[[Problem], None]


def log_problem(found: Problem) -> None:
    """The default reporter: the generator's log, where strict modes count warnings and errors."""
    (log.error if found.is_error else log.warning)(found.format())


@dataclass
class Build:
    """A build of ``project``; ``publish_dir``: write generated files there (no file API in the generator)."""

    project: Project
    settings: Settings
    strict: bool = True
    defer: bool = False
    publish_dir: Path | None = None
    reporter: Reporter = log_problem
    live_requested: bool = False
    problems: list[Problem] = field(default_factory=list)
    current: Page | None = None
    capabilities: dict[str, Capability] = field(default_factory=dict)
    _prepared: bool = False
    _published: dict[str, bytes] = field(default_factory=dict)
    _highlighter: Highlighter | None = None

    @classmethod
    def create(
        cls,
        project: Project,
        options: Mapping[str, Any] | None,
        *,
        config_file: Path | None = None,
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> Build:
        """A build with every capability; raises ProblemsFound for bad settings or a refused live mode."""
        from kubenotes.site.registry import capability_types

        environment = os.environ if env is None else env
        build = cls(
            project,
            load_settings(options, config_file=config_file),
            live_requested=environment.get(LIVE_ENV, "").lower() in TRUE_VALUES,
            **kwargs,
        )
        for kind in capability_types():
            build.capabilities[kind.name] = kind(build)
        return build

    @property
    def cache(self) -> CacheStore:
        return CacheStore(self.project.cache_dir)

    def capability(self, name: str) -> Any:
        return self.capabilities[name]

    def highlighter(self, md: Markdown) -> Highlighter:
        """Highlights the code blocks the engine generates as the site's own are (one per build: every
        page of a site has the same settings)."""
        if self._highlighter is None:
            from kubenotes.site.highlight import Highlighter

            self._highlighter = Highlighter(md, self.cache)
        return self._highlighter

    # --- whole build -------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Every capability's whole-site work, once; publishes generated files when ``publish_dir`` is set."""
        if self._prepared:
            return
        self._prepared = True
        found: list[Problem] = []
        for capability in self.capabilities.values():
            found += capability.prepare()
            self._published.update(capability.published())
        if self.publish_dir is not None:
            for site_path, data in sorted(self._published.items()):
                atomic_write_bytes(self.publish_dir / site_path, data)
        self._report(found)
        self._fail_now(found)

    def published(self) -> dict[str, bytes]:
        """Generated files by site path (diagrams, example downloads), after :meth:`prepare`."""
        self.prepare()
        return dict(self._published)

    def finish(self) -> list[str]:
        """End of the build: summaries for the log, stale cache entries pruned, temporary files removed.

        Raises ProblemsFound when the build is deferred, strict and anything failed.
        """
        lines = [line for c in self.capabilities.values() if (line := c.summary())]
        self.cache.prune_when_due()
        self.close()
        if self.defer and self.strict and any(p.is_error for p in self.problems):
            raise ProblemsFound([p for p in self.problems if p.is_error])
        return lines

    def close(self) -> None:
        for capability in self.capabilities.values():
            capability.close()

    # --- page by page ------------------------------------------------------------------------------

    def begin_page(self, src_uri: str, markdown: str | None = None) -> Page:
        """Start converting the page at ``src_uri`` (under the docs folder)."""
        path = self.project.docs_dir / src_uri
        offset = 0
        if markdown is not None and path.is_file():
            try:
                offset = front_matter_lines(path.read_text(encoding="utf-8"), markdown)
            except (OSError, UnicodeDecodeError):
                offset = 0
        self.current = Page(src_uri, self.project.page_display(src_uri), offset)
        return self.current

    def render_markdown(self, page: Page, markdown: str) -> str:
        """The Markdown stage: every capability's edits and markers, on the author's lines."""
        self.prepare()
        page_scan = scan(markdown)
        edits: list[Edit] = []
        for capability in self.capabilities.values():
            edits += capability.page_edits(page, page_scan)
        edits += self._marker_edits(page, page_scan)
        return apply_edits(markdown, edits)

    def end_page(self, page: Page) -> list[Problem]:
        """Report the page's problems; a strict build without an adapter fails here on an error."""
        self._report(page.problems)
        if self.current is page:
            self.current = None
        self._fail_now(page.problems)
        return page.problems

    def _marker_edits(self, page: Page, page_scan: PageScan) -> list[Edit]:
        handlers = {
            name: handler
            for capability in self.capabilities.values()
            for name, handler in capability.markers().items()
        }
        edits = []
        for marker in page_scan.markers:
            handler = handlers.get(marker.name)
            if handler is None:
                page.problem(
                    marker.line,
                    f"unknown marker kn:{marker.name}",
                    field=f"kn:{marker.name}",
                    hint=f"known markers: {', '.join('kn:' + n for n in sorted(handlers))} "
                    "(README.md, 'Writing pages')",
                )
            elif not marker.alone:
                page.problem(
                    marker.line,
                    f"kn:{marker.name} must be on a line of its own",
                    field=f"kn:{marker.name}",
                    hint="put the marker on its own line, between blank lines",
                )
            else:
                edits.append(Edit.line(marker.line, _indented(handler(page, marker), marker.indent)))
        return edits

    def _report(self, found: list[Problem]) -> None:
        for item in found:
            self.problems.append(item)
            self.reporter(item)

    def _fail_now(self, found: list[Problem]) -> None:
        """Without an adapter to fail the whole build at its end, a strict build stops here."""
        errors = [p for p in found if p.is_error]
        if errors and self.strict and not self.defer:
            raise ProblemsFound(errors)


def _indented(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else line for line in text.split("\n"))
