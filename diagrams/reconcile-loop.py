"""The reconcile loop every controller runs: observe, diff, act, then wait for the next change.

Drawn for the ReplicaSet controller; the Deployment, Job and Node controllers run the same loop.
Graphviz's circo layout puts a cycle on a circle, which is what a loop should look like.
"""

from diagrams.k8s.controlplane import API, Kubelet

from kn_style import diagram, edge, text_box

with diagram(layout="circo", curvestyle="curved", mindist="0.8"):
    apiserver = API("kube-apiserver\ndesired: spec\n(3 replicas)\nactual: status")
    observe = text_box("1  observe\nthe ReplicaSet\ncontroller's watch\nfills a local cache", "yellow")
    diff = text_box("2  diff\nwants 3 Pods,\nsees 2", "purple")
    act = text_box("3  act\ncreate 1 Pod\nthrough the API", "green")
    kubelet = Kubelet("kubelet\nreports what\nreally runs")

    apiserver >> edge("watch events") >> observe
    observe >> edge("compare") >> diff
    diff >> edge("they differ") >> act
    act >> edge("write") >> apiserver
    diff >> edge("they match:\nwait for the\nnext event", dashed=True) >> observe
    kubelet >> edge("Pod\nstatus", dashed=True) >> apiserver
