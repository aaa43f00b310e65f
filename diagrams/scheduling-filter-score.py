"""How kube-scheduler places a Pod: filter out nodes that cannot run it, score the rest, bind to the best."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Scheduler
from diagrams.k8s.infra import Node

from kn_style import cluster, diagram, edge, step

# Five nodes share one row: narrower icons (labels keep their size) keep it within the page.
NARROW = "1.2"

with diagram(direction="TB", nodesep="0.3", curvestyle="curved"):
    pending = Pod("new Pod\n(no node yet)")
    scheduler = Scheduler("kube-scheduler")

    with cluster("1. filter: can it run here?", "yellow"):
        full = Node("node-a\nrequests\ndon't fit", width=NARROW)
        tainted = Node("node-b\nuntolerated\ntaint", width=NARROW)
        wrong_label = Node("node-c\nno\ndisktype=ssd", width=NARROW)

    with cluster("2. score: where is it best?", "green"):
        fit_one = Node("node-d\nscore 72", width=NARROW)
        fit_two = Node("node-e\nscore 91", width=NARROW)

    pending >> step(1, "watch: unscheduled") >> scheduler
    for rejected in (full, tainted, wrong_label):
        scheduler >> edge("✗", muted=True, dashed=True) >> rejected
    scheduler >> edge("fits") >> fit_one
    scheduler >> step(2, "bind:\nnodeName=node-e") >> fit_two
