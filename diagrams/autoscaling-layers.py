"""Three autoscalers, three knobs: HPA sets replicas, VPA sets requests, a node autoscaler adds nodes."""

from diagrams.k8s.clusterconfig import HPA
from diagrams.k8s.compute import Deploy, Pod
from diagrams.k8s.controlplane import ControllerManager, Kubelet
from diagrams.k8s.infra import Node
from diagrams.k8s.others import CRD

from kn_style import cluster, diagram, edge

with diagram(direction="TB"):
    with cluster("metrics pipeline", "purple"):
        kubelet = Kubelet("kubelet\n(per node)")
        metrics = ControllerManager("metrics-server\nmetrics.k8s.io")

    with cluster("Pod autoscalers", "blue"):
        hpa = HPA("HPA\n(built in)")
        vpa = CRD("VPA\n(add-on)")

    with cluster("your workload", "green"):
        deployment = Deploy("Deployment")
        pods = [Pod("Pod"), Pod("Pod"), Pod("Pod (Pending)")]

    with cluster("node autoscaler", "yellow"):
        node_scaler = ControllerManager("Cluster Autoscaler\nor Karpenter")
        new_node = Node("new node")

    kubelet >> edge("CPU, memory\nevery 15 s") >> metrics
    metrics >> edge("usage") >> hpa
    metrics >> edge("usage history") >> vpa
    hpa >> edge("spec.replicas") >> deployment
    vpa >> edge("Pod requests", dashed=True) >> pods[1]
    for pod in pods:
        deployment >> pod
    pods[2] >> edge("unschedulable", dashed=True) >> node_scaler
    node_scaler >> edge(constraint="false", xlabel="adds") >> new_node
