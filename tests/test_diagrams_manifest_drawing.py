"""How a manifest-drawn picture reads: many replicas stay short, long labels wrap instead of being
cut, small pictures stay small and wide ones turn top to bottom (real Graphviz renders)."""

from __future__ import annotations

import itertools
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from kubenotes.cache import CacheStore
from kubenotes.diagrams import manifest_figure as figures
from kubenotes.diagrams.draw_manifest import (
    EXTERNAL_BOX,
    GENERATED_BOX,
    LINE_CHARS,
    WIDE_PX,
    label_lines,
    layout_direction,
    wrap,
)
from kubenotes.diagrams.manifest_graph import (
    MAX_PODS_DRAWN,
    GraphNode,
    ManifestGraph,
    build_graph,
    load_objects,
)
from kubenotes.diagrams.render import render_jobs
from kubenotes.project import Project

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
PX_PER_PT = 4 / 3

NINE_REPLICAS = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 9
      selector: {matchLabels: {app.kubernetes.io/name: web}}
      template:
        metadata: {labels: {app.kubernetes.io/name: web, app.kubernetes.io/component: frontend}}
        spec: {containers: [{name: web, image: "nginx:1.27"}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      selector: {app.kubernetes.io/name: web, app.kubernetes.io/component: frontend}
      ports: [{port: 80}]
    """
AUTOSCALED = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: checkout-frontend}
    spec:
      selector: {matchLabels: {app: checkout}}
      template:
        metadata: {labels: {app: checkout}}
        spec: {containers: [{name: web, image: "nginx:1.27"}]}
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: checkout-frontend}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout-frontend}
      minReplicas: 2
      maxReplicas: 20
    """
SINGLE_POD = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: hello}
    spec: {containers: [{name: hello, image: "busybox:1.37"}]}
    """
STATEFUL_SET = """\
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      serviceName: db
      replicas: 3
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec:
          containers:
            - name: db
              image: "postgres:17"
              env: [{name: PW, valueFrom: {secretKeyRef: {name: db-credentials, key: pw}}}]
      volumeClaimTemplates:
        - metadata: {name: data}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: db}
    spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
    """


def graph_of(tmp_path: Path, manifest: str) -> ManifestGraph:
    path = tmp_path / "manifest.yaml"
    path.write_text(textwrap.dedent(manifest))
    return build_graph(load_objects(path))


def rendered_svg(tmp_path: Path, manifest: str) -> ET.Element:
    """The picture the build would draw for ``manifest``."""
    job = figures.manifest_job(Project.from_settings(ROOT), "test/picture.yaml", graph_of(tmp_path, manifest))
    report = render_jobs([job], CacheStore(tmp_path / "cache"), workers=1)
    assert not report.errors, report.errors
    return ET.fromstring(report.images[job.name])


def width_px(svg: ET.Element) -> float:
    return float(svg.get("width", "").removesuffix("pt")) * PX_PER_PT


def height_px(svg: ET.Element) -> float:
    return float(svg.get("height", "").removesuffix("pt")) * PX_PER_PT


def test_nine_replicas_draw_three_pods_and_one_node_with_the_count(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, NINE_REPLICAS)
    pods = [t for s, t in graph.edge_pairs() if s == "ReplicaSet/web-<hash>"]
    assert len(pods) == MAX_PODS_DRAWN + 1
    more = graph.nodes["ReplicaSet/web-<hash>/more-pods"]
    assert (more.name, more.detail) == ("+6 more", "9 Pods in all")
    assert ("Service/web", more.id) in graph.edge_pairs()  # the Service reaches the rest too
    assert "Service web selects 9 Pods" in figures.alt_text("x.yaml", graph)


def test_long_text_wraps_at_natural_breaks_and_loses_nothing() -> None:
    selector = "ClusterIP, selects app.kubernetes.io/name=web, app.kubernetes.io/component=frontend"
    lines = wrap(selector)
    assert len(lines) > 1
    assert all(len(line) <= LINE_CHARS for line in lines)
    assert "".join(lines).replace(" ", "") == selector.replace(" ", "")
    assert lines[1] == "app.kubernetes.io/"  # broken after the slash, not in the middle of a word
    assert wrap("x" * (LINE_CHARS * 2 + 1)) == ["x" * LINE_CHARS, "x" * LINE_CHARS, "x"]


def test_node_label_keeps_short_details_on_the_name_line_and_wraps_long_ones() -> None:
    short = GraphNode("PersistentVolumeClaim/data", "PersistentVolumeClaim", "data", "1Gi")
    assert label_lines(short) == ["PersistentVolume", "Claim", "data (1Gi)"]
    service = GraphNode("Service/web", "Service", "web", "ClusterIP, selects app.kubernetes.io/name=web")
    assert label_lines(service) == ["Service", "web", "ClusterIP, selects", "app.kubernetes.io/", "name=web"]


def test_layout_turns_top_to_bottom_only_when_that_helps_a_wide_picture() -> None:
    assert layout_direction({"LR": WIDE_PX - 1, "TB": 300}) == "LR"
    assert layout_direction({"LR": WIDE_PX + 500, "TB": 700}) == "TB"
    assert layout_direction({"LR": WIDE_PX + 500, "TB": WIDE_PX + 900}) == "LR"


def test_service_label_shows_its_whole_selector_in_short_lines(tmp_path: Path) -> None:
    svg = rendered_svg(tmp_path, NINE_REPLICAS)
    texts = [t.text or "" for t in svg.iter(f"{SVG}text") if t.text not in (GENERATED_BOX, EXTERNAL_BOX)]
    assert all(len(text) <= LINE_CHARS for text in texts), texts
    joined = " ".join(texts)
    assert "app.kubernetes.io/ name=web," in joined and "component=frontend" in joined
    assert "+6 more" in joined and "9 Pods in all" in joined


def test_labels_get_room_in_the_layout(tmp_path: Path) -> None:
    """Graphviz measures the words as part of each node, so every text line lies inside the picture
    and two labels on one row never share the same stretch of it."""
    svg = rendered_svg(tmp_path, AUTOSCALED)  # long names at the picture's left edge
    view_width = float(svg.get("viewBox", "").split()[2])
    graph = svg.find(f".//{SVG}g[@class='graph']")
    assert graph is not None
    shift = float(re.search(r"translate\(([-\d.]+)", graph.get("transform", ""))[1])
    rows: dict[float, list[tuple[float, float]]] = {}
    for text in svg.iter(f"{SVG}text"):
        width = approx_width(text)
        anchor = {"start": 0.0, "middle": 0.5, "end": 1.0}[text.get("text-anchor", "start")]
        left = shift + float(text.get("x", 0)) - anchor * width
        assert left >= 0 and left + width <= view_width, (text.text, left, width, view_width)
        rows.setdefault(float(text.get("y", 0)), []).append((left, left + width))
    for spans in rows.values():
        spans.sort()
        assert all(left[1] <= right[0] for left, right in itertools.pairwise(spans)), spans


def approx_width(text: ET.Element) -> float:
    """A text's width in points at DejaVu Sans' average advance (about 0.55 em), a lower bound
    good enough to tell a label that fits from one that runs into its neighbour."""
    return len(text.text or "") * float(text.get("font-size", "15")) * 0.55


def test_a_single_pod_stays_a_small_picture(tmp_path: Path) -> None:
    svg = rendered_svg(tmp_path, SINGLE_POD)
    assert width_px(svg) <= 320 and height_px(svg) <= 320, (width_px(svg), height_px(svg))


def test_a_wide_picture_is_laid_out_top_to_bottom(tmp_path: Path) -> None:
    """Secret -> StatefulSet -> Service -> Pods -> claims -> StorageClass is six ranks: well over
    WIDE_PX from left to right, so the drawer turns it."""
    svg = rendered_svg(tmp_path, STATEFUL_SET)
    assert width_px(svg) <= WIDE_PX
    assert height_px(svg) > width_px(svg)  # ranks run down the page
