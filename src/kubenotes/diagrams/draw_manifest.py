"""Draw a manifest graph (JSON on stdin) with the house style: ``python -m ... SCRIPTS_DIR STEM OUTDIR``.

Runs in a render subprocess like any diagram script. ``SCRIPTS_DIR`` is the project's ``diagrams/``,
put on ``sys.path`` so the drawing imports the same ``kn_style`` as the scripts.
"""

from __future__ import annotations

import sys
from pathlib import Path

# kind -> (module under diagrams.k8s, class); other kinds get the generic custom-resource icon
ICONS = {
    "Deployment": ("compute", "Deploy"), "ReplicaSet": ("compute", "RS"), "Pod": ("compute", "Pod"),
    "StatefulSet": ("compute", "STS"), "DaemonSet": ("compute", "DS"), "Job": ("compute", "Job"),
    "CronJob": ("compute", "Cronjob"), "Service": ("network", "SVC"), "Ingress": ("network", "Ing"),
    "HTTPRoute": ("network", "Ing"), "Gateway": ("network", "Ing"),
    "NetworkPolicy": ("network", "Netpol"), "HorizontalPodAutoscaler": ("clusterconfig", "HPA"),
    "ConfigMap": ("podconfig", "CM"), "Secret": ("podconfig", "Secret"),
    "PersistentVolumeClaim": ("storage", "PVC"), "PersistentVolume": ("storage", "PV"),
    "StorageClass": ("storage", "SC"), "ServiceAccount": ("rbac", "SA"), "Namespace": ("group", "NS"),
}
FALLBACK_ICON = ("others", "CRD")
# Kinds too wide for one line under an icon, broken where the words meet.
KIND_LINES = {"HorizontalPodAutoscaler": "HorizontalPod\nAutoscaler",
              "PersistentVolumeClaim": "PersistentVolume\nClaim"}
SHORT_DETAIL = 18
GENERATED_BOX = "Created by controllers"
EXTERNAL_BOX = "Referenced, not in this file"


def main(argv: list[str]) -> int:
    scripts_dir, stem, outdir = argv
    sys.path.insert(0, scripts_dir)
    import importlib

    from kn_style import cluster, diagram, edge
    from kubenotes.diagrams.manifest_graph import ManifestGraph

    graph = ManifestGraph.from_json(sys.stdin.read())

    def draw(node):  # one icon node per object, named by its kind and name
        module, cls = ICONS.get(node.kind, FALLBACK_ICON)
        icon = getattr(importlib.import_module(f"diagrams.k8s.{module}"), cls)
        kind = KIND_LINES.get(node.kind, node.kind)
        if len(node.detail) <= SHORT_DETAIL:  # "1Gi", "3 to 10 replicas": on the name line
            label = f"{kind}\n{node.name}" + (f" ({node.detail})" if node.detail else "")
        else:
            label = f"{kind}\n{node.name}\n{node.detail}"
        return icon(label, nodeid=node.id)

    drawn = {}
    with diagram(name=stem, outdir=Path(outdir), direction="LR", curvestyle="curved"):
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
            drawn[link.source] >> edge(link.label, dashed=link.relation in {"is used by", "scales"}) \
                >> drawn[link.target]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
