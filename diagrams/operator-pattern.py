"""The operator pattern: a CRD adds a kind; a controller reconciles it into built-in objects."""

from diagrams.k8s.compute import Cronjob, Deploy, Pod
from diagrams.k8s.controlplane import APIServer
from diagrams.k8s.infra import ETCD
from diagrams.k8s.others import CRD
from diagrams.onprem.client import User

from kn_style import cluster, diagram, edge, step

with diagram(direction="TB"):
    you = User("you")

    with cluster("control plane", "blue"):
        api = APIServer("kube-apiserver")
        store = ETCD("etcd")

    with cluster("new API", "purple"):
        definition = CRD("CRD\nbackupschedules")
        resource = CRD("BackupSchedule\norders-db-nightly")

    with cluster("operator (runs as a Deployment)", "green"):
        controller = Deploy("backup\ncontroller")

    with cluster("objects it manages", "yellow"):
        cronjob = Cronjob("CronJob\norders-db-backup")
        job_pod = Pod("backup Pod\n02:30 nightly")

    you >> step(1, "apply CRD,\nthen resource") >> api
    api >> edge("persist") >> store
    api >> edge("serves", dashed=True) >> definition
    definition >> edge(constraint="false", xlabel="defines\nkind") >> resource
    controller >> step(2, "watch\nBackupSchedules", style="dashed") >> api
    controller >> step(3, "create /\nupdate") >> cronjob
    cronjob >> edge("runs") >> job_pod
    controller >> step(4, "write\nstatus") >> resource
