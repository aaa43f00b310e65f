"""How kubectl finds its cluster: the current context in the kubeconfig pairs a cluster with a user."""

from diagrams.k8s.controlplane import APIServer
from diagrams.k8s.podconfig import CM
from diagrams.k8s.rbac import User
from diagrams.onprem.client import Client

from kn_style import cluster, diagram, edge, step

with diagram(direction="TB", nodesep="0.75"):
    kubectl = Client("kubectl")

    with cluster("~/.kube/config (or $KUBECONFIG)", "yellow"):
        current = CM("current-context:\nstaging")
        context = CM("context staging\n= cluster + user\n+ namespace")
        credentials = User("user ci-bot\ntoken or exec plugin")

    with cluster("clusters", "blue"):
        local = APIServer("minikube\n127.0.0.1")
        staging = APIServer("staging\napi.staging.example")
        production = APIServer("prod\napi.prod.example")

    kubectl >> step(1, "reads") >> current
    current >> edge("names") >> context
    context >> edge(constraint="false", xlabel="uses") >> credentials
    context >> step(2, "HTTPS + credentials") >> staging
    context >> edge("other contexts", dashed=True, muted=True) >> local
    context >> edge("", dashed=True, muted=True) >> production
