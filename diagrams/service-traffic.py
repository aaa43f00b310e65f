"""How a request to a Service reaches a Pod: DNS gives the cluster IP, kube-proxy's rules pick a Pod."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import ControllerManager
from diagrams.k8s.network import Endpoint, Service
from diagrams.onprem.network import Internet

from kn_style import cluster, diagram, edge, step

with diagram(direction="TB", curvestyle="curved"):
    with cluster("control plane", "blue"):
        controller = ControllerManager("EndpointSlice\ncontroller")

    slice_obj = Endpoint("EndpointSlice\n(Pod IPs and\nconditions)")
    dns = Internet("CoreDNS")

    with cluster("any node", "green"):
        client = Pod("client Pod")
        rules = Service("kube-proxy rules\n(iptables / nftables)")

    with cluster("Pods selected by Service api", "yellow"):
        first = Pod("api Pod\n10.244.1.7")
        second = Pod("api Pod\n10.244.2.4")
        third = Pod("api Pod\n10.244.2.5")

    controller >> edge("writes") >> slice_obj
    slice_obj >> edge(dashed=True, constraint="false", xlabel="watched by\nkube-proxy") >> rules
    client >> step(1, "api.shop ?") >> dns
    client >> step(2, "10.96.148.27:80") >> rules
    rules >> step(3, "one ready Pod,\nport 8080") >> second
    rules >> edge(dashed=True, muted=True) >> first
    rules >> edge(dashed=True, muted=True) >> third
