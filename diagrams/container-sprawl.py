"""Why an orchestrator: one container on a laptop, three servers run by hand, forty run by a cluster."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer
from diagrams.k8s.infra import Node
from diagrams.onprem.client import User
from diagrams.onprem.compute import Server
from diagrams.onprem.container import Docker

from kn_style import cluster, diagram, edge

with diagram(direction="TB", ranksep="0.5"):
    with cluster("1. a laptop", "green"):
        developer = User("developer")
        laptop_engine = Docker("docker run")
        developer >> edge("one command") >> laptop_engine

    with cluster("2. three servers, by hand", "yellow"):
        operator = User("operator")
        hand_servers = [Server(f"server {n}") for n in (1, 2, 3)]
        for server in hand_servers:
            label = "ssh, docker run" if server is hand_servers[1] else ""
            operator >> edge(label, muted=True) >> server

    with cluster("3. forty servers, with an orchestrator", "blue"):
        team = User("team")
        api = APIServer("control plane")
        team >> edge("desired state") >> api
        fleet = [Node("node 1"), Node("node 2"), Node("… node 40")]
        for node in fleet:
            label = "places, restarts, scales" if node is fleet[1] else ""
            api >> edge(label, dashed=True) >> node
        fleet[0] >> Pod("Pods")

    laptop_engine >> edge("traffic grows", muted=True) >> operator
    hand_servers[1] >> edge("traffic grows again", muted=True) >> team
