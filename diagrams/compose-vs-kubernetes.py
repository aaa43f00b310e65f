"""Docker Compose drives one Docker host; Kubernetes spreads the same app over many nodes."""

from diagrams import Edge
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer
from diagrams.k8s.network import Service
from diagrams.onprem.container import Docker
from diagrams.programming.flowchart import Document

from kn_style import cluster, diagram, edge

with diagram(direction="TB", nodesep="0.3"):
    with cluster("Docker Compose: one host", "yellow"):
        compose_file = Document("compose.yaml")
        engine = Docker("Docker Engine")
        compose_file >> edge("docker compose up") >> engine
        # The containers stand one above the other, so the two sides fit the page side by side.
        web, redis = Docker("web container"), Docker("redis container")
        engine >> web
        engine >> redis
        web >> Edge(style="invis") >> redis

    with cluster("Kubernetes: a cluster of nodes", "blue"):
        manifests = Document("manifests")
        api = APIServer("control plane")
        manifests >> edge("kubectl apply") >> api
        pods = []
        for number in (1, 2, 3):
            with cluster(f"node {number}", "green"):
                pods.append(Pod(f"web Pod {number}", width="1.1"))  # a narrower icon; the label fits
        for pod in pods:
            api >> edge("schedules" if pod is pods[1] else "", dashed=True) >> pod
        # Drawn below the nodes, joined without arrowheads: traffic flows both ways through it.
        pods - edge(muted=True) - Service("Service web\nspreads traffic")
