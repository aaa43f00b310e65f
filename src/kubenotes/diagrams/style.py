"""The house style of every picture: one family of diagrams, no output paths in scripts.

Scripts import it through ``diagrams/kn_style.py`` (which re-exports this module), manifest drawings
directly:

    from kn_style import diagram, cluster, edge, step

    with diagram(direction="TB"):
        ...

``diagram()`` names the output after the script and writes ``<script>.svg`` into the folder given as
the first command-line argument (the build passes a scratch folder), else the current folder, so
``python diagrams/x.py`` works for an author exactly as it does in the build.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import diagrams
from diagrams import Cluster, Diagram, Edge, Node

from kubenotes.diagrams.theme import ACCENT, CLUSTER_BORDER, CLUSTER_FILLS, EDGE, FONT, MUTED_TEXT, TEXT

_node_ids = itertools.count(1)
# mingrammer gives every node a random uuid (``Node._rand_id``) unless it gets a nodeid; a counter makes
# re-renders of the same script byte-identical without asking authors to name every node. This is the
# one place a private mingrammer attribute is replaced; tests/test_diagrams_render.py fails if it moves.
RAND_ID = "_rand_id"
if not callable(getattr(diagrams.Node, RAND_ID, None)):
    raise ImportError(
        f"mingrammer diagrams has no Node.{RAND_ID} any more: update kubenotes.diagrams.style "
        "so re-renders keep stable node ids"
    )
setattr(diagrams.Node, RAND_ID, staticmethod(lambda: f"n{next(_node_ids)}"))

GRAPH = {
    "bgcolor": "transparent",
    "pad": "0.25",
    "nodesep": "0.55",
    "ranksep": "0.7",
    "fontname": FONT,
    "fontsize": "15",
    "fontcolor": TEXT,
}
NODE = {"fontname": FONT, "fontsize": "15", "fontcolor": TEXT}
EDGE_STYLE = {"fontname": FONT, "fontsize": "14", "fontcolor": TEXT, "color": EDGE, "penwidth": "1.4"}


def diagram(
    title: str = "",
    *,
    direction: str = "LR",
    name: str | None = None,
    outdir: Path | None = None,
    curvestyle: str = "ortho",
    **graph_attr: str,
) -> Diagram:
    """A Diagram in the house style that writes ``<name>.svg`` (name defaults to the script's)."""
    name = name or Path(sys.argv[0]).stem
    if outdir is None:
        outdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    outdir.mkdir(parents=True, exist_ok=True)
    return Diagram(
        title,
        filename=str(outdir / name),
        direction=direction,
        curvestyle=curvestyle,
        outformat="svg",
        show=False,
        graph_attr={**GRAPH, **graph_attr},
        node_attr=NODE,
        edge_attr=EDGE_STYLE,
    )


def cluster(label: str, tone: str = "blue", *, dashed: bool = False) -> Cluster:
    """A group box; ``tone`` is one of blue, green, purple, yellow (each has a dark-palette twin)."""
    style = "rounded,dashed" if dashed else "rounded"
    return Cluster(
        label,
        graph_attr={
            "bgcolor": CLUSTER_FILLS[tone],
            "pencolor": CLUSTER_BORDER,
            "fontname": FONT,
            "fontsize": "15",
            "fontcolor": TEXT,
            "style": style,
            "margin": "14",
        },
    )


def edge(label: str = "", *, dashed: bool = False, muted: bool = False, **attrs: str) -> Edge:
    """A connection in the house style; ``dashed`` for watches and other indirect links."""
    colour = MUTED_TEXT if muted else EDGE
    return Edge(
        label=label,
        color=colour,
        style="dashed" if dashed else "solid",
        fontname=FONT,
        fontsize="14",
        fontcolor=MUTED_TEXT if muted else TEXT,
        **attrs,
    )


def step(number: int, label: str, **attrs: str) -> Edge:
    """A numbered edge for sequence pictures: ``1. label`` in the accent colour."""
    return Edge(
        label=f"{number}. {label}",
        color=ACCENT,
        fontcolor=ACCENT,
        fontname=FONT,
        fontsize="14",
        penwidth="1.8",
        **attrs,
    )


def text_box(label: str, tone: str = "blue") -> Node:
    """A node that is only words in a tinted box, for steps and states that have no icon."""
    return Node(
        label,
        shape="box",
        style="rounded,filled",
        fillcolor=CLUSTER_FILLS[tone],
        color=CLUSTER_BORDER,
        fontname=FONT,
        fontcolor=TEXT,
        fontsize="15",
        fixedsize="false",
        width="2.3",
        height="0.9",
        margin="0.2,0.12",
        labelloc="c",
    )
