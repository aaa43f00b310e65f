"""Inside a worker node: the kubelet drives the container runtime through CRI; CNI wires up Pod networking.

kube-proxy (or a CNI plugin that replaces it) turns Services into packet rules on the node.
"""

from diagrams.generic.network import Firewall, Subnet
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, KProxy, Kubelet
from diagrams.onprem.container import Containerd

from kn_style import cluster, diagram, edge

with diagram(direction="LR", ranksep="0.9", nodesep="0.5"):
    apiserver = API("kube-apiserver\n(control plane)")

    with cluster("Worker node (a VM or a physical machine)", "green"):
        kubelet = Kubelet("kubelet\nnode agent")
        proxy = KProxy("kube-proxy")
        runtime = Containerd("containerd\n(CRI runtime)")
        cni = Subnet("CNI plugin\nPod IPs, routes")
        rules = Firewall("nftables / iptables\nService rules")
        with cluster("Pods", "blue"):
            pods = [Pod("web-1"), Pod("web-2"), Pod("db-0")]

    apiserver << edge("watch Pods bound here,\nreport node and Pod status", dashed=True) << kubelet
    apiserver << edge("watch Services,\nEndpointSlices", dashed=True) << proxy
    kubelet >> edge("CRI (gRPC)") >> runtime
    runtime >> edge("set up Pod network") >> cni
    for index, pod in enumerate(pods):  # label one arrow of each bundle, not all three
        runtime >> edge("" if index else "start containers") >> pod
        cni >> edge("" if index else "give each Pod an IP") >> pod
    proxy >> edge("program") >> rules
