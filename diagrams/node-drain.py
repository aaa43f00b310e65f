"""kubectl drain: cordon the node, then ask the Eviction API for each Pod; the API server checks the
PodDisruptionBudget, refuses with 429 while the budget is spent, and the Pod's controller replaces what
was evicted on another node."""

from diagrams.k8s.compute import RS, Pod
from diagrams.k8s.controlplane import APIServer

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", curvestyle="curved", nodesep="0.45", ranksep="0.55"):
    operator = text_box("kubectl drain node-2", "purple")
    apiserver = APIServer("kube-apiserver\nEviction API")
    budget = text_box("PodDisruptionBudget\nminAvailable: 2\n(3 replicas)", "blue")

    with cluster("node-2: cordoned", "yellow"):
        leaving = Pod("checkout Pod\nevicted")
        waiting = Pod("checkout Pod\nwaits its turn")

    refused = text_box("429 Too Many Requests:\nbudget spent, retry", "yellow")
    controller = RS("ReplicaSet\nreplaces it")
    with cluster("node-1 or node-3", "green"):
        replacement = Pod("new checkout Pod")

    operator >> step(1, "cordon, then evict\neach Pod") >> apiserver
    apiserver >> edge("allowed?", dashed=True) >> budget
    apiserver >> step(2, "yes: graceful\ntermination") >> leaving
    apiserver >> edge("no, not yet", muted=True) >> refused
    refused >> edge(dashed=True, muted=True) >> waiting
    leaving >> edge("one fewer Pod", dashed=True) >> controller
    controller >> step(3, "create; scheduler\navoids node-2") >> replacement
