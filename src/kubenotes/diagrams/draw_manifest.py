"""Draw a manifest graph (JSON on stdin) with the house style: ``python -m ... STEM OUTDIR``.

Runs in a render subprocess like any diagram script, with the same house style
(``kubenotes.diagrams.style``, which the scripts import through ``diagrams/kn_style.py``).
"""

from __future__ import annotations

import html
import importlib
import re
import sys
from pathlib import Path

import diagrams
import graphviz
from diagrams import Node

from kubenotes.diagrams.manifest_graph import GraphNode, ManifestGraph
from kubenotes.diagrams.policy_graph import APPLIES, DENIED
from kubenotes.diagrams.policy_graph import ICONS as POLICY_ICONS
from kubenotes.diagrams.style import cluster, diagram, edge

# kind -> (module under diagrams.k8s, class); other kinds get the generic custom-resource icon
ICONS = {
    "Deployment": ("compute", "Deploy"),
    "ReplicaSet": ("compute", "RS"),
    "Pod": ("compute", "Pod"),
    "StatefulSet": ("compute", "STS"),
    "DaemonSet": ("compute", "DS"),
    "Job": ("compute", "Job"),
    "CronJob": ("compute", "Cronjob"),
    "Service": ("network", "SVC"),
    "Ingress": ("network", "Ing"),
    "HTTPRoute": ("network", "Ing"),
    "Gateway": ("network", "Ing"),
    "NetworkPolicy": ("network", "Netpol"),
    "HorizontalPodAutoscaler": ("clusterconfig", "HPA"),
    "ConfigMap": ("podconfig", "CM"),
    "Secret": ("podconfig", "Secret"),
    "PersistentVolumeClaim": ("storage", "PVC"),
    "PersistentVolume": ("storage", "PV"),
    "StorageClass": ("storage", "SC"),
    "ServiceAccount": ("rbac", "SA"),
    "Namespace": ("group", "NS"),
    **POLICY_ICONS,
}
FALLBACK_ICON = ("others", "CRD")
# Kinds too wide for one line under an icon, broken where the words meet.
KIND_LINES = {
    "HorizontalPodAutoscaler": "HorizontalPod\nAutoscaler",
    "PersistentVolumeClaim": "PersistentVolume\nClaim",
}
LINE_CHARS = 18  # label lines wrap here: about two icon widths at the house font size
BREAKS = re.compile(r"[^\s,./=-]*[\s,./=-]*")  # a word and the separators after it
ICON_INCHES = 1.1
WIDE_PX = 1000  # wider than this in left-to-right, a top-to-bottom layout is tried
PX_PER_INCH = 96
GENERATED_BOX = "Created by controllers"
EXTERNAL_BOX = "Referenced, not in this file"


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken after spaces, commas, dots, slashes,
    ``=`` and hyphens (selectors and generated names have few spaces); a longer run is cut."""
    lines: list[str] = []
    line = ""
    for piece in BREAKS.findall(text):
        if line and len((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
        while len(line.rstrip()) > width:
            lines.append(line[:width])
            line = line[width:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def label_lines(node: GraphNode) -> list[str]:
    """Kind, name and detail as the lines under the icon; a short detail shares the name's line."""
    lines = KIND_LINES.get(node.kind, node.kind).split("\n")
    with_detail = f"{node.name} ({node.detail})"
    if node.detail and len(with_detail) <= LINE_CHARS:
        return [*lines, with_detail]
    return lines + wrap(node.name) + wrap(node.detail)


def html_label(icon: str, lines: list[str]) -> str:
    """The icon and the label lines as one Graphviz HTML-like table.

    mingrammer's icon nodes have a fixed size (``fixedsize=true``), so Graphviz ignores a label
    wider than the icon: it runs into the next node and is clipped at the picture's edge. In a
    table the words are part of the node, so the layout measures and makes room for them.
    """
    text = "<BR/>".join(html.escape(line) for line in lines)
    size = round(ICON_INCHES * 72)
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}">'
        f'<IMG SRC="{html.escape(icon)}" SCALE="TRUE"/></TD></TR>'
        f"<TR><TD>{text}</TD></TR></TABLE>>"
    )


def icon_file(kind: str) -> str:
    """The PNG mingrammer ships for ``kind`` (webify inlines it), by absolute path."""
    module, cls = ICONS.get(kind, FALLBACK_ICON)
    icon = getattr(importlib.import_module(f"diagrams.k8s.{module}"), cls)
    return str(Path(diagrams.__file__).parent.parent / icon._icon_dir / icon._icon)


def layout_direction(widths_px: dict[str, float]) -> str:
    """Left to right unless that is wider than a page shows at a readable size and top to bottom
    is narrower: a picture scaled down to the content column shrinks its type with it."""
    if widths_px["LR"] <= WIDE_PX or widths_px["TB"] >= widths_px["LR"]:
        return "LR"
    return "TB"


def natural_width_px(dot: graphviz.Digraph, direction: str) -> float:
    """The laid-out width of ``dot`` in CSS pixels when ranks run in ``direction``."""
    dot.graph_attr["rankdir"] = direction
    header = dot.pipe(format="plain").split(b"\n", 1)[0].split()  # graph <scale> <width> <height>
    return float(header[2]) * PX_PER_INCH


def main(argv: list[str]) -> int:
    stem, outdir = argv
    graph = ManifestGraph.from_json(sys.stdin.read())

    def draw(node: GraphNode) -> Node:  # one icon node per object, named by its kind and name
        return Node(
            html_label(icon_file(node.kind), label_lines(node)),
            nodeid=node.id,
            shape="plain",
            fixedsize="false",
            width="0",
            height="0",
        )

    drawn = {}
    with diagram(name=stem, outdir=Path(outdir), direction="LR", curvestyle="curved") as picture:
        for node in graph.nodes.values():
            if not (node.generated or node.external):
                drawn[node.id] = draw(node)
        for flag, title, tone in (("generated", GENERATED_BOX, "blue"), ("external", EXTERNAL_BOX, "yellow")):
            members = [n for n in graph.nodes.values() if getattr(n, flag)]
            if members:
                with cluster(title, tone, dashed=True):
                    for node in members:
                        drawn[node.id] = draw(node)
        for link in graph.edges:
            (
                drawn[link.source]
                >> edge(
                    "\n".join(wrap(link.label)),
                    dashed=link.relation in {"is used by", "scales", APPLIES, DENIED},
                    muted=link.relation == DENIED,
                )
                >> drawn[link.target]
            )
        widths = {direction: natural_width_px(picture.dot, direction) for direction in ("LR", "TB")}
        picture.dot.graph_attr["rankdir"] = layout_direction(widths)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
