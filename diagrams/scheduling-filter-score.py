"""How kube-scheduler places a Pod: filter out nodes that cannot run it, score the rest, bind to the best."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Scheduler
from diagrams.k8s.infra import Node

from kn_style import cluster, diagram, edge, step

with diagram(direction="TB"):
    pending = Pod("new Pod\n(no node yet)")
    scheduler = Scheduler("kube-scheduler")

    with cluster("1. filter: can it run here?", "yellow"):
        full = Node("node-a\nrequests don't fit")
        tainted = Node("node-b\nuntolerated taint")
        wrong_label = Node("node-c\nno disktype=ssd")

    with cluster("2. score: where is it best?", "green"):
        fit_one = Node("node-d\nscore 72")
        fit_two = Node("node-e\nscore 91")

    pending >> step(1, "watch: unscheduled") >> scheduler
    for rejected in (full, tainted, wrong_label):
        scheduler >> edge("✗", muted=True, dashed=True) >> rejected
    scheduler >> edge("fits") >> fit_one
    scheduler >> step(2, "bind: nodeName=node-e") >> fit_two
