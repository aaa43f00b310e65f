"""NetworkPolicies drawn from their YAML: which Pods may reach which, on which ports, and what is denied.

Assertions are on the graph the drawer receives (YAML in, nodes and edges out) and on the alt text built
from it, plus one real Graphviz render for how denied traffic looks.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kubenotes.cache import CacheStore
from kubenotes.diagrams import manifest_figure as figures
from kubenotes.diagrams.manifest_graph import ManifestGraph, build_graph, load_objects
from kubenotes.diagrams.policy_graph import policy_types, selector_text
from kubenotes.diagrams.render import render_jobs
from kubenotes.diagrams.theme import MUTED_TEXT
from kubenotes.project import Project

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project.from_settings(ROOT)
SVG = "{http://www.w3.org/2000/svg}"


def graph_of(tmp_path: Path, manifest: str) -> ManifestGraph:
    path = tmp_path / "policy.yaml"
    path.write_text(textwrap.dedent(manifest))
    return build_graph(load_objects(path))


def labelled_edges(graph: ManifestGraph) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.label) for e in graph.edges}


def policy(spec: str, name: str = "p", namespace: str = "shop") -> str:
    """One NetworkPolicy document with ``spec`` (YAML, indented two spaces under ``spec:``)."""
    return (
        f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        f"metadata: {{name: {name}, namespace: {namespace}}}\nspec:\n"
        + textwrap.indent(textwrap.dedent(spec), "  ")
    )


# --- the page's snippets ------------------------------------------------------------------------------------


def test_the_api_policy_draws_who_may_reach_the_api_pods_and_where_they_may_go() -> None:
    graph = figures.load_graph(PROJECT, "networking/network-policy-api.yaml")
    api, web, db = "Pods/shop/app=api", "Pods/shop/app=web", "Pods/shop/app=db"
    prometheus, dns = "Pods/monitoring/app=prometheus", "Pods/kube-system/k8s-app=kube-dns"
    assert labelled_edges(graph) == {
        ("NetworkPolicy/shop/api", api, ""),
        (web, api, "TCP 8080"),  # ingress: drawn towards the api Pods
        (prometheus, api, "TCP 9090"),  # namespaceSelector AND podSelector in one entry: one node
        (api, db, "TCP 5432"),  # egress: drawn away from them
        (api, dns, "TCP 53, UDP 53"),  # two ports of one rule on one edge
        ("Denied/ingress", api, "denied"),
        (api, "Denied/egress", "denied"),
    }
    assert graph.nodes[api].name == "app=api in namespace shop"
    assert graph.nodes[prometheus].name == "app=prometheus in namespace monitoring"
    assert graph.nodes["Denied/ingress"].kind == "Other sources"  # something is allowed in
    assert graph.nodes["NetworkPolicy/shop/api"].detail == "Ingress, Egress"
    assert not any(n.generated or n.external for n in graph.nodes.values())


def test_the_api_policy_alt_text_says_each_path_with_its_port() -> None:
    snippet = "networking/network-policy-api.yaml"
    alt = figures.alt_text(snippet, figures.load_graph(PROJECT, snippet))
    assert alt.startswith(
        f"Objects in {snippet} and how they connect: "
        "NetworkPolicy api applies to Pods app=api in namespace shop; "
    )
    for sentence in (
        "Pods app=web in namespace shop may connect on TCP 8080 to Pods app=api in namespace shop",
        "Pods app=prometheus in namespace monitoring may connect on TCP 9090 to Pods app=api in namespace "
        "shop",
        "Pods app=api in namespace shop may connect on TCP 53, UDP 53 to Pods k8s-app=kube-dns in namespace "
        "kube-system",
        "Other sources in or outside the cluster may not connect to Pods app=api in namespace shop",
        "Pods app=api in namespace shop may not connect to Other destinations in or outside the cluster.",
    ):
        assert sentence in alt


def test_default_deny_shows_that_nothing_may_pass() -> None:
    snippet = "networking/network-policy-default-deny.yaml"
    graph = figures.load_graph(PROJECT, snippet)
    assert labelled_edges(graph) == {
        ("NetworkPolicy/shop/default-deny-ingress", "Pods/shop/*", ""),
        ("Denied/ingress", "Pods/shop/*", "denied"),
    }
    assert graph.nodes["Denied/ingress"].kind == "All sources"  # nothing is allowed, so not "other"
    assert figures.alt_text(snippet, graph) == (
        f"Objects in {snippet} and how they connect: NetworkPolicy default-deny-ingress applies to Pods in "
        "namespace shop; All sources in or outside the cluster may not connect to Pods in namespace shop."
    )


def test_an_ip_block_with_exceptions_is_one_node_named_by_both() -> None:
    graph = figures.load_graph(PROJECT, "networking/network-policy-egress-external.yaml")
    block = "IPBlock/203.0.113.0/24 except 203.0.113.128/25"
    assert ("Pods/shop/app=payments", block, "TCP 443") in labelled_edges(graph)
    assert graph.nodes[block].kind == "IP block"
    assert not any(e.target == "Denied/ingress" for e in graph.edges)  # Egress only: ingress stays open


# --- which directions a policy isolates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, ["Ingress"]),  # every policy governs ingress
        ({"egress": [{}]}, ["Ingress", "Egress"]),  # egress rules imply Egress
        ({"egress": []}, ["Ingress"]),  # an empty egress list does not
        ({"policyTypes": ["Egress"], "ingress": [{}]}, ["Egress"]),  # given types win; ingress rules ignored
        ({"policyTypes": ["Egress", "Ingress"]}, ["Ingress", "Egress"]),
    ],
)
def test_policy_types_default_like_the_api_server(spec: dict, expected: list[str]) -> None:
    assert policy_types(spec) == expected


def test_ingress_rules_of_an_egress_only_policy_draw_nothing(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        policy("""
        podSelector: {matchLabels: {app: api}}
        policyTypes: [Egress]
        ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
    """),
    )
    assert labelled_edges(graph) == {
        ("NetworkPolicy/shop/p", "Pods/shop/app=api", ""),
        ("Pods/shop/app=api", "Denied/egress", "denied"),
    }
    assert graph.nodes["Denied/egress"].kind == "All destinations"


# --- peers and ports ----------------------------------------------------------------------------------------


def test_each_kind_of_peer_becomes_its_own_node(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        policy("""
        podSelector: {matchLabels: {app: api}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}
              - namespaceSelector: {matchLabels: {team: data}}
                podSelector: {matchLabels: {role: etl}}
              - namespaceSelector: {}
                podSelector: {matchLabels: {app: probe}}
              - ipBlock: {cidr: 10.0.0.0/8}
          - ports: [{port: 80}]
    """),
    )
    names = {graph.nodes[s].name for s, t, label in labelled_edges(graph) if t == "Pods/shop/app=api"}
    assert names == {
        "p",
        "in namespace ops",
        "role=etl in namespaces with team=data",
        "app=probe in every namespace",
        "10.0.0.0/8",
        "in or outside the cluster",
    }
    sources = {graph.nodes[s].kind for s, t, _ in labelled_edges(graph) if t == "Pods/shop/app=api"}
    assert sources == {"NetworkPolicy", "Pods", "IP block", "Any source", "Other sources"}
    assert ("Anywhere/ingress", "Pods/shop/app=api", "TCP 80") in labelled_edges(graph)  # no from: anyone
    assert ("Pods/ops/*", "Pods/shop/app=api", "any port") in labelled_edges(graph)  # no ports: every port


def test_a_peer_in_the_namespace_named_by_its_label_is_the_same_node_as_a_local_pod_selector(
    tmp_path: Path,
) -> None:
    graph = graph_of(
        tmp_path,
        policy("""
        podSelector: {}
        ingress:
          - from: [{podSelector: {matchLabels: {app: web}}}]
            ports: [{port: 80}]
          - from:
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
                podSelector: {matchLabels: {app: web}}
            ports: [{port: 443}]
    """),
    )
    assert ("Pods/shop/app=web", "Pods/shop/*", "TCP 80, TCP 443") in labelled_edges(graph)


@pytest.mark.parametrize(
    ("ports", "label"),
    [
        ("[{port: 8080}]", "TCP 8080"),  # TCP is the default protocol
        ("[{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]", "TCP 53, UDP 53"),
        ("[{port: 9000}, {port: 80}, {port: http}]", "TCP 80, TCP 9000, TCP http"),  # numbers, then names
        ("[{port: 32000, endPort: 32768}]", "TCP 32000-32768"),
        ("[{protocol: SCTP}]", "SCTP any port"),  # a protocol without a port: all its ports
        ("[]", "any port"),
    ],
)
def test_port_labels(tmp_path: Path, ports: str, label: str) -> None:
    graph = graph_of(
        tmp_path,
        policy(f"""
        podSelector: {{}}
        ingress: [{{from: [{{podSelector: {{}}}}], ports: {ports}}}]
    """),
    )
    assert ("Pods/shop/*", "Pods/shop/*", label) in labelled_edges(graph)  # same namespace may talk to itself


def test_policies_add_up_into_one_edge_per_path(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        policy(
            """
        podSelector: {matchLabels: {app: api}}
        ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]
    """,
            name="one",
        )
        + "---\n"
        + policy(
            """
        podSelector: {matchLabels: {app: api}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: web}}}]
            ports: [{port: 8443}]
          - from: [{podSelector: {matchLabels: {app: admin}}}]
    """,
            name="two",
        )
        + "---\n"
        + policy(
            """
        podSelector: {matchLabels: {app: api}}
        ingress: [{from: [{podSelector: {matchLabels: {app: admin}}}], ports: [{port: 22}]}]
    """,
            name="three",
        ),
    )
    edges = labelled_edges(graph)
    assert ("Pods/shop/app=web", "Pods/shop/app=api", "TCP 8080, TCP 8443") in edges
    assert ("Pods/shop/app=admin", "Pods/shop/app=api", "any port") in edges  # any port absorbs port 22
    into_api = [e for e in graph.edges if e.target == "Pods/shop/app=api"]
    assert len(into_api) == 6  # three policies applying, two peers, one denied edge
    assert [e.source for e in into_api if e.label == "denied"] == ["Denied/ingress"]


def test_selectors_read_like_kubectl_and_policies_in_default_say_so(tmp_path: Path) -> None:
    assert selector_text(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "env", "operator": "NotIn", "values": ["dev"]},
                {"key": "canary", "operator": "Exists"},
                {"key": "legacy", "operator": "DoesNotExist"},
            ],
        }
    ) == ("app=web, tier in (a, b), env notin (dev), canary, !legacy")
    assert selector_text({}) == ""
    graph = graph_of(
        tmp_path,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: p}\nspec: {podSelector: {}}\n",
    )
    assert graph.nodes["Pods/default/*"].name == "in namespace default"
    assert ("NetworkPolicy/p", "Pods/default/*") in graph.edge_pairs()


def test_a_policy_beside_workloads_leaves_their_drawing_alone(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          replicas: 1
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: "nginx:1.27"}]}
        ---
    """)
        + policy("podSelector: {matchLabels: {app: api}}\n"),
    )
    assert ("Deployment/shop/api", "ReplicaSet/shop/api-<hash>") in graph.edge_pairs()
    assert ("NetworkPolicy/shop/p", "Pods/shop/app=api") in graph.edge_pairs()


@pytest.mark.parametrize(
    "spec",
    [
        "podSelector: [a, b]\ningress: oops\n",
        "podSelector: {}\n"
        "ingress: [oops, {from: [x, {ipBlock: [1]}]}, {ports: [7, {port: 1, endPort: null}]}]",
        "podSelector: {matchExpressions: [oops, {key: k}]}\npolicyTypes: Ingress\negress: {}\n",
    ],
)
def test_malformed_policies_draw_what_they_can_without_a_traceback(tmp_path: Path, spec: str) -> None:
    graph = graph_of(tmp_path, policy(spec))  # the schema validator reports these; drawing must not crash
    assert "NetworkPolicy/shop/p" in graph.nodes
    assert ManifestGraph.from_json(graph.to_json()).edges == graph.edges


# --- drawn with real Graphviz -------------------------------------------------------------------------------


def test_denied_traffic_is_drawn_dashed_and_muted_and_allowed_traffic_solid(tmp_path: Path) -> None:
    snippet = "networking/network-policy-api.yaml"
    job = figures.manifest_job(PROJECT, snippet, figures.load_graph(PROJECT, snippet))
    report = render_jobs([job], CacheStore(tmp_path / "cache"), workers=1)
    assert not report.errors, report.errors
    svg = ET.fromstring(report.images[job.name])
    edges = {
        " ".join(t.text or "" for t in g.iter(f"{SVG}text")): g.find(f"{SVG}path")
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "edge"
    }
    assert set(edges) >= {"TCP 8080", "TCP 9090", "TCP 5432", "TCP 53, UDP 53", "denied"}
    denied = [path for label, path in edges.items() if label == "denied"]
    assert denied and all(p.get("stroke-dasharray") and p.get("stroke") == MUTED_TEXT for p in denied)
    assert not edges["TCP 8080"].get("stroke-dasharray")
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "Other sources" in texts and "app=prometheus in" in texts
