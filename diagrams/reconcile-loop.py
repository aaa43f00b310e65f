"""The reconcile loop every controller runs: observe, diff, act, then wait for the next change.

Drawn for the ReplicaSet controller; the Deployment, Job and Node controllers run the same loop.
Graphviz's circo layout puts a cycle on a circle, which is what a loop should look like.
"""

from diagrams.k8s.controlplane import API, Kubelet

from kn_style import diagram, edge, text_box

with diagram(layout="circo", curvestyle="curved", mindist="1.6"):
    apiserver = API("kube-apiserver\ndesired: spec (3 replicas)\nactual: status")
    observe = text_box("1  observe\nthe ReplicaSet controller's\nwatch fills a local cache", "yellow")
    diff = text_box("2  diff\nwants 3 Pods, sees 2", "purple")
    act = text_box("3  act\ncreate 1 Pod\nthrough the API", "green")
    kubelet = Kubelet("kubelet\nreports what\nreally runs")

    apiserver >> edge("watch events") >> observe
    observe >> edge("compare") >> diff
    diff >> edge("they differ") >> act
    act >> edge("write") >> apiserver
    diff >> edge("they match: wait\nfor the next event", dashed=True) >> observe
    kubelet >> edge("Pod status", dashed=True) >> apiserver
