"""Inside one Pod: an init container, a native sidecar and the app share volumes and one IP address."""

from diagrams.k8s.storage import Vol
from diagrams.onprem.container import Containerd
from diagrams.onprem.logging import FluentBit
from diagrams.onprem.network import Nginx

from kn_style import cluster, diagram, edge

with diagram(direction="TB", curvestyle="curved"):
    with cluster("Pod web-with-sidecar: one IP address, one localhost, one lifecycle", "blue"):
        with cluster("init container (runs first, once)", "purple"):
            prepare = Containerd("prepare-content")

        with cluster("emptyDir volumes", "yellow"):
            web_root = Vol("web-root")
            logs = Vol("nginx-logs")

        with cluster("app container", "green"):
            web = Nginx("web\n(nginx,\nunprivileged)")

        with cluster("native sidecar (init container,\nrestartPolicy: Always)", "purple"):
            shipper = FluentBit("log-shipper")

    prepare >> edge("writes index.html") >> web_root
    web_root >> edge("serves it") >> web
    logs << edge("writes access.log") << web
    logs >> edge("tail -F") >> shipper
