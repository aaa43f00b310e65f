"""Preemption: a high-priority Pod that fits nowhere gets a nominated node; the scheduler evicts
lower-priority victims there, they shut down gracefully, and the Pod is bound once room is free."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Scheduler

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", curvestyle="curved", nodesep="0.3", ranksep="0.7"):
    pending = Pod("payments Pod\npriority 100000\nPending")
    scheduler = Scheduler("kube-scheduler")

    with cluster("node-b: nominated node", "yellow"):
        victim_one = Pod("batch Pod\npriority -10\nterminating")
        victim_two = Pod("batch Pod\npriority -10\nterminating")
        kept = Pod("web Pod\npriority 1000\nspared")

    bound = text_box("payments Pod bound\nto node-b once the\nvictims are gone", "green")

    pending >> step(1, "fits on no node") >> scheduler
    scheduler >> step(2, "evict the fewest,\nlowest-priority") >> victim_one
    scheduler >> edge() >> victim_two
    scheduler >> edge("not needed", muted=True, dashed=True) >> kept
    victim_one >> step(3, "grace period\nends") >> bound
    victim_two >> edge() >> bound
