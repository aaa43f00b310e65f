"""Where things live: one :class:`Project` with every path the engine uses, read from the site config.

Every stage asks the project for its folders (docs, snippets, diagrams, cache, site), so nothing builds
a ``docs/`` prefix by hand and a site with another ``docs_dir`` works the same. The venv's pinned tools
are resolved here too: a system kubectl may be older than the one the site promises.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
EXTENSION_NAME = "kubenotes.extension"  # the Markdown extension's name in the site config
CACHE_ENV = "KUBENOTES_CACHE_DIR"
DEFAULTS = {
    "snippets": "snippets",
    "diagrams": "diagrams",
    "includes": "includes",
    "cache": ".kubenotes-cache",
    "glossary": "reference/glossary.md",
}


class ProjectError(FileNotFoundError):
    """No site config where the engine looked; the message says where to run from."""


@dataclass(frozen=True)
class Project:
    """A site's folders, all absolute. ``site_dir`` is where the generator writes the built site."""

    root: Path
    docs_dir: Path
    site_dir: Path
    snippets_dir: Path
    diagrams_dir: Path
    includes_dir: Path
    cache_dir: Path
    glossary_page: str  # under docs_dir, e.g. "reference/glossary.md"

    @classmethod
    def from_settings(
        cls,
        root: Path,
        *,
        docs_dir: str | Path = "docs",
        site_dir: str | Path = "site",
        extension: Mapping[str, Any] | None = None,
    ) -> Project:
        """The project at ``root`` whose folders are named by the generator and our extension's config."""
        root = root.resolve()
        names = {**DEFAULTS, **{k: v for k, v in (extension or {}).items() if k in DEFAULTS and v}}
        cache = os.environ.get(CACHE_ENV) or names["cache"]
        return cls(
            root,
            _under(root, docs_dir),
            _under(root, site_dir),
            _under(root, names["snippets"]),
            _under(root, names["diagrams"]),
            _under(root, names["includes"]),
            _under(root, cache),
            str(names["glossary"]),
        )

    @classmethod
    def from_config_file(cls, config_file: Path) -> Project:
        """Read the folder names from a ``mkdocs.yml`` without the generator (CLI, scripts, tests)."""
        config = read_config(config_file)
        return cls.from_settings(
            config_file.parent,
            docs_dir=config.get("docs_dir") or "docs",
            site_dir=config.get("site_dir") or "site",
            extension=extension_config(config),
        )

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project whose config is at or above ``start`` (default: the working directory)."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            for name in CONFIG_NAMES:
                if (folder / name).is_file():
                    return cls.from_config_file(folder / name)
        raise ProjectError(f"no mkdocs.yml in {here} or any folder above it: run from inside the project")

    def display(self, path: Path) -> str:
        """``path`` as messages show it: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def page_display(self, src_uri: str) -> str:
        """How a page is named in messages: ``docs/workloads/pods.md`` (whatever docs_dir is called)."""
        return self.display(self.docs_dir / src_uri)

    def pages(self) -> Iterator[tuple[str, Path]]:
        """``(src_uri, path)`` of every Markdown page, sorted."""
        if self.docs_dir.is_dir():
            for path in sorted(self.docs_dir.rglob("*.md")):
                yield path.relative_to(self.docs_dir).as_posix(), path


def _under(root: Path, name: str | Path) -> Path:
    path = Path(name).expanduser()
    return (path if path.is_absolute() else root / path).resolve()


class _TolerantLoader(yaml.SafeLoader):
    """Reads a generator config: ``!ENV`` resolved, other tags (``!!python/name`` ...) kept as text."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' and Zensical's ``!ENV VAR`` / ``!ENV [VAR, OTHER, default]``."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [str(loader.construct_scalar(node))], None
    else:
        values = [str(item.value) for item in node.value]
        names, default = values[:-1], values[-1]
    return next((os.environ[name] for name in names if os.environ.get(name)), default)


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("", _any_tag)


def read_config(config_file: Path) -> dict[str, Any]:
    """The site config as plain data; raises ProjectError naming the file when it cannot be read."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ProjectError(f"{config_file}: cannot read the site config ({error})") from None
    return data if isinstance(data, dict) else {}


def extension_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Our extension's options in a generator config's ``markdown_extensions`` list (empty when absent)."""
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict) and EXTENSION_NAME in entry:
            return dict(entry[EXTENSION_NAME] or {})
    return {}


def venv_bin() -> Path:
    """The folder holding this interpreter's console scripts (the venv's ``bin``)."""
    return Path(sys.executable).parent


def tool_path(name: str) -> Path:
    """Absolute path of a pinned tool installed in the venv, e.g. ``kubectl``."""
    path = venv_bin() / name
    if not path.exists():
        raise FileNotFoundError(f"{name} is not installed in {venv_bin()}: run `make` to bootstrap the venv")
    return path


def tool_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment whose PATH starts with the venv's bin, so subprocesses find the pinned tools."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join([str(venv_bin()), env.get("PATH", "")])
    return env
