"""The objects in a manifest file and how they connect, as a graph the drawer turns into a picture.

Connections are worked out the way Kubernetes works them out: a Service reaches the Pods whose labels
match its selector, a Deployment's ReplicaSet creates ``replicas`` Pods (or the HPA's minimum when the
HPA owns the count), a StatefulSet gives each Pod its own claim from every volume claim template.
Objects a controller would create (ReplicaSets, Pods, claims) are marked ``generated``; objects a
file points at but does not contain are marked ``external``. NetworkPolicies are read by ``policy_graph``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_PODS_DRAWN = 3  # more replicas are summarised in one "+N more" node
DEFAULT_NAMESPACE = "default"


@dataclass(frozen=True)
class GraphNode:
    """One object: its kind, name and a short detail line (type, replica range, size...)."""

    id: str
    kind: str
    name: str
    detail: str = ""
    generated: bool = False  # created by a controller from an object in the file
    external: bool = False  # referenced by the file but not in it


@dataclass(frozen=True)
class GraphEdge:
    """A connection: ``relation`` is the verb a sentence uses, ``label`` what the picture shows."""

    source: str
    target: str
    relation: str
    label: str = ""


@dataclass
class ManifestGraph:
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)

    def add_node(self, node: GraphNode) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def add_edge(self, source: str, target: str, relation: str, label: str = "") -> None:
        if not any(e.source == source and e.target == target for e in self.edges):
            self.edges.append(GraphEdge(source, target, relation, label))

    def edge_pairs(self) -> set[tuple[str, str]]:
        """``(source, target)`` of every edge: what tests and alt text look at."""
        return {(e.source, e.target) for e in self.edges}

    def to_json(self) -> str:
        return json.dumps(
            {"nodes": [asdict(n) for n in self.nodes.values()], "edges": [asdict(e) for e in self.edges]},
            sort_keys=True,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> ManifestGraph:
        data = json.loads(text)
        graph = cls()
        for node in data["nodes"]:
            graph.add_node(GraphNode(**node))
        graph.edges = [GraphEdge(**edge) for edge in data["edges"]]
        return graph


def load_objects(path: Path) -> list[dict[str, Any]]:
    """The Kubernetes objects in a YAML file (every document, and the items of a ``*List``).

    Parsing is the manifests engine's (libyaml, line-accurate errors); raises its YamlSyntaxError, and
    UnicodeDecodeError for a file that is not UTF-8. Imported here so the drawer never loads it.
    """
    from kubenotes.manifests.loader import load_documents

    objects: list[dict[str, Any]] = []
    for document in load_documents(path.read_bytes().decode("utf-8")):
        data = document.data
        if not isinstance(data, dict):
            continue
        items = data.get("items")
        if str(data.get("kind", "")).endswith("List") and isinstance(items, list):
            objects.extend(item for item in items if isinstance(item, dict))
        else:
            objects.append(data)
    return objects


class GraphError(ValueError):
    """A field the drawing needs holds something it cannot read (``replicas: "three"``)."""

    def __init__(self, message: str, object: str, field: str) -> None:
        super().__init__(message)
        self.object = object
        self.field = field


def node_id(kind: str, name: str, namespace: str | None = None) -> str:
    """``Kind/name`` in the default namespace, ``Kind/namespace/name`` elsewhere."""
    if namespace in (None, "", DEFAULT_NAMESPACE):
        return f"{kind}/{name}"
    return f"{kind}/{namespace}/{name}"


@dataclass(frozen=True)
class _Pod:
    id: str
    namespace: str
    labels: dict[str, str]


def build_graph(objects: list[dict[str, Any]]) -> ManifestGraph:
    """Nodes for the objects and what controllers make of them, edges for how they connect."""
    builder = _Builder(objects)
    builder.build()
    return builder.graph


class _Builder:
    def __init__(self, objects: list[dict[str, Any]]) -> None:
        self.objects = [
            o
            for o in objects
            if isinstance(o.get("kind"), str)
            and o["kind"]
            and isinstance(_meta(o).get("name"), str | int)
            and str(_meta(o)["name"])
        ]
        self.graph = ManifestGraph()
        self.pods: list[_Pod] = []

    def build(self) -> None:
        for obj in self.objects:
            self.graph.add_node(GraphNode(_id(obj), obj["kind"], _name(obj), _detail(obj)))
        for obj in self.objects:
            handler = _HANDLERS.get(obj["kind"])
            if handler:
                handler(self, obj)
        for obj in self.objects:  # Services last: they select Pods every workload has added
            if obj["kind"] == "Service":
                self.service(obj)
        policies = [obj for obj in self.objects if obj["kind"] == "NetworkPolicy"]
        if policies:  # imported here: policy_graph builds on this module's node and graph types
            from kubenotes.diagrams.policy_graph import add_network_policies

            add_network_policies(self.graph, policies)

    # --- helpers -------------------------------------------------------------------------------

    def ref(self, kind: str, name: Any, namespace: str, detail: str = "") -> str:
        """The node of a referenced object, added as external when the file does not hold it."""
        wanted = node_id(kind, str(name), namespace)
        if wanted not in self.graph.nodes:
            node = GraphNode(wanted, kind, str(name), detail or "not in this file", external=True)
            self.graph.add_node(node)
        return wanted

    def replicas(self, obj: dict[str, Any]) -> int:
        """``spec.replicas``, else the minimum of an HPA that scales ``obj``, else 1."""
        spec = _spec(obj)
        if spec.get("replicas") is not None:
            return _count(obj, "spec.replicas", spec["replicas"])
        for hpa in self.objects:
            target = _map(_spec(hpa).get("scaleTargetRef"))
            if (
                hpa["kind"] == "HorizontalPodAutoscaler"
                and target.get("kind") == obj["kind"]
                and target.get("name") == _name(obj)
                and _ns(hpa) == _ns(obj)
            ):
                return _count(hpa, "spec.minReplicas", _spec(hpa).get("minReplicas", 1))
        return 1

    def pods_of(
        self, owner: str, template: dict[str, Any], namespace: str, names: list[str], total: int
    ) -> list[str]:
        """Add Pod nodes named ``names`` (at most MAX_PODS_DRAWN) owned by ``owner``."""
        labels = _labels(template)
        pod_ids = []
        for name in names[:MAX_PODS_DRAWN]:
            pod = self.graph.add_node(GraphNode(node_id("Pod", name, namespace), "Pod", name, generated=True))
            self.graph.add_edge(owner, pod, "creates")
            self.pods.append(_Pod(pod, namespace, labels))
            pod_ids.append(pod)
        if total > MAX_PODS_DRAWN:  # one node stands for the rest, so the picture stays short
            more_name = f"+{total - MAX_PODS_DRAWN} more"
            more = self.graph.add_node(
                GraphNode(f"{owner}/more-pods", "Pod", more_name, f"{total} Pods in all", generated=True)
            )
            self.graph.add_edge(owner, more, "creates")
            self.pods.append(_Pod(more, namespace, labels))  # a Service reaches these Pods too
        return pod_ids

    def uses(self, workload: str, pod_spec: dict[str, Any], namespace: str) -> None:
        """Edges from the ConfigMaps, Secrets and claims a Pod spec references to its workload."""
        for kind, name, how in _references(pod_spec):
            if kind == "PersistentVolumeClaim":
                self.graph.add_edge(workload, self.ref(kind, name, namespace), "mounts", "mounts")
            else:
                self.graph.add_edge(self.ref(kind, name, namespace), workload, "is used by", how)

    # --- one method per kind -----------------------------------------------------------------------

    def deployment(self, obj: dict[str, Any]) -> None:
        name, namespace, count = _name(obj), _ns(obj), self.replicas(obj)
        template = _map(_spec(obj).get("template"))
        replica_set = self.graph.add_node(
            GraphNode(
                node_id("ReplicaSet", f"{name}-<hash>", namespace),
                "ReplicaSet",
                f"{name}-<hash>",
                _plural(count, "replica"),
                generated=True,
            )
        )
        self.graph.add_edge(_id(obj), replica_set, "creates")
        self.pods_of(
            replica_set, template, namespace, [f"{name}-<hash>-{i}" for i in range(1, count + 1)], count
        )
        self.uses(_id(obj), _spec(template), namespace)

    def replica_set(self, obj: dict[str, Any]) -> None:
        self._simple_pods(obj, self.replicas(obj))

    def daemon_set(self, obj: dict[str, Any]) -> None:
        template = _map(_spec(obj).get("template"))
        self.pods_of(_id(obj), template, _ns(obj), [f"{_name(obj)}-<node>"], 1)
        self.uses(_id(obj), _spec(template), _ns(obj))

    def job(self, obj: dict[str, Any]) -> None:
        self._simple_pods(obj, _count(obj, "spec.parallelism", _spec(obj).get("parallelism", 1)))

    def cron_job(self, obj: dict[str, Any]) -> None:
        job_template = _map(_spec(obj).get("jobTemplate"))
        job = self.graph.add_node(
            GraphNode(
                node_id("Job", f"{_name(obj)}-<time>", _ns(obj)),
                "Job",
                f"{_name(obj)}-<time>",
                "one per schedule",
                generated=True,
            )
        )
        self.graph.add_edge(_id(obj), job, "creates")
        template = _map(_spec(job_template).get("template"))
        self.pods_of(job, template, _ns(obj), [f"{_name(obj)}-<time>-<id>"], 1)
        self.uses(_id(obj), _spec(template), _ns(obj))

    def pod(self, obj: dict[str, Any]) -> None:
        self.pods.append(_Pod(_id(obj), _ns(obj), _labels(obj)))
        self.uses(_id(obj), _spec(obj), _ns(obj))

    def stateful_set(self, obj: dict[str, Any]) -> None:
        name, namespace, count, spec = _name(obj), _ns(obj), self.replicas(obj), _spec(obj)
        if isinstance(spec.get("serviceName"), str) and spec["serviceName"]:
            self.graph.add_edge(
                _id(obj),
                self.ref("Service", spec["serviceName"], namespace),
                "is governed by",
                "governing Service",
            )
        template = _map(spec.get("template"))
        pods = self.pods_of(_id(obj), template, namespace, [f"{name}-{i}" for i in range(count)], count)
        for claim_template in _list(spec.get("volumeClaimTemplates")):
            claim_template = _map(claim_template)
            claim_name = str(_meta(claim_template).get("name") or "data")
            for index, pod in enumerate(pods):
                claim = self.graph.add_node(
                    GraphNode(
                        node_id("PersistentVolumeClaim", f"{claim_name}-{name}-{index}", namespace),
                        "PersistentVolumeClaim",
                        f"{claim_name}-{name}-{index}",
                        _claim_detail(claim_template),
                        generated=True,
                    )
                )
                self.graph.add_edge(pod, claim, "mounts", "mounts")
                self._storage_class(claim, claim_template)
        self.uses(_id(obj), _spec(template), namespace)

    def claim(self, obj: dict[str, Any]) -> None:
        self._storage_class(_id(obj), obj)

    def ingress(self, obj: dict[str, Any]) -> None:
        spec = _spec(obj)
        default = _map(_map(spec.get("defaultBackend")).get("service"))
        if default.get("name"):
            default_service = self.ref("Service", default["name"], _ns(obj))
            self.graph.add_edge(_id(obj), default_service, "routes to", "default")
        for rule in map(_map, _list(spec.get("rules"))):
            for path in map(_map, _list(_map(rule.get("http")).get("paths"))):
                backend = _map(_map(path.get("backend")).get("service"))
                if backend.get("name"):
                    route = f"{rule.get('host') or ''}{path.get('path') or '/'}"
                    self.graph.add_edge(
                        _id(obj), self.ref("Service", backend["name"], _ns(obj)), "routes to", route
                    )

    def http_route(self, obj: dict[str, Any]) -> None:
        for parent in map(_map, _list(_spec(obj).get("parentRefs"))):
            if parent.get("name"):
                namespace = str(parent.get("namespace") or _ns(obj))
                gateway = self.ref(str(parent.get("kind") or "Gateway"), parent["name"], namespace)
                self.graph.add_edge(gateway, _id(obj), "routes through")
        for rule in map(_map, _list(_spec(obj).get("rules"))):
            for backend in map(_map, _list(rule.get("backendRefs"))):
                if backend.get("name"):
                    target = self.ref(
                        str(backend.get("kind") or "Service"),
                        backend["name"],
                        str(backend.get("namespace") or _ns(obj)),
                    )
                    self.graph.add_edge(_id(obj), target, "routes to")

    def autoscaler(self, obj: dict[str, Any]) -> None:
        target = _map(_spec(obj).get("scaleTargetRef"))
        if target.get("kind") and target.get("name"):
            scaled = self.ref(str(target["kind"]), target["name"], _ns(obj))
            self.graph.add_edge(_id(obj), scaled, "scales", "scales")

    def service(self, obj: dict[str, Any]) -> None:
        selector = {str(k): str(v) for k, v in _map(_spec(obj).get("selector")).items()}
        if not selector:
            return  # no selector: endpoints are managed by hand, nothing to match
        for pod in self.pods:
            if pod.namespace == _ns(obj) and selector.items() <= pod.labels.items():
                self.graph.add_edge(_id(obj), pod.id, "selects")

    def _simple_pods(self, obj: dict[str, Any], count: int) -> None:
        template = _map(_spec(obj).get("template"))
        names = [f"{_name(obj)}-<id>-{i}" for i in range(1, count + 1)]
        self.pods_of(_id(obj), template, _ns(obj), names, count)
        self.uses(_id(obj), _spec(template), _ns(obj))

    def _storage_class(self, claim: str, claim_obj: dict[str, Any]) -> None:
        class_name = _spec(claim_obj).get("storageClassName")
        if class_name == "":
            return  # "" asks for a pre-provisioned volume, no class
        if class_name is None:
            target = self.ref("StorageClass", "(cluster default)", "", "claim names no class")
        else:
            target = self.ref("StorageClass", class_name, "")
        self.graph.add_edge(claim, target, "is provisioned by")


_HANDLERS = {
    "Deployment": _Builder.deployment,
    "ReplicaSet": _Builder.replica_set,
    "StatefulSet": _Builder.stateful_set,
    "DaemonSet": _Builder.daemon_set,
    "Job": _Builder.job,
    "CronJob": _Builder.cron_job,
    "Pod": _Builder.pod,
    "PersistentVolumeClaim": _Builder.claim,
    "Ingress": _Builder.ingress,
    "HTTPRoute": _Builder.http_route,
    "HorizontalPodAutoscaler": _Builder.autoscaler,
}
CLUSTER_SCOPED = {
    "StorageClass",
    "PersistentVolume",
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "IngressClass",
    "GatewayClass",
    "PriorityClass",
}
MAX_COUNT = 10_000  # more than any picture could mean; a typo like 1e9 would only hang the drawing


# Manifests are read as written: any field may be null or of the wrong type. These read them safely.


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    return _map(obj.get("metadata"))


def _spec(obj: dict[str, Any]) -> dict[str, Any]:
    return _map(obj.get("spec"))


def _labels(obj: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in _map(_meta(obj).get("labels")).items()}


def _count(obj: dict[str, Any], field: str, value: Any) -> int:
    """A replica-like count, or GraphError naming the object and field."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        message = f"{field} is {value!r}, not a count of 0 to {MAX_COUNT}"
        raise GraphError(message, f"{obj['kind']}/{_name(obj)}", field)
    return value


def _name(obj: dict[str, Any]) -> str:
    return str(_meta(obj)["name"])


def _ns(obj: dict[str, Any]) -> str:
    return "" if obj.get("kind") in CLUSTER_SCOPED else str(_meta(obj).get("namespace") or DEFAULT_NAMESPACE)


def _id(obj: dict[str, Any]) -> str:
    return node_id(obj["kind"], _name(obj), _ns(obj))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _detail(obj: dict[str, Any]) -> str:
    """What says the most about an object after its name (the drawer wraps long ones)."""
    spec = _spec(obj)
    kind = obj["kind"]
    if kind == "Service":
        kind_of = "headless" if spec.get("clusterIP") == "None" else str(spec.get("type") or "ClusterIP")
        selector = ", ".join(f"{k}={v}" for k, v in _map(spec.get("selector")).items())
        return f"{kind_of}, selects {selector}" if selector else kind_of
    if kind in ("Deployment", "StatefulSet", "ReplicaSet") and spec.get("replicas") is not None:
        return _plural(_count(obj, "spec.replicas", spec["replicas"]), "replica")
    if kind == "HorizontalPodAutoscaler":
        return f"{spec.get('minReplicas', 1)} to {spec.get('maxReplicas', '?')} replicas"
    if kind == "PersistentVolumeClaim":
        return _claim_detail(obj)
    if kind == "CronJob":
        return str(spec.get("schedule") or "")
    if kind == "StorageClass":
        return str(obj.get("provisioner") or "")
    return ""


def _claim_detail(claim: dict[str, Any]) -> str:
    return str(_map(_map(_spec(claim).get("resources")).get("requests")).get("storage") or "")


def _references(pod_spec: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(kind, name, how)`` for every ConfigMap, Secret and claim a Pod spec refers to."""
    for volume in map(_map, _list(pod_spec.get("volumes"))):
        if _map(volume.get("configMap")).get("name"):
            yield "ConfigMap", str(volume["configMap"]["name"]), "volume"
        if _map(volume.get("secret")).get("secretName"):
            yield "Secret", str(volume["secret"]["secretName"]), "volume"
        if _map(volume.get("persistentVolumeClaim")).get("claimName"):
            yield "PersistentVolumeClaim", str(volume["persistentVolumeClaim"]["claimName"]), "volume"
        for source in map(_map, _list(_map(volume.get("projected")).get("sources"))):
            for kind, key in (("ConfigMap", "configMap"), ("Secret", "secret")):
                if _map(source.get(key)).get("name"):
                    yield kind, str(source[key]["name"]), "volume"
    containers = [*_list(pod_spec.get("initContainers")), *_list(pod_spec.get("containers"))]
    for container in map(_map, containers):
        for env_from in map(_map, _list(container.get("envFrom"))):
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if _map(env_from.get(key)).get("name"):
                    yield kind, str(env_from[key]["name"]), "env"
        for env in map(_map, _list(container.get("env"))):
            value_from = _map(env.get("valueFrom"))
            for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                if _map(value_from.get(key)).get("name"):
                    yield kind, str(value_from[key]["name"]), "env"
    for pull_secret in map(_map, _list(pod_spec.get("imagePullSecrets"))):
        if pull_secret.get("name"):
            yield "Secret", str(pull_secret["name"]), "image pull"
