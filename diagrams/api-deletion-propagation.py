"""Deleting an owner three ways: what the garbage collector does with its dependents.

Each column is the same Deployment -> ReplicaSet -> Pods chain, linked by the dependents'
ownerReferences; the numbers give the order in which objects disappear under each policy.
Labels stay at two short lines so each column box holds its text at the icons' normal size.
"""

from diagrams.k8s.compute import RS, Deploy, Pod

from kn_style import cluster, diagram, edge

with diagram(direction="TB", nodesep="0.5", ranksep="0.6"):
    with cluster("background (default)", "blue"):
        owner = Deploy("Deployment\n1. gone at once")
        middle = RS("ReplicaSet\n2. deleted by GC")
        pods = Pod("Pods\n3. deleted by GC")
        owner >> edge("owns") >> middle >> edge("owns") >> pods

    with cluster("foreground", "purple"):
        owner = Deploy("Deployment\n3. deleted last")
        middle = RS("ReplicaSet\n2. deleted")
        pods = Pod("Pods\n1. deleted first")
        owner >> edge("owns") >> middle >> edge("owns") >> pods

    with cluster("orphan", "yellow"):
        owner = Deploy("Deployment\n1. deleted")
        middle = RS("ReplicaSet\nkept, no owner")
        pods = Pod("Pods\nkept, running")
        owner >> edge("owned", dashed=True, muted=True) >> middle >> edge("owns") >> pods
