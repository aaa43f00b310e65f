"""Where Kubernetes came from: Google's Borg and Omega, then an open project under the CNCF.

The open-source milestones use the plain Kubernetes logo (mingrammer's K8S icon), not the `Master`
icon, which has the retired word "master" printed on it.
"""

from diagrams import Edge
from diagrams.generic.compute import Rack
from diagrams.k8s import K8S
from diagrams.onprem.vcs import Github

from kn_style import cluster, diagram, edge

with diagram(direction="TB", ranksep="0.5", nodesep="1.2"):
    with cluster("inside Google", "yellow"):
        borg = Rack("Borg\n(mid-2000s)")
        omega = Rack("Omega\n(early 2010s)")
        borg >> edge("lessons") >> omega

    with cluster("in the open", "blue"):
        launch = Github("open-sourced\nJune 2014")
        first = K8S("1.0 and the CNCF\nJuly 2015")
        graduated = K8S("CNCF graduation\nMarch 2018")
        today = K8S("1.35 to 1.37\ntoday")
        launch >> edge() >> first >> edge() >> graduated >> edge() >> today

    # An invisible edge puts the open-source launch level with Omega: the timeline turns a corner
    # there instead of running off the side of the page.
    borg >> Edge(style="invis") >> launch
    omega >> edge(constraint="false", xlabel="ideas,\npeople") >> launch
