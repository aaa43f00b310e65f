"""A Kubernetes cluster: the control plane, two worker nodes, and kubectl talking to the API server."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CCM, CM, KProxy, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User
from diagrams.onprem.container import Containerd

from kn_style import cluster, diagram, edge

with diagram(direction="LR"):
    user = User("you\n(kubectl)")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver")
        etcd = ETCD("etcd")
        scheduler = Sched("kube-scheduler")
        controllers = CM("kube-controller-\nmanager")
        cloud = CCM("cloud-controller-\nmanager")

    user >> edge("HTTPS (REST)") >> apiserver
    apiserver >> edge("reads and writes\nstate") << etcd
    for component in (scheduler, controllers, cloud):
        component >> edge(dashed=True) >> apiserver

    for number in (1, 2):
        with cluster(f"Worker node {number}", "green"):
            kubelet = Kubelet("kubelet")
            proxy = KProxy("kube-proxy")
            runtime = Containerd("container runtime\n(CRI)")
            pods = [Pod("Pod"), Pod("Pod")]
        apiserver << edge("watch, report\nstatus", dashed=True) << kubelet
        apiserver << edge(dashed=True) << proxy
        kubelet >> edge("CRI") >> runtime >> edge("runs") >> pods
