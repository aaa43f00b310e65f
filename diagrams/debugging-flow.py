"""Which command to run first for the four most common failures, as a flow.

Questions run down the left; each "yes" leads right, on the same row (minlen=0), to what to look at
and the usual causes. Two narrow columns keep the picture readable on a phone.
"""

from kn_style import diagram, edge, text_box

QUESTION = "yellow"
ANSWER = "blue"

with diagram(direction="TB", splines="spline", nodesep="0.5", ranksep="0.45"):
    start = text_box("kubectl get pods\nWhat does STATUS say?", "green")
    pending = text_box("Pending?", QUESTION)
    pulling = text_box("ImagePullBackOff or\nErrImagePull?", QUESTION)
    crashing = text_box("CrashLoopBackOff?", QUESTION)
    serving = text_box("Running and ready,\nbut the Service\ngets no answer?", QUESTION)

    not_placed = text_box(
        "kubectl describe pod:\nFailedScheduling event\n\n"
        "requests too big, taint,\naffinity, unbound PVC,\nquota",
        ANSWER,
    )
    no_image = text_box(
        "kubectl describe pod:\nFailed event\n\n"
        "wrong name or tag,\nprivate registry without\nimagePullSecrets, rate limit",
        ANSWER,
    )
    dies = text_box(
        "kubectl logs --previous\nkubectl describe pod\n\n"
        "exit code, OOMKilled,\nliveness probe, missing\nconfig or Secret",
        ANSWER,
    )
    no_endpoints = text_box(
        "kubectl get endpointslices\n-l kubernetes.io/service-name=…\n\n"
        "selector vs labels,\ntargetPort, readiness,\nnamespace",
        ANSWER,
    )

    start >> edge() >> pending
    pending >> edge("no") >> pulling >> edge("no") >> crashing >> edge("no") >> serving
    pending >> edge("yes", minlen="0") >> not_placed
    pulling >> edge("yes", minlen="0") >> no_image
    crashing >> edge("yes", minlen="0") >> dies
    serving >> edge("yes", minlen="0") >> no_endpoints
