"""Zensical adapter. Zensical has no hook or plugin API: it renders each page with the Markdown extensions of
``mkdocs.yml`` and hands them its rendering context. Reading that context (which page, which folders) is
all the engine needs; generated files are written into Zensical's site folder when the build prepares.

``python -m kubenotes.adapters.zensical`` (``make build-zensical``) runs ``zensical build`` in this
process so that every problem of the build is reported once, as ``file:line`` lines, and the exit code
says whether it failed — Zensical itself would stop at the first failing page with a traceback. After a
failed build it removes Zensical's page cache, so no page with a problem is reused by the next build.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown

from kubenotes.problems import Problem, ProblemsFound
from kubenotes.project import CONFIG_NAMES, Project, ProjectError, extension_config, read_config
from kubenotes.site import session
from kubenotes.site.build import Build
from kubenotes.site.page import Page

CONTEXT_PREPROCESSOR = "rendering_context"  # zensical.extensions.context.ContextPreprocessor.name
SITE_DIR_ENV = "KUBENOTES_SITE_DIR"  # mkdocs.yml: site_dir: !ENV [KUBENOTES_SITE_DIR, site]
PAGE_CACHE = ".cache"  # Zensical's rendered-page cache in the project folder (what `--clean` removes)


@dataclass(frozen=True)
class ZensicalPage:
    """What Zensical's rendering context says: the page path under docs, and its config mapping."""

    path: str
    config: Mapping[str, Any]


def page_context(md: Markdown) -> ZensicalPage | None:
    """Zensical's context for the conversion ``md`` runs, or None when Zensical is not converting."""
    if CONTEXT_PREPROCESSOR not in md.preprocessors:
        return None
    context = md.preprocessors[CONTEXT_PREPROCESSOR]
    page, config = getattr(context, "page", None), getattr(context, "config", None)
    if page is None or not isinstance(config, Mapping) or not isinstance(getattr(page, "path", None), str):
        return None
    return ZensicalPage(page.path, config)


def page_for(context: ZensicalPage, options: Mapping[str, Any], text: str | None) -> tuple[Build, Page]:
    config = context.config
    root = Path(str(config["root_dir"]))
    project = Project.from_settings(
        root, docs_dir=str(config["docs_dir"]), site_dir=str(config["site_dir"]), extension=options
    )
    # Zensical does not tell Python whether --strict was given: its builds are treated as strict.
    build = session.build_for(project, options, config_file=_config_file(root), publish_dir=project.site_dir)
    if text is None and build.current is not None:
        return build, build.current
    return build, build.begin_page(context.path, text)


def build_site(config_file: Path, site_dir: str | None = None) -> int:
    """``zensical build --clean --strict``, every problem reported: 0 built, 1 problems, 2 could not run."""
    import zensical

    if site_dir:
        os.environ[SITE_DIR_ENV] = site_dir
    try:
        project = Project.from_config_file(config_file)
        config = read_config(config_file)
        build = session.activate(
            Build.create(
                project,
                extension_config(config),
                config_file=config_file,
                defer=True,
                publish_dir=project.site_dir,
                reporter=_print,
            )
        )
    except (ProblemsFound, ProjectError) as error:
        print(f"kubenotes: {error}", file=sys.stderr)
        return 2
    failure = None
    try:
        zensical.build(str(config_file.resolve()), {"strict": True, "clean": True})
    except RuntimeError as error:  # Zensical stopped: a page raised, or its own strict check failed
        failure = str(error).splitlines()[0]
    try:
        build.finish()
    except ProblemsFound as error:
        failure = f"kubenotes: {len(error.problems)} problem(s), listed above"
    finally:
        session.deactivate(build)
    if failure is not None:
        shutil.rmtree(project.root / PAGE_CACHE, ignore_errors=True)
        print(failure if failure.startswith("kubenotes:") else f"zensical: {failure}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    import argparse  # only the command line needs it, not every page a build converts

    parser = argparse.ArgumentParser(
        prog="python -m kubenotes.adapters.zensical",
        description="Build the site with Zensical; every problem as file:line.",
    )
    parser.add_argument("-f", "--config-file", type=Path, default=None, help="default: mkdocs.yml here")
    parser.add_argument("--site-dir", default=None, help=f"where to build (sets {SITE_DIR_ENV})")
    args = parser.parse_args(argv)
    config_file = args.config_file or _config_file(Path.cwd())
    if config_file is None or not config_file.is_file():
        print("kubenotes: no mkdocs.yml here: run from the project root or pass -f", file=sys.stderr)
        return 2
    return build_site(config_file, args.site_dir)


def _config_file(root: Path) -> Path | None:
    return next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)


def _print(found: Problem) -> None:
    print(found.format(), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
