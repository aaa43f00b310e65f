"""Managed Kubernetes: the provider runs the control plane, nodes depend on the mode, apps are yours."""

from diagrams.k8s.compute import Deploy, Pod
from diagrams.k8s.controlplane import APIServer, ControllerManager, Scheduler
from diagrams.k8s.infra import ETCD, Node
from diagrams.k8s.rbac import RB

from kn_style import cluster, diagram, edge

with diagram(direction="TB"):
    with cluster("provider runs: control plane", "blue"):
        api = APIServer("kube-apiserver\n(HA, upgraded)")
        store = ETCD("etcd\n(backed up)")
        scheduler = Scheduler("scheduler")
        controllers = ControllerManager("controllers")

    with cluster("nodes: yours (standard) or\nprovider's (Autopilot, Auto Mode)", "yellow"):
        nodes = [Node("node pool A"), Node("node pool B")]

    with cluster("always yours", "green"):
        workload = Deploy("workloads\nand manifests")
        pod = Pod("requests, probes,\nPDBs")
        access = RB("RBAC, namespaces,\nnetwork policies")

    api >> edge("persists") >> store
    scheduler >> edge("watch", dashed=True) >> api
    controllers >> edge("watch", dashed=True) >> api
    api >> edge("Pods assigned to") >> nodes[0]
    api >> edge("") >> nodes[1]
    workload >> edge("kubectl apply") >> api
    workload >> edge("creates") >> pod
    access >> edge("applied to", dashed=True) >> workload
