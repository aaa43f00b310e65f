"""Namespace budgets at admission: LimitRanger fills in missing requests and limits and checks min/max,
then ResourceQuota adds the Pod to the namespace's running total and rejects it if a hard cap would
be passed."""

from diagrams.k8s.clusterconfig import Limits, Quota
from diagrams.k8s.compute import Pod

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", curvestyle="curved", nodesep="0.45", ranksep="0.55"):
    incoming = Pod("new Pod in team-a\nno resources set")
    with cluster("kube-apiserver admission", "blue"):
        limit_ranger = Limits("LimitRanger\nfill in defaults,\ncheck min and max")
        quota = Quota("ResourceQuota\nadd to the total,\ncompare with hard")

    defaults = text_box("LimitRange defaults\nrequest cpu 100m, memory 128Mi\nlimit memory 256Mi", "purple")
    rejected = text_box("403 Forbidden:\nexceeded quota", "yellow")
    stored = text_box("stored: used totals\ngo up in the quota's\nstatus", "green")

    incoming >> step(1, "create") >> limit_ranger
    defaults >> edge("read", dashed=True) >> limit_ranger
    limit_ranger >> step(2, "Pod now has\nrequests, limits") >> quota
    quota >> edge("over a hard\nlimit", muted=True) >> rejected
    quota >> step(3, "fits") >> stored
