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

with diagram(direction="TB", curvestyle="curved", ranksep="1.0", nodesep="1.0"):
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

    # Each controller's watch (odd step) and write (even step) share one two-way arrow.
    user >> step(1, "send the Deployment") >> apiserver
    apiserver >> step(2, "authn, authz, admission\npass: store it") >> etcd
    apiserver >> step(3, "watch: new Deployment\n4. create a ReplicaSet") << deployments
    apiserver >> step(5, "watch: new ReplicaSet\n6. create Pods") << replicasets
    apiserver >> step(7, "watch: Pod without node\n8. bind it to a node") << scheduler
    apiserver >> step(9, "watch: Pod bound here\n12. report: Running", minlen="2") << kubelet
    kubelet >> step(10, "CRI: sandbox, pull\nimage, start") >> runtime
    runtime >> step(11, "containers run") >> pod
