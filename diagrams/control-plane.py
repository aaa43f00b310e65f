"""Inside the control plane: kube-apiserver at the centre, the only component that talks to etcd.

The scheduler and the controllers never call each other: each watches the API server for the
objects it cares about and writes its decisions back through it.
"""

from diagrams.k8s.controlplane import API, CCM, CM, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User
from diagrams.onprem.network import Internet

from kn_style import cluster, diagram, edge

with diagram(direction="LR", ranksep="1.0", nodesep="0.7"):
    with cluster("Clients", "yellow", dashed=True):
        kubectl = User("kubectl, CI,\ndashboards")
        kubelets = Kubelet("kubelets\n(every node)")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver\nauthn, authz, admission")
        etcd = ETCD("etcd")
        scheduler = Sched("kube-scheduler")
        controllers = CM("kube-controller-\nmanager")
        cloud = CCM("cloud-controller-\nmanager")

    provider = Internet("cloud provider API")

    [kubectl, kubelets] >> edge("REST over HTTPS") >> apiserver
    apiserver >> edge("the only client of etcd") >> etcd
    for component, verb in ((scheduler, "watch Pods with no node,\nwrite bindings"),
                            (controllers, "watch Deployments, Jobs, Nodes...,\nwrite the changes they need"),
                            (cloud, "watch Nodes and Services,\nwrite addresses, status")):
        apiserver << edge(verb, dashed=True) << component
    cloud >> edge("load balancers,\nroutes, node info", muted=True) >> provider
