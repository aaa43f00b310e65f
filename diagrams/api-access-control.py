"""Every API request passes authentication, authorization (RBAC) and admission before it reaches etcd."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer
from diagrams.k8s.infra import ETCD
from diagrams.k8s.rbac import RB, SA, Role, User

from kn_style import cluster, diagram, edge

with diagram(direction="TB"):
    with cluster("callers", "green"):
        person = User("person (kubectl)\ncert or OIDC token")
        workload = Pod("Pod\nbound SA token")

    with cluster("kube-apiserver", "blue"):
        authn = APIServer("1. authentication\nwho are you?")
        authz = APIServer("2. authorization\nmay you do this?")
        admission = APIServer("3. admission\nmutate, validate")

    with cluster("RBAC objects", "purple"):
        binding = RB("RoleBinding")
        role = Role("Role\nverbs on resources")
        account = SA("ServiceAccount")

    store = ETCD("etcd")

    person >> edge("request") >> authn
    workload >> edge("request") >> authn
    authn >> edge("user, groups") >> authz
    authz >> edge("allowed") >> admission
    admission >> edge("persist") >> store
    authz >> edge("looks up", dashed=True) >> binding
    binding >> edge("roleRef") >> role
    binding >> edge("subject") >> account
