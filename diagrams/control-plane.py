"""Inside the control plane: kube-apiserver at the centre, the only component that talks to etcd.

The scheduler and the controllers never call each other: each watches the API server for the
objects it cares about and writes its decisions back through it.
"""

from diagrams.k8s.controlplane import API, CCM, CM, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User
from diagrams.onprem.network import Internet

from kn_style import cluster, diagram, edge

with diagram(direction="LR", ranksep="1.1", nodesep="0.5"):
    with cluster("Clients", "yellow", dashed=True):
        kubectl = User("kubectl, CI,\ndashboards")
        kubelets = Kubelet("kubelets\n(every node)")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver\nauthn, authz,\nadmission, validation")
        etcd = ETCD("etcd\nkey-value store")
        scheduler = Sched("kube-scheduler\npicks a node for\neach new Pod")
        controllers = CM("kube-controller-\nmanager\nDeployment, ReplicaSet,\nNode, Job ... loops")
        cloud = CCM("cloud-controller-\nmanager\nnodes, routes,\nload balancers")

    provider = Internet("cloud provider API")

    [kubectl, kubelets] >> edge("REST over HTTPS") >> apiserver
    apiserver >> edge("only client\nof etcd") >> etcd
    for component, verb in ((scheduler, "watch Pods,\nwrite bindings"),
                            (controllers, "watch objects,\nwrite changes"),
                            (cloud, "watch Nodes,\nServices")):
        apiserver << edge(verb, dashed=True) << component
    cloud >> edge("cloud calls", muted=True) >> provider
