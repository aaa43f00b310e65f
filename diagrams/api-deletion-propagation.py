"""Deleting an owner three ways: what the garbage collector does with its dependents.

Each column is the same Deployment -> ReplicaSet -> Pods chain, linked by the dependents'
ownerReferences; the numbers give the order in which objects disappear under each policy.
"""

from diagrams.k8s.compute import RS, Deploy, Pod

from kn_style import cluster, diagram, edge

NARROW = "1.1"  # three columns share the page width; labels keep their size

with diagram(direction="TB", nodesep="0.25", ranksep="0.55"):
    with cluster("background (default)", "blue"):
        owner = Deploy("Deployment\n1. removed\nat once", width=NARROW)
        middle = RS("ReplicaSet\n2. deleted\nby the GC", width=NARROW)
        pods = Pod("Pods\n3. deleted\nby the GC", width=NARROW)
        owner >> edge("owns") >> middle >> edge("owns") >> pods

    with cluster("foreground", "purple"):
        owner = Deploy("Deployment\n3. removed last\n(finalizer\nforegroundDeletion)", width=NARROW)
        middle = RS("ReplicaSet\n2. deleted", width=NARROW)
        pods = Pod("Pods\n1. deleted\nfirst", width=NARROW)
        owner >> edge("owns") >> middle >> edge("owns") >> pods

    with cluster("orphan", "yellow"):
        owner = Deploy("Deployment\n1. removed", width=NARROW)
        middle = RS("ReplicaSet\nkept, owner\nreference gone", width=NARROW)
        pods = Pod("Pods\nkept, still\nrunning", width=NARROW)
        owner >> edge("no longer\nowns", dashed=True, muted=True) >> middle >> edge("owns") >> pods
