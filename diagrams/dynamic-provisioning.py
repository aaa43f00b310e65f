"""Dynamic provisioning: claim -> StorageClass -> CSI driver -> disk and PV, bound to the claim."""

from diagrams.k8s.compute import Deploy, Pod
from diagrams.k8s.storage import PV, PVC, SC, Vol

from kn_style import cluster, diagram, edge, step

with diagram(direction="TB"):
    with cluster("your namespace", "green"):
        pod = Pod("Pod")
        claim = PVC("claim uploads\n20Gi, RWOP")

    with cluster("cluster-wide objects", "blue"):
        storage_class = SC("StorageClass\nfast-ssd")
        volume = PV("PersistentVolume\npvc-3f9c…")

    with cluster("storage provider", "yellow"):
        driver = Deploy("CSI driver\ncontroller")
        disk = Vol("new disk")

    pod >> edge(constraint="false", xlabel="mounts") >> claim
    claim >> step(1, "names class") >> storage_class
    storage_class >> step(2, "provisioner") >> driver
    driver >> step(3, "creates", constraint="false") >> disk
    driver >> step(4, "registers", constraint="false") >> volume
    claim - edge("5. bound 1:1", dashed=True) - volume
