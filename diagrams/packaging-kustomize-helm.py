"""Two ways to package manifests: Kustomize patches plain YAML, Helm fills in templates.

Both end the same way, as ordinary manifests sent to kube-apiserver; the difference is what you keep
in Git and whether something remembers what was installed (Helm's release history does, Kustomize
keeps no state at all). Each tool is one narrow column, so the picture fits a phone held upright.
Helm's step is a text box: its navy logo would vanish on the dark palette.
"""

from diagrams.k8s.controlplane import API
from diagrams.k8s.ecosystem import Kustomize
from diagrams.k8s.podconfig import Secret

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", nodesep="0.35", ranksep="0.55"):
    with cluster("Kustomize: YAML + patches", "blue"):
        base = text_box("base/\nplain manifests +\nkustomization.yaml", "blue")
        overlay = text_box("overlays/production/\nnamespace, image tag,\nreplicas, patches", "blue")
        build = Kustomize("kubectl kustomize\nor kubectl apply -k")
        base >> edge("used by") >> overlay
        overlay >> step(1, "build") >> build

    with cluster("Helm: templates + values", "green"):
        chart = text_box("chart/\nChart.yaml, values.yaml,\ntemplates/", "green")
        values = text_box("your values\n-f prod.yaml\n--set key=value", "green")
        render = text_box("helm install\nor helm upgrade\n(renders templates)", "green")
        chart >> edge("defaults\noverridden by") >> values
        values >> step(1, "render") >> render

    apiserver = API("kube-apiserver")
    history = Secret("release history\n(Secret per revision)")

    build >> step(2, "plain\nmanifests") >> apiserver
    render >> step(2, "plain\nmanifests") >> apiserver
    render >> edge("records", dashed=True) >> history
