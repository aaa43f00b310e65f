"""The interface every stage of the site engine offers, so the build treats them all alike.

A capability may: prepare once per build (render every picture, read the glossary), publish generated
files (site path -> bytes), change a page's Markdown through line edits and handle its markers, and
check or change the rendered element tree. Problems go to the page (or, for ``prepare``, are returned).
Each does only what it needs; the defaults do nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar

from markdown import Markdown

from kubenotes.markers import Edit, Marker, PageScan
from kubenotes.problems import Problem
from kubenotes.site.page import Page

if TYPE_CHECKING:
    from kubenotes.site.build import Build

MarkerHandler = Callable[[Page, Marker], str]  # the Markdown that replaces the marker's line


class Capability:
    """Base with no-op stages; subclasses override the stages they take part in."""

    name: ClassVar[str] = ""
    tree_priority: ClassVar[float | None] = (
        None  # Python-Markdown treeprocessor priority, None: no tree stage
    )

    def __init__(self, build: Build) -> None:
        self.build = build

    def prepare(self) -> list[Problem]:
        """Whole-site work before any page (called once per build)."""
        return []

    def published(self) -> dict[str, bytes]:
        """Generated files this capability adds to the site, by site path."""
        return {}

    def markers(self) -> Mapping[str, MarkerHandler]:
        """The marker names this capability expands, and their handlers."""
        return {}

    def page_edits(self, page: Page, scan: PageScan) -> list[Edit]:
        """Line edits to the page's Markdown (problems go to ``page``)."""
        return []

    def page_tree(self, page: Page, root: etree.Element, md: Markdown) -> None:
        """Check or change the page's rendered element tree (problems go to ``page``)."""

    def summary(self) -> str | None:
        """One build-log line saying what this capability did, or None."""
        return None

    def close(self) -> None:
        """Release temporary files and processes."""
