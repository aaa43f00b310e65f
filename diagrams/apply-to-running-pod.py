"""From `kubectl apply` to a running Pod, numbered in order.

No component calls another directly: each one watches kube-apiserver, acts, and writes its result
back, and every write is stored in etcd before anyone else sees it.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User
from diagrams.onprem.container import Containerd

from kn_style import cluster, diagram, step

with diagram(direction="TB", curvestyle="curved", ranksep="0.8", nodesep="0.3"):
    user = User("kubectl apply\n-f web.yaml")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver\nauthn, authz,\nadmission")
        etcd = ETCD("etcd")
        with cluster("kube-controller-manager", "purple"):
            deployments = CM("Deployment\ncontroller")
            replicasets = CM("ReplicaSet\ncontroller")
        scheduler = Sched("kube-scheduler")

    with cluster("Worker node", "green"):
        kubelet = Kubelet("kubelet")
        runtime = Containerd("containerd")
        pod = Pod("Pod running")

    # Each watcher's watch (odd step) and write (even step) share one two-way arrow.
    user >> step(1, "apply") >> apiserver
    apiserver >> step(2, "admitted:\nstore") >> etcd
    apiserver >> step(3, "new\nDeployment\n4. create\nReplicaSet") << deployments
    apiserver >> step(5, "new\nReplicaSet\n6. create\nPods") << replicasets
    apiserver >> step(7, "Pod with\nno node\n8. bind to\na node") << scheduler
    apiserver >> step(9, "Pod\nbound\nhere\n12. status:\nRunning", minlen="2") << kubelet
    kubelet >> step(10, "CRI: run\nthe Pod") >> runtime
    runtime >> step(11, "start\ncontainers") >> pod
