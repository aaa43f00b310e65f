"""Preemption: a high-priority Pod that fits nowhere gets a nominated node; the scheduler evicts
lower-priority victims there, they shut down gracefully, and the Pod is bound once room is free."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Scheduler

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", curvestyle="curved", nodesep="0.4", ranksep="0.55"):
    pending = Pod("payments Pod\npriority 100000\nPending: no room")
    scheduler = Scheduler("kube-scheduler")

    with cluster("node-b: nominated node", "yellow"):
        victim_one = Pod("batch Pod\npriority -10\nterminating")
        victim_two = Pod("batch Pod\npriority -10\nterminating")
        kept = Pod("web Pod\npriority 1000\nkeeps running")

    bound = text_box("payments Pod bound\nto node-b once the\nvictims are gone", "green")
    other_nodes = text_box("node-a, node-c:\nno choice of victims\nwould make room", "blue")

    pending >> step(1, "fits nowhere") >> scheduler
    scheduler >> edge("checked", muted=True, dashed=True) >> other_nodes
    scheduler >> step(2, "evict the fewest,\nlowest-priority") >> victim_one
    scheduler >> edge() >> victim_two
    scheduler >> edge("not needed,\nspared", muted=True, dashed=True) >> kept
    victim_one >> step(3, "grace period\nends") >> bound
    victim_two >> edge() >> bound
