"""kubectl drain: cordon the node, then ask the Eviction API for each Pod; the API server checks the
PodDisruptionBudget, refuses with 429 while the budget is spent, and the Pod's controller replaces what
was evicted on another node."""

from diagrams.k8s.compute import RS, Pod
from diagrams.k8s.controlplane import APIServer

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", curvestyle="curved", nodesep="0.35", ranksep="0.5"):
    operator = text_box("kubectl drain\nnode-2", "purple")
    budget = text_box("PodDisruptionBudget\nminAvailable: 2\nof 3 replicas", "blue")
    apiserver = APIServer("kube-apiserver\nEviction API")

    with cluster("node-2: cordoned", "yellow"):
        leaving = Pod("checkout Pod\nevicted")
        waiting = Pod("checkout Pod\nwaits its turn")

    controller = RS("ReplicaSet\nreplaces it")
    with cluster("node-1 or node-3", "green"):
        replacement = Pod("new checkout Pod")

    operator >> step(1, "cordon, then\nevict each Pod") >> apiserver
    budget >> edge("checked", dashed=True) >> apiserver
    apiserver >> step(2, "allowed:\ngraceful stop") >> leaving
    apiserver >> edge("429: budget\nspent, retry", muted=True, dashed=True) >> waiting
    leaving >> edge("one Pod\nfewer", dashed=True) >> controller
    controller >> step(3, "new Pod, placed\naway from node-2") >> replacement
