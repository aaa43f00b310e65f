"""A Kubernetes cluster: the control plane, two worker nodes, and kubectl talking to the API server.

Every arrow ends or starts at kube-apiserver: it is the only component that reads or writes etcd,
and the other components, kubectl included, are its clients.
"""

from diagrams import Edge
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CCM, CM, KProxy, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User
from diagrams.onprem.container import Containerd

from kn_style import cluster, diagram, edge

with diagram(direction="TB", ranksep="0.5", nodesep="0.45"):
    user = User("you, with\nkubectl")

    with cluster("Control plane", "blue"):
        scheduler = Sched("kube-scheduler")
        controllers = CM("kube-controller-\nmanager")
        cloud = CCM("cloud-controller-\nmanager")
        etcd = ETCD("etcd")
        apiserver = API("kube-apiserver")

    # Clients sit above the API server, so the worker nodes can sit right below it; etcd sits level
    # with the API server (an invisible edge sets its row), keeping the picture narrow for the page.
    user >> edge("HTTPS") >> apiserver
    scheduler >> Edge(style="invis") >> etcd
    for component in (scheduler, controllers, cloud):
        component >> edge(dashed=True) >> apiserver
    etcd << edge(constraint="false") >> apiserver  # both ways; the API server is etcd's only client

    for number in (1, 2):
        with cluster(f"Worker node {number}", "green"):
            kubelet = Kubelet("kubelet")
            proxy = KProxy("kube-proxy")
            runtime = Containerd("container\nruntime (CRI)")
            pods = [Pod("Pod"), Pod("Pod")]
        apiserver << edge(dashed=True) << kubelet
        apiserver << edge(dashed=True) << proxy
        kubelet >> edge("CRI") >> runtime >> pods
