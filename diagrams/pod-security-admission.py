"""Pod Security Admission: the namespace's labels pick a level per mode; enforce rejects, warn answers
with a warning, audit writes to the audit log. The Pod's securityContext is what gets checked."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer
from diagrams.k8s.group import NS
from diagrams.k8s.rbac import User

from kn_style import cluster, diagram, edge, step, text_box

with diagram(direction="TB", curvestyle="curved", nodesep="0.4", ranksep="0.6"):
    author = User("kubectl apply\nor a controller")
    namespace = NS("namespace labels\nenforce: baseline\nwarn: restricted\naudit: restricted")
    admission = APIServer("PodSecurity\nadmission")

    rejected = text_box("rejected:\n403 Forbidden,\nnothing stored", "yellow")
    with cluster("stored and scheduled", "green"):
        clean = Pod("meets\nrestricted")
        flagged = Pod("meets baseline only:\nstored, plus a Warning\nand an audit note")

    author >> step(1, "create Pod") >> admission
    namespace >> edge("levels per mode", dashed=True) >> admission
    admission >> edge("fails baseline\n(enforce)") >> rejected
    admission >> edge("fails restricted\n(warn, audit)") >> flagged
    admission >> step(2, "passes all") >> clean
