"""What the cluster does for you: seven capabilities, each driven through the one API."""

from diagrams.k8s.clusterconfig import HPA
from diagrams.k8s.compute import Deploy
from diagrams.k8s.controlplane import APIServer, Kubelet, Scheduler
from diagrams.k8s.network import Service
from diagrams.k8s.podconfig import Secret
from diagrams.k8s.storage import PVC

from kn_style import diagram, edge

with diagram(direction="TB", curvestyle="curved"):
    api = APIServer("Kubernetes API")
    capabilities = [
        Service("discovery and\nload balancing"),
        PVC("storage\norchestration"),
        Deploy("rollouts and\nrollbacks"),
        Scheduler("bin packing"),
        Kubelet("self-healing"),
        Secret("configuration\nand Secrets"),
        HPA("horizontal\nscaling"),
    ]
    # Three above the API and four below keep the picture narrow enough for the page.
    for capability in capabilities[:3]:
        capability << edge(dashed=True) << api
    for capability in capabilities[3:]:
        api >> edge(dashed=True) >> capability
