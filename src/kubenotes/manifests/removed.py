"""APIs that Kubernetes stopped serving, with the release that removed them and what replaces them.

The bundled schemas start at 1.25, so an API removed earlier has no schema at all; without this
table, "no schema" would read like "custom resource". Source: the Kubernetes Deprecated API
Migration Guide (kubernetes.io/docs/reference/using-api/deprecation-guide/), like Pluto's list.
"""

from __future__ import annotations

from typing import NamedTuple


class Removal(NamedTuple):
    removed_in: str
    replacement: str | None  # apiVersion to use instead; None when the API has no successor
    note: str = ""


def removal(api_version: str, kind: str) -> Removal | None:
    return REMOVED.get((api_version, kind))


def describe(api_version: str, kind: str, found: Removal) -> str:
    """``extensions/v1beta1 Deployment was removed in Kubernetes 1.16: use apiVersion: apps/v1``."""
    text = f"{api_version} {kind} was removed in Kubernetes {found.removed_in}"
    if found.replacement:
        text += f": use apiVersion: {found.replacement}"
    if found.note:
        text += f" ({found.note})" if found.replacement else f": {found.note}"
    return text


def _same(
    removed_in: str, replacement: str, api_versions: tuple[str, ...], kinds: tuple[str, ...]
) -> dict[tuple[str, str], Removal]:
    return {(api, kind): Removal(removed_in, replacement) for api in api_versions for kind in kinds}


_RBAC = ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
_FLOW = ("FlowSchema", "PriorityLevelConfiguration")
_PSP_NOTE = "no replacement API: enforce Pod Security Standards with Pod Security Admission"

REMOVED: dict[tuple[str, str], Removal] = {
    # 1.16
    **_same(
        "1.16",
        "apps/v1",
        ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"),
        ("Deployment", "DaemonSet", "ReplicaSet"),
    ),
    **_same("1.16", "apps/v1", ("apps/v1beta1", "apps/v1beta2"), ("StatefulSet",)),
    ("extensions/v1beta1", "NetworkPolicy"): Removal("1.16", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy"): Removal("1.16", None, _PSP_NOTE),
    # 1.22
    **_same(
        "1.22", "networking.k8s.io/v1", ("extensions/v1beta1", "networking.k8s.io/v1beta1"), ("Ingress",)
    ),
    ("networking.k8s.io/v1beta1", "IngressClass"): Removal("1.22", "networking.k8s.io/v1"),
    **_same(
        "1.22",
        "admissionregistration.k8s.io/v1",
        ("admissionregistration.k8s.io/v1beta1",),
        ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"),
    ),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"): Removal("1.22", "apiextensions.k8s.io/v1"),
    ("apiregistration.k8s.io/v1beta1", "APIService"): Removal("1.22", "apiregistration.k8s.io/v1"),
    ("authentication.k8s.io/v1beta1", "TokenReview"): Removal("1.22", "authentication.k8s.io/v1"),
    **_same(
        "1.22",
        "authorization.k8s.io/v1",
        ("authorization.k8s.io/v1beta1",),
        ("SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview"),
    ),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"): Removal("1.22", "certificates.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "Lease"): Removal("1.22", "coordination.k8s.io/v1"),
    **_same("1.22", "rbac.authorization.k8s.io/v1", ("rbac.authorization.k8s.io/v1beta1",), _RBAC),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): Removal("1.22", "scheduling.k8s.io/v1"),
    **_same(
        "1.22",
        "storage.k8s.io/v1",
        ("storage.k8s.io/v1beta1",),
        ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"),
    ),
    # 1.25
    ("batch/v1beta1", "CronJob"): Removal("1.25", "batch/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): Removal("1.25", "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): Removal("1.25", "events.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): Removal("1.25", "autoscaling/v2"),
    ("policy/v1beta1", "PodDisruptionBudget"): Removal("1.25", "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): Removal("1.25", None, _PSP_NOTE),
    ("node.k8s.io/v1beta1", "RuntimeClass"): Removal("1.25", "node.k8s.io/v1"),
    # 1.26
    **_same("1.26", "flowcontrol.apiserver.k8s.io/v1", ("flowcontrol.apiserver.k8s.io/v1beta1",), _FLOW),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): Removal("1.26", "autoscaling/v2"),
    # 1.27
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): Removal("1.27", "storage.k8s.io/v1"),
    # 1.29
    **_same("1.29", "flowcontrol.apiserver.k8s.io/v1", ("flowcontrol.apiserver.k8s.io/v1beta2",), _FLOW),
    # 1.32
    **_same("1.32", "flowcontrol.apiserver.k8s.io/v1", ("flowcontrol.apiserver.k8s.io/v1beta3",), _FLOW),
}
