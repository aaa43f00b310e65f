"""The Pod network: every Pod has its own IP from its node's range, and Pods on different nodes talk
directly, with no NAT. The container runtime asks the CNI plugin to wire each new Pod in."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Kubelet

from kn_style import cluster, diagram, edge, step, text_box

# splines=spline: the one arrow that climbs back up (step 3) keeps its head at the right end,
# which Graphviz's "curved" splines get wrong for edges that run against the rank order.
with diagram(direction="TB", splines="spline", nodesep="0.5", ranksep="0.5"):
    with cluster("node-1: Pods 10.244.1.x", "green"):
        runtime = Kubelet("kubelet and\nruntime")
        plugin_one = text_box("CNI plugin:\nveth, IP, routes", "purple")
        client = Pod("web Pod\n10.244.1.5")

    with cluster("node-2: Pods 10.244.2.x", "blue"):
        plugin_two = text_box("CNI plugin", "purple")
        server = Pod("api Pod\n10.244.2.7")

    network = text_box("routes or\nan overlay", "yellow")

    runtime >> step(1, "ADD the\nnew Pod") >> plugin_one
    plugin_one >> edge("gives IP", dashed=True) >> client
    plugin_two >> edge("gave IP", dashed=True) >> server
    client >> step(2, "10.244.1.5 to\n10.244.2.7") >> network
    network >> step(3, "source kept:\nno NAT", constraint="false") >> server
