"""Inside the control plane: kube-apiserver at the centre, the only component that talks to etcd.

The scheduler and the controllers never call each other: each watches the API server for the
objects it cares about and writes its decisions back through it.
"""

from diagrams.k8s.controlplane import API, CCM, CM, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User

from kn_style import cluster, diagram, edge

with diagram(direction="LR", ranksep="0.9", nodesep="0.45"):
    with cluster("Clients", "yellow", dashed=True):
        kubectl = User("kubectl, CI")
        kubelets = Kubelet("kubelets")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver\nauthn, authz,\nadmission")
        scheduler = Sched("kube-scheduler\npicks a node\nfor each Pod")
        controllers = CM("kube-controller-\nmanager\nruns the controllers")
        cloud = CCM("cloud-controller-\nmanager\ntalks to the cloud")
        etcd = ETCD("etcd\nstores all state")

    [kubectl, kubelets] >> edge("HTTPS") >> apiserver
    for component in (scheduler, controllers, cloud):
        apiserver << edge("watch, write" if component is controllers else "", dashed=True) << component
    apiserver >> edge("only client") >> etcd
