"""Inside a worker node: the kubelet drives the container runtime through CRI; CNI wires up Pod networking.

kube-proxy (or a CNI plugin that replaces it) turns Services into packet rules on the node.
"""

from diagrams.generic.network import Firewall, Subnet
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, KProxy, Kubelet
from diagrams.onprem.container import Containerd

from kn_style import cluster, diagram, edge

with diagram(direction="TB", curvestyle="curved", ranksep="0.55", nodesep="0.7"):
    apiserver = API("kube-apiserver\n(control plane)")

    with cluster("Worker node (a VM or a physical machine)", "green"):
        kubelet = Kubelet("kubelet")
        proxy = KProxy("kube-proxy")
        runtime = Containerd("containerd\n(CRI runtime)")
        rules = Firewall("nftables or\niptables rules")
        cni = Subnet("CNI plugin")
        with cluster("Pods", "blue"):
            pods = [Pod("web-1"), Pod("web-2"), Pod("db-0")]

    apiserver << edge("watch my Pods,\nreport status", dashed=True) << kubelet
    apiserver << edge("watch Services,\nEndpointSlices", dashed=True) << proxy
    kubelet >> edge("CRI (gRPC)") >> runtime
    proxy >> edge("program") >> rules
    runtime >> edge("set up the\nPod network") >> cni
    for index, pod in enumerate(pods):  # label one arrow of each bundle, not all three
        runtime >> edge("" if index else "start\ncontainers") >> pod
        cni >> edge("" if index else "Pod IP", dashed=True) >> pod
