"""Each Markdown table in a <div> of its own, so Material's table wrapping restyles the table, not the page.

At startup Material's bundle moves every ``table:not([class])`` into a scroll wrapper. Its stylesheet has
structural rules (``:nth-child`` and the like), so Chromium restyles the whole subtree of the parent a node
is inserted into: with the tables directly in the article, every element of the page (1,234 of the kubectl
cheat sheet's 1,660; ~130 ms on Lighthouse's mobile CPU). In a div of its own a table is its parent's only
child, and the same move restyles the table alone (128 elements). The div has no style: pages look the same.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

TABLE_SLOT_CLASS = "kn-table"


class TableSlots(Treeprocessor):
    """Puts every table Material will wrap (one without a class) into a ``div.kn-table``."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(parent):
                if child.tag == "table" and "class" not in child.attrib:
                    slot = etree.Element("div", {"class": TABLE_SLOT_CLASS})
                    slot.tail, child.tail = child.tail, None
                    parent[index] = slot
                    slot.append(child)
