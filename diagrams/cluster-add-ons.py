"""Add-ons: cluster DNS, metrics, a log agent and a web UI, all running as ordinary workloads."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer, Kubelet
from diagrams.onprem.client import User
from diagrams.onprem.logging import FluentBit, Loki
from diagrams.onprem.network import Internet

from kn_style import cluster, diagram, edge

with diagram(direction="TB"):
    with cluster("every worker node", "green"):
        app = Pod("your Pod")
        kubelet = Kubelet("kubelet")
        log_agent = FluentBit("log agent\n(DaemonSet)")

    with cluster("namespace kube-system", "blue"):
        dns = Pod("CoreDNS")
        metrics = Pod("metrics-server")

    api = APIServer("kube-apiserver")

    with cluster("add-ons you choose", "purple", dashed=True):
        log_store = Loki("log store")
        ui = Internet("web UI\n(Headlamp)")

    reader = User("you")

    app >> edge("DNS lookups") >> dns
    dns >> edge("watches Services", dashed=True) >> api
    kubelet >> edge("CPU, memory use") >> metrics
    metrics >> edge("kubectl top,\nautoscalers") >> api
    log_agent >> edge("container logs") >> log_store
    api << edge("reads and writes") << ui
    ui << edge("browses") << reader
