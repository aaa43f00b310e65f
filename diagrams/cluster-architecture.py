"""A Kubernetes cluster: the control plane, two worker nodes, and kubectl talking to the API server.

Every arrow into kube-apiserver is a client connection: nothing else talks to etcd, and nodes never
talk to each other's kubelet through the control plane.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CCM, CM, KProxy, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User
from diagrams.onprem.container import Containerd

from kn_style import cluster, diagram, edge

with diagram(direction="TB", ranksep="0.55", nodesep="0.45"):
    user = User("you, with kubectl")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver")
        etcd = ETCD("etcd\n(cluster state)")
        scheduler = Sched("kube-scheduler")
        controllers = CM("kube-controller-\nmanager")
        cloud = CCM("cloud-controller-\nmanager")

    user >> edge("HTTPS") >> apiserver
    apiserver >> edge() >> etcd  # the only component that reads or writes etcd
    for component in (scheduler, controllers, cloud):
        apiserver << edge(dashed=True) << component  # watch and update through the API

    for number in (1, 2):
        with cluster(f"Worker node {number}", "green"):
            kubelet = Kubelet("kubelet")
            proxy = KProxy("kube-proxy")
            runtime = Containerd("container runtime\n(containerd, CRI-O)")
            pods = [Pod("Pod"), Pod("Pod")]
        label = "watch Pods,\nreport status" if number == 1 else ""
        apiserver << edge(label, dashed=True, minlen="2") << kubelet
        apiserver << edge(dashed=True, minlen="2") << proxy
        kubelet >> edge("CRI") >> runtime >> edge("runs") >> pods
