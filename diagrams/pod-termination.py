"""What happens after `kubectl delete pod`, numbered in order.

Steps 3-5 (the endpoint is withdrawn) and 6-9 (the kubelet stops the containers) start at the same
moment, which is why a short preStop pause protects requests still on their way. A watcher's watch
and its write share one two-way arrow, as in the apply-to-pod picture.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, KProxy, Kubelet
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import User

from kn_style import cluster, diagram, step, text_box

with diagram(direction="TB", splines="spline", ranksep="0.75", nodesep="0.3"):
    user = User("kubectl delete\npod web-0")

    with cluster("Control plane", "blue"):
        apiserver = API("kube-apiserver")
        etcd = ETCD("etcd")
        slices = CM("EndpointSlice\ncontroller")

    proxy = KProxy("kube-proxy\n(every node)")

    with cluster("The Pod's node", "green"):
        kubelet = Kubelet("kubelet")
        with cluster("Pod web-0: Terminating", "purple"):
            hook = text_box("preStop hook\nsleep 5 s", "purple")
            app = Pod("app container")

    user >> step(1, "DELETE") >> apiserver
    apiserver >> step(2, "deletion-\nTimestamp,\ngrace 30 s") >> etcd
    apiserver >> step(3, "Pod\nterminating\n4. endpoint\nnot ready,\nterminating") << slices
    apiserver >> step(5, "new slice:\nstop sending\nnew traffic") >> proxy
    apiserver >> step(6, "Pod being\ndeleted\n10. remove\nthe object", minlen="2") << kubelet
    kubelet >> step(7, "run\npreStop") >> hook
    hook >> step(8, "then\nSIGTERM") >> app
    kubelet >> step(9, "SIGKILL if\nstill running\nafter 30 s") >> app
