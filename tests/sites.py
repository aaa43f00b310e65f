"""Fixture sites for tests: a one-page site with the real engine configuration, and page-level conversion
through the engine with Python-Markdown alone (no generator), which is the seam every capability offers.

The fixture's ``mkdocs.yml`` is the real one without its navigation, so a fixture runs exactly the
site's extensions, custom fences and engine settings; a test adds pages, snippets and diagram scripts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import yaml

from kubenotes.problems import Problem
from kubenotes.project import EXTENSION_NAME, Project
from kubenotes.site import session
from kubenotes.site.build import Build
from kubenotes.site.standalone import markdown_options

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = "# Glossary\n\nTerms used on this fixture site.\n"


def fixture_config(**engine: Any) -> str:
    """The real mkdocs.yml minus its nav, with the theme overrides by absolute path and engine options."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.split("\nnav:", 1)[0] + "\n"
    text = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", text)  # the real site's source folders
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    if engine:
        options = yaml.safe_dump({EXTENSION_NAME: engine}, default_flow_style=True).strip()[1:-1]
        text = re.sub(rf"  - {re.escape(EXTENSION_NAME)}:\n(    .*\n)+", f"  - {{{options}}}\n", text)
    return text


def make_site(
    folder: Path,
    pages: dict[str, str],
    *,
    snippets: dict[str, str] | None = None,
    diagrams: dict[str, str] | None = None,
    config: str | None = None,
) -> Path:
    """A site in ``folder``: pages under docs/, snippets, diagram scripts (with the real kn_style)."""
    (folder / "docs" / "reference").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "reference" / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    for uri, text in pages.items():
        (folder / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (folder / "docs" / uri).write_text(text, encoding="utf-8")
    (folder / "includes").mkdir(exist_ok=True)
    (folder / "includes" / "abbreviations.md").write_text("", encoding="utf-8")
    for relative, text in (snippets or {}).items():
        (folder / "snippets" / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / "snippets" / relative).write_text(text, encoding="utf-8")
    (folder / "snippets").mkdir(exist_ok=True)
    (folder / "diagrams").mkdir(exist_ok=True)
    (folder / "diagrams" / "kn_style.py").write_text((ROOT / "diagrams" / "kn_style.py").read_text())
    for name, text in (diagrams or {}).items():
        (folder / "diagrams" / name).write_text(text, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(config if config is not None else fixture_config(), encoding="utf-8")
    return folder


@dataclass
class Converted:
    """One page converted through the engine: its HTML and every problem the build reported."""

    html: str
    problems: list[Problem] = field(default_factory=list)
    build: Build | None = None

    @property
    def messages(self) -> list[str]:
        return [p.format() for p in self.problems]


def start_build(site: Path, **kwargs: Any) -> tuple[Build, list[Problem]]:
    """A deferred build of the site in ``site`` that collects its problems instead of logging them."""
    config_file = site / "mkdocs.yml"
    _, options = markdown_options(config_file)
    found: list[Problem] = []
    build = Build.create(
        Project.from_config_file(config_file),
        options.get(EXTENSION_NAME),
        config_file=config_file,
        defer=True,
        reporter=found.append,
        **kwargs,
    )
    session.activate(build)
    return build, found


def convert(site: Path, text: str, src_uri: str = "index.md", build: Build | None = None) -> Converted:
    """``text`` as page ``src_uri`` of ``site``, converted by Python-Markdown with the site's extensions."""
    names, options = markdown_options(site / "mkdocs.yml")
    if build is None:
        build, found = start_build(site)
    else:
        found = []
        build.reporter = found.append
        session.activate(build)
    previous = os.getcwd()
    os.chdir(site)  # relative snippet base paths, as a generator run from the site folder sees them
    try:
        build.begin_page(src_uri, text)
        html = markdown.Markdown(extensions=names, extension_configs=options).convert(text)
    finally:
        os.chdir(previous)
    return Converted(html, found, build)
