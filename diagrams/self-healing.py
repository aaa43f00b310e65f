"""Who reacts to which failure: kubelet, EndpointSlice, ReplicaSet and node lifecycle controllers."""

from diagrams.k8s.compute import RS, Pod
from diagrams.k8s.controlplane import ControllerManager, Kubelet
from diagrams.k8s.infra import Node
from diagrams.k8s.network import SVC, Ep

from kn_style import cluster, diagram, edge

# Graphviz stacks LR clusters bottom-up in declaration order, so the first failure to read is declared last.
with diagram(direction="LR", ranksep="0.5"):
    with cluster("4. node stops reporting", "yellow"):
        dead = Node("node\nunreachable")
        lifecycle = ControllerManager("node lifecycle\ncontroller")
        dead >> edge("no heartbeat") >> lifecycle
        lifecycle >> edge("taint\nNoExecute,\nevict after\n300 s") >> Pod("Pods replaced\nelsewhere")

    with cluster("3. Pod deleted or evicted", "green"):
        gone = Pod("Pod gone")
        replicaset = RS("ReplicaSet\ncontroller")
        gone >> edge("2 of 3\nrunning") >> replicaset
        replicaset >> edge("create") >> Pod("replacement\nPod")

    with cluster("2. readiness probe fails", "blue"):
        busy = Pod("Pod not ready")
        slices = Ep("EndpointSlice\ncontroller")
        busy >> edge("Ready=False") >> slices
        slices >> edge("mark endpoint\nnot ready") >> SVC("Service skips\nthis Pod")

    with cluster("1. liveness probe fails", "purple"):
        stuck = Pod("container\nstuck")
        kubelet = Kubelet("kubelet")
        stuck >> edge("3 failed\nprobes") >> kubelet
        kubelet >> edge("restart\ncontainer") >> Pod("same Pod,\nrestarted")
