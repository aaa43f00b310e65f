"""NetworkPolicies as a graph: which Pods may reach which, on which ports, and what is denied.

Read the way a network plugin reads them: a policy isolates the Pods its ``podSelector`` picks for each
of its ``policyTypes`` (``Ingress`` always when the field is left out, ``Egress`` too when it has egress
rules); once isolated, only traffic some rule allows passes. Each peer of a rule is one node (Pods picked
by labels, in the policy's namespace or in namespaces picked by labels, an ``ipBlock``, or anywhere when
the rule names no peer), each allowed path one edge in the direction the connection is opened, labelled
with its ports. Policies add up, so the same path in two rules or two policies is one edge with the
ports of both. Every isolated direction gets a "denied" edge from (or to) one node standing for all
other traffic, so a picture of a default-deny policy shows that nothing else passes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from kubenotes.diagrams.manifest_graph import DEFAULT_NAMESPACE, GraphNode, ManifestGraph, node_id

APPLIES = "applies to"
DENIED = "may not connect to"
ANY_PORT = "any port"
DENIED_LABEL = "denied"
METADATA_NAME = "kubernetes.io/metadata.name"  # the label every namespace carries with its own name
EVERYWHERE = "in or outside the cluster"
ANY_SOURCE = GraphNode("Anywhere/ingress", "Any source", EVERYWHERE)
ANY_DESTINATION = GraphNode("Anywhere/egress", "Any destination", EVERYWHERE)
# Per direction a policy governs: its name in policyTypes, the rule list, the peer list, the node for
# a rule with no peers, and the node for denied traffic: "other" once something is allowed, else "every".
DIRECTIONS = (
    ("Ingress", "ingress", "from", ANY_SOURCE, ("Other sources", "All sources")),
    ("Egress", "egress", "to", ANY_DESTINATION, ("Other destinations", "All destinations")),
)
# kind -> (module under diagrams.k8s, class) for the drawer: Pods, and network endpoints for the rest
# (not the lock icon, which readers would take for the policy itself)
ICONS = {
    "Pods": ("compute", "Pod"),
    "IP block": ("network", "Ep"),
    "Any source": ("network", "Ep"),
    "Any destination": ("network", "Ep"),
    **{kind: ("network", "Ep") for *_, kinds in DIRECTIONS for kind in kinds},
}


def allowed(ports: str) -> str:
    """The relation of an allowed path, worded so the alt text reads as a sentence."""
    return f"may connect on {ports} to"


def add_network_policies(graph: ManifestGraph, policies: list[dict[str, Any]]) -> None:
    """Add the Pods, peers and allowed or denied paths of ``policies`` (NetworkPolicy objects) to ``graph``.

    The policy nodes themselves are already in ``graph`` (every object in a file is); they gain their
    policy types as detail and an ``applies to`` edge to the Pods they select.
    """
    paths: dict[tuple[str, str], set[str]] = defaultdict(set)  # (source, target) -> port labels
    isolated: dict[str, list[str]] = {kind: [] for kind, *_ in DIRECTIONS}  # direction -> Pods nodes
    opened: dict[str, set[str]] = {kind: set() for kind, *_ in DIRECTIONS}  # ... that a rule lets through
    for policy in policies:
        namespace = str(_dict(policy.get("metadata")).get("namespace") or DEFAULT_NAMESPACE)
        spec = _dict(policy.get("spec"))
        policy_id = node_id("NetworkPolicy", str(policy["metadata"]["name"]), namespace)
        types = policy_types(spec)
        if policy_id in graph.nodes:
            graph.nodes[policy_id] = replace(graph.nodes[policy_id], detail=", ".join(types))
        selected = graph.add_node(
            pods_node(_dict(spec.get("podSelector")), namespace_phrase(namespace), namespace)
        )
        graph.add_edge(policy_id, selected, APPLIES)
        for kind, rules_key, peers_key, anywhere, _ in DIRECTIONS:
            if kind in types:
                isolated[kind].append(selected)
                for rule in _list(spec.get(rules_key)):
                    opened[kind].add(selected)
                    for peer, ports in rule_peers(_dict(rule), peers_key, namespace, anywhere):
                        graph.add_node(peer)
                        paths[(peer.id, selected) if kind == "Ingress" else (selected, peer.id)] |= ports
    for (source, target), ports in paths.items():
        label = ANY_PORT if ANY_PORT in ports else ", ".join(sorted(ports, key=_port_order))
        graph.add_edge(source, target, allowed(label), label)
    for kind, *_, (other, every) in DIRECTIONS:
        if isolated[kind]:
            denied = graph.add_node(
                GraphNode(f"Denied/{kind.lower()}", other if opened[kind] else every, EVERYWHERE)
            )
            for selected in isolated[kind]:
                source, target = (denied, selected) if kind == "Ingress" else (selected, denied)
                graph.add_edge(source, target, DENIED, DENIED_LABEL)


def rule_peers(
    rule: dict[str, Any], peers_key: str, namespace: str, anywhere: GraphNode
) -> list[tuple[GraphNode, set[str]]]:
    """Each peer of one rule with the rule's port labels; a rule naming no peer allows ``anywhere``."""
    ports = port_labels(_list(rule.get("ports")))
    peers = [peer_node(_dict(peer), namespace) for peer in _list(rule.get(peers_key))]
    return [(peer, ports) for peer in peers or [anywhere]]


def policy_types(spec: dict[str, Any]) -> list[str]:
    """``spec.policyTypes``, or the API server's default: Ingress, plus Egress when egress rules exist."""
    given = [str(kind) for kind in _list(spec.get("policyTypes"))]
    if given:
        return [kind for kind, *_ in DIRECTIONS if kind in given]
    return ["Ingress", "Egress"] if _list(spec.get("egress")) else ["Ingress"]


def pods_node(pod_selector: dict[str, Any], where: str, key: str) -> GraphNode:
    """The Pods a selector picks ``where`` (a phrase such as ``in namespace shop``); ``key`` keeps
    groups in different namespaces apart."""
    labels = selector_text(pod_selector)
    name = f"{labels} {where}" if labels else where
    return GraphNode(f"Pods/{key}/{labels or '*'}", "Pods", name)


def peer_node(peer: dict[str, Any], namespace: str) -> GraphNode:
    """The node of one ``from``/``to`` entry of a rule in a policy living in ``namespace``."""
    block = _dict(peer.get("ipBlock"))
    if block:
        excepted = [str(cidr) for cidr in _list(block.get("except"))]
        name = str(block.get("cidr", "")) + (f" except {', '.join(excepted)}" if excepted else "")
        return GraphNode(f"IPBlock/{name}", "IP block", name)
    pod_selector = _dict(peer.get("podSelector"))
    if "namespaceSelector" not in peer:  # podSelector alone: Pods in the policy's own namespace
        return pods_node(pod_selector, namespace_phrase(namespace), namespace)
    namespace_selector = _dict(peer.get("namespaceSelector"))
    own_name = _single_name(namespace_selector)
    if own_name is not None:
        return pods_node(pod_selector, namespace_phrase(own_name), own_name)
    labels = selector_text(namespace_selector)
    where = f"in namespaces with {labels}" if labels else "in every namespace"
    return pods_node(pod_selector, where, f"namespaces:{labels or '*'}")


def namespace_phrase(namespace: str) -> str:
    return f"in namespace {namespace}"


def selector_text(selector: dict[str, Any]) -> str:
    """A label selector as kubectl writes one (``app=web, tier in (a, b), !legacy``); "" matches all."""
    terms = [f"{key}={value}" for key, value in _dict(selector.get("matchLabels")).items()]
    for expression in _list(selector.get("matchExpressions")):
        expression = _dict(expression)
        key, operator = str(expression.get("key", "")), str(expression.get("operator", ""))
        values = ", ".join(str(value) for value in _list(expression.get("values")))
        terms.append(
            {
                "In": f"{key} in ({values})",
                "NotIn": f"{key} notin ({values})",
                "Exists": key,
                "DoesNotExist": f"!{key}",
            }.get(operator, f"{key} {operator}")
        )
    return ", ".join(terms)


def port_labels(ports: list[Any]) -> set[str]:
    """``{"TCP 8080", "UDP 53"}`` for a rule's ports; ``{"any port"}`` when the rule names none."""
    if not ports:
        return {ANY_PORT}
    labels = set()
    for port in ports:
        port = _dict(port)
        protocol = str(port.get("protocol") or "TCP")
        if "port" not in port:
            labels.add(f"{protocol} any port")
        elif port.get("endPort") is not None:
            labels.add(f"{protocol} {port['port']}-{port['endPort']}")
        else:
            labels.add(f"{protocol} {port['port']}")
    return labels


def _single_name(namespace_selector: dict[str, Any]) -> str | None:
    """The namespace's name when the selector picks exactly one namespace by its name label."""
    match_labels = _dict(namespace_selector.get("matchLabels"))
    if list(match_labels) == [METADATA_NAME] and not namespace_selector.get("matchExpressions"):
        return str(match_labels[METADATA_NAME])
    return None


def _port_order(label: str) -> tuple[str, int, str]:
    """Protocols alphabetically, then ports by number (named ports last)."""
    protocol, _, port = label.partition(" ")
    number = port.split("-")[0]
    return protocol, int(number) if number.isdigit() else 1 << 16, port


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
