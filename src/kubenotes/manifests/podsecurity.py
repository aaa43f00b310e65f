"""The Pod Security Standards level (privileged / baseline / restricted) of a Pod or a workload's template.

The checks follow the Pod Security Admission controller's policy (k8s.io/pod-security-admission,
``policy/check_*.go``) check by check, including how they change between Kubernetes versions, so the
level shown is the one a namespace labelled ``pod-security.kubernetes.io/enforce`` would apply. Each
failed check names the fields that made it fail. The tests hold it to the upstream conformance fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from kubenotes.manifests.loader import FieldPath, format_path

LEVELS = ("privileged", "baseline", "restricted")

# kind -> where its Pod metadata and spec are (PSA's default pod spec extractor)
TEMPLATE_PATHS: dict[str, FieldPath] = {
    "Pod": (),
    **dict.fromkeys(
        ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"),
        ("spec", "template"),
    ),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
}


class Violation(NamedTuple):
    """One failed check: its upstream id, what is wrong, and the fields that make it so."""

    check: str
    message: str
    fields: tuple[FieldPath, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "message": self.message,
            "fields": [format_path(f) for f in self.fields],
            "paths": [list(f) for f in self.fields],
        }


class PodSecurity(NamedTuple):
    """The highest level a Pod template meets for ``version``, and what fails each stricter level."""

    level: str
    version: str
    baseline: tuple[Violation, ...]  # why it is not baseline (empty when it is)
    restricted: tuple[Violation, ...]  # why it is not restricted, as PSA evaluates that level

    def failures(self, level: str) -> tuple[Violation, ...]:
        """What keeps the template from ``level`` (nothing for ``privileged``)."""
        return {"baseline": self.baseline, "restricted": self.restricted}.get(level, ())

    def meets(self, level: str) -> bool:
        return LEVELS.index(self.level) >= LEVELS.index(level)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "version": self.version,
            "baseline": [v.to_dict() for v in self.baseline],
            "restricted": [v.to_dict() for v in self.restricted],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PodSecurity:
        """From :meth:`to_dict` (the verdict cache stores results as JSON)."""

        def violations(items: list[dict[str, Any]]) -> tuple[Violation, ...]:
            return tuple(
                Violation(item["check"], item["message"], tuple(map(tuple, item["paths"]))) for item in items
            )

        return cls(
            data["level"], data["version"], violations(data["baseline"]), violations(data["restricted"])
        )


def evaluate(obj: dict[str, Any], version: str) -> PodSecurity | None:
    """The level of ``obj``'s Pod template for Kubernetes ``version`` (None: the kind has no Pod template)."""
    prefix = TEMPLATE_PATHS.get(obj.get("kind"))  # type: ignore[arg-type]
    if prefix is None:
        return None
    template = _at(obj, prefix)
    if not isinstance(template, dict) or not isinstance(template.get("spec"), dict):
        return None
    pod = _Pod(_mapping(template.get("metadata")), template["spec"], prefix, _minor(version))
    failed = [(check.__name__, v) for check in BASELINE if (v := check(pod))]
    baseline = tuple(v for _, v in failed)
    overridden = {name for minimum, name in _OVERRIDES if pod.minor >= minimum}
    # Restricted is the baseline checks it does not replace, then its own (PSA's order).
    restricted = (
        *(v for name, v in failed if name not in overridden),
        *(v for check in RESTRICTED if (v := check(pod))),
    )
    level = "privileged" if baseline else "baseline" if restricted else "restricted"
    return _interned(PodSecurity(level, version, baseline, restricted))


_SEEN: dict[PodSecurity, PodSecurity] = {}


def _interned(security: PodSecurity) -> PodSecurity:
    """One object for equal verdicts (a file of 100,000 alike Deployments has a handful): pickling a
    batch for the parent process then writes each once, and notes about it are formatted once."""
    if len(_SEEN) > 10_000:
        _SEEN.clear()
    return _SEEN.setdefault(security, security)


class _Pod:
    """A Pod's metadata and spec, where they sit in the object, and the Kubernetes minor version.

    Containers and security contexts are looked up once here; every check reads them (they are the
    bulk of the work on a file of many workloads)."""

    __slots__ = ("containers", "context", "metadata", "minor", "prefix", "spec")

    def __init__(self, metadata: dict[str, Any], spec: dict[str, Any], prefix: FieldPath, minor: int) -> None:
        self.metadata, self.spec, self.prefix, self.minor = metadata, spec, prefix, minor
        self.context = _mapping(spec.get("securityContext"))
        containers = []
        for group in ("initContainers", "containers", "ephemeralContainers"):  # PSA's order
            items = spec.get(group)
            for index, container in enumerate(items if isinstance(items, list) else ()):
                if isinstance(container, dict):
                    containers.append(((group, index), container, _mapping(container.get("securityContext"))))
        self.containers: tuple[tuple[FieldPath, dict[str, Any], dict[str, Any]], ...] = tuple(containers)

    def field(self, *path: str | int) -> FieldPath:
        return (*self.prefix, "spec", *path)

    @property
    def windows(self) -> bool:
        return _mapping(self.spec.get("os")).get("name") == "windows"

    @property
    def user_namespace(self) -> bool:
        return self.spec.get("hostUsers") is False


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _at(data: Any, path: FieldPath) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data


def _minor(version: str) -> int:
    return int(version.split(".")[1])


def _names(containers: list[tuple[FieldPath, dict[str, Any], dict[str, Any]]]) -> str:
    names = [str(c[1].get("name", "?")) for c in containers]
    noun = "container" if len(names) == 1 else "containers"
    return f"{noun} " + ", ".join(f'"{n}"' for n in names)


def _context_fields(
    pod: _Pod, bad: list[tuple[FieldPath, dict[str, Any], dict[str, Any]]], *name: str
) -> list[FieldPath]:
    return [pod.field(*c[0], "securityContext", *name) for c in bad]


# --- baseline checks -------------------------------------------------------------------------------


def privileged(pod: _Pod) -> Violation | None:
    bad = [c for c in pod.containers if c[2].get("privileged") is True]
    if bad:
        return Violation(
            "privileged",
            f"{_names(bad)} must not set securityContext.privileged=true",
            tuple(_context_fields(pod, bad, "privileged")),
        )
    return None


def hostNamespaces(pod: _Pod) -> Violation | None:  # upstream check ids
    shared = [name for name in ("hostNetwork", "hostPID", "hostIPC") if pod.spec.get(name) is True]
    if shared:
        return Violation(
            "hostNamespaces",
            "shares the node's namespaces: " + ", ".join(f"{n}=true" for n in shared),
            tuple(pod.field(name) for name in shared),
        )
    return None


def hostPathVolumes(pod: _Pod) -> Violation | None:
    bad = [(i, v) for i, v in _volumes(pod) if v.get("hostPath") is not None]
    if bad:
        return Violation(
            "hostPathVolumes",
            f"hostPath {_plural('volume', bad)} {_quoted(v for _, v in bad)}",
            tuple(pod.field("volumes", i, "hostPath") for i, _ in bad),
        )
    return None


def hostPorts(pod: _Pod) -> Violation | None:
    fields, ports, names = [], [], []
    for where, container, context in pod.containers:
        items = container.get("ports")
        found = False
        for index, port in enumerate(items if isinstance(items, list) else ()):
            host_port = _mapping(port).get("hostPort")
            if host_port not in (None, 0):
                fields.append(pod.field(*where, "ports", index, "hostPort"))
                ports.append(str(host_port))
                found = True
        if found:
            names.append((where, container, context))
    if fields:
        return Violation(
            "hostPorts", f"{_names(names)} use host ports {', '.join(sorted(set(ports)))}", tuple(fields)
        )
    return None


def appArmorProfile(pod: _Pod) -> Violation | None:
    allowed = ("RuntimeDefault", "Localhost")
    fields: list[FieldPath] = []
    values: set[str] = set()
    profile = pod.context.get("appArmorProfile")
    if profile is not None and _mapping(profile).get("type") not in allowed:
        fields.append(pod.field("securityContext", "appArmorProfile", "type"))
        values.add(str(_mapping(profile).get("type", "")))
    for where, _container, context in pod.containers:
        profile = context.get("appArmorProfile")
        if profile is not None and _mapping(profile).get("type") not in allowed:
            fields.append(pod.field(*where, "securityContext", "appArmorProfile", "type"))
            values.add(str(_mapping(profile).get("type", "")))
    for key, value in sorted(_mapping(pod.metadata.get("annotations")).items()):
        if (
            isinstance(key, str)
            and key.startswith("container.apparmor.security.beta.kubernetes.io/")
            and not (value in ("", "runtime/default") or str(value).startswith("localhost/"))
        ):
            fields.append((*pod.prefix, "metadata", "annotations", key))
            values.add(f"{key}={value}")
    if fields:
        return Violation(
            "appArmorProfile",
            "AppArmor profile must be RuntimeDefault or Localhost, not "
            + ", ".join(f'"{v}"' for v in sorted(values)),
            tuple(fields),
        )
    return None


_DEFAULT_CAPABILITIES = frozenset(
    (
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    )
)


def capabilities_baseline(pod: _Pod) -> Violation | None:
    bad, added = [], set[str]()
    for where, container, context in pod.containers:
        extra = [c for c in _added_capabilities(context) if c not in _DEFAULT_CAPABILITIES]
        if extra:
            bad.append((where, container, context))
            added.update(map(str, extra))
    if bad:
        return Violation(
            "capabilities_baseline",
            f"{_names(bad)} must not add {_quoted(sorted(added))} "
            "(only the container runtime's default capabilities)",
            tuple(_context_fields(pod, bad, "capabilities", "add")),
        )
    return None


_SELINUX_TYPES = frozenset(("", "container_t", "container_init_t", "container_kvm_t"))
_SELINUX_TYPES_1_31 = _SELINUX_TYPES | {"container_engine_t"}


def seLinuxOptions(pod: _Pod) -> Violation | None:
    types = _SELINUX_TYPES_1_31 if pod.minor >= 31 else _SELINUX_TYPES
    fields: list[FieldPath] = []
    problems: set[str] = set()
    places: list[tuple[FieldPath, Any]] = [(("securityContext",), pod.context.get("seLinuxOptions"))]
    places += [
        ((*where, "securityContext"), context.get("seLinuxOptions")) for where, _, context in pod.containers
    ]
    for where, options in places:
        if options is None:
            continue
        options = _mapping(options)
        if options.get("type", "") not in types:
            fields.append(pod.field(*where, "seLinuxOptions", "type"))
            problems.add(f'type "{options.get("type")}"')
        for name in ("user", "role"):
            if options.get(name):
                fields.append(pod.field(*where, "seLinuxOptions", name))
                problems.add(f"{name} may not be set")
    if fields:
        return Violation(
            "seLinuxOptions", "forbidden seLinuxOptions: " + "; ".join(sorted(problems)), tuple(fields)
        )
    return None


def procMount(pod: _Pod) -> Violation | None:
    if pod.minor >= 35 and pod.user_namespace:
        return None
    return _proc_mount(pod, "procMount")


def procMount_restricted(pod: _Pod) -> Violation | None:
    return _proc_mount(pod, "procMount_restricted") if pod.minor >= 35 else None


def _proc_mount(pod: _Pod, check: str) -> Violation | None:
    bad = [c for c in pod.containers if c[2].get("procMount") not in (None, "Default")]
    if bad:
        return Violation(
            check,
            f"{_names(bad)} must not set securityContext.procMount other than Default",
            tuple(_context_fields(pod, bad, "procMount")),
        )
    return None


def seccompProfile_baseline(pod: _Pod) -> Violation | None:
    fields, values = _bad_seccomp(pod)
    if fields:
        return Violation(
            "seccompProfile_baseline",
            "seccompProfile.type must not be " + _quoted(sorted(values)),
            tuple(fields),
        )
    return None


_SYSCTLS = {
    0: {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    },
    27: {"net.ipv4.ip_local_reserved_ports"},
    29: {
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    },
    32: {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"},
    37: {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"},
}


def sysctls(pod: _Pod) -> Violation | None:
    allowed = set().union(*(names for since, names in _SYSCTLS.items() if pod.minor >= since))
    items = pod.context.get("sysctls")
    bad = [
        (i, s)
        for i, s in enumerate(items if isinstance(items, list) else ())
        if _mapping(s).get("name") not in allowed
    ]
    if bad:
        names = _quoted(str(_mapping(s).get("name")) for _, s in bad)
        return Violation(
            "sysctls",
            f"forbidden sysctls {names}",
            tuple(pod.field("securityContext", "sysctls", i, "name") for i, _ in bad),
        )
    return None


def windowsHostProcess(pod: _Pod) -> Violation | None:
    fields = []
    if _mapping(pod.context.get("windowsOptions")).get("hostProcess") is True:
        fields.append(pod.field("securityContext", "windowsOptions", "hostProcess"))
    for where, _container, context in pod.containers:
        options = _mapping(context.get("windowsOptions"))
        if options.get("hostProcess") is True:
            fields.append(pod.field(*where, "securityContext", "windowsOptions", "hostProcess"))
    if fields:
        return Violation(
            "windowsHostProcess",
            "must not set securityContext.windowsOptions.hostProcess=true",
            tuple(fields),
        )
    return None


def hostProbesAndHostLifecycle(pod: _Pod) -> Violation | None:
    if pod.minor < 34:
        return None
    fields, hosts, bad = [], set(), []
    for where, container, context in pod.containers:
        lifecycle = _mapping(container.get("lifecycle"))
        handlers: list[tuple[tuple[str, ...], Any]] = [
            ((name,), handler)
            for name in ("livenessProbe", "readinessProbe", "startupProbe")
            if (handler := container.get(name))
        ]
        handlers += [
            (("lifecycle", name), handler)
            for name in ("postStart", "preStop")
            if (handler := lifecycle.get(name))
        ]
        found = False
        for path, handler in handlers:
            for action in ("httpGet", "tcpSocket"):
                host = _mapping(_mapping(handler).get(action)).get("host")
                if host:
                    fields.append(pod.field(*where, *path, action, "host"))
                    hosts.add(str(host))
                    found = True
        if found:
            bad.append((where, container, context))
    if fields:
        return Violation(
            "hostProbesAndHostLifecycle",
            f"{_names(bad)} must not set a probe or lifecycle "
            f"host ({_quoted(sorted(hosts))}): it would reach other machines as the kubelet",
            tuple(fields),
        )
    return None


# --- restricted checks -----------------------------------------------------------------------------

_ALLOWED_VOLUMES = (
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
)


def restrictedVolumes(pod: _Pod) -> Violation | None:
    bad = []
    for index, volume in _volumes(pod):
        sources = [k for k, v in volume.items() if k != "name" and v is not None]
        # A volume that names no source is an emptyDir once the API server has defaulted it.
        if sources and not any(volume.get(kind) is not None for kind in _ALLOWED_VOLUMES):
            bad.append((index, volume, sources[0]))
    if bad:
        names = _quoted(v.get("name", "?") for _, v, _ in bad)
        kinds = _quoted(sorted({s for _, _, s in bad}))
        return Violation(
            "restrictedVolumes",
            f"{_plural('volume', bad)} {names} use {kinds}; allowed: " + ", ".join(_ALLOWED_VOLUMES),
            tuple(pod.field("volumes", i, s) for i, _, s in bad),
        )
    return None


def allowPrivilegeEscalation(pod: _Pod) -> Violation | None:
    if pod.windows:
        return None
    bad = [c for c in pod.containers if c[2].get("allowPrivilegeEscalation") is not False]
    if bad:
        return Violation(
            "allowPrivilegeEscalation",
            f"{_names(bad)} must set securityContext.allowPrivilegeEscalation=false",
            tuple(_context_fields(pod, bad, "allowPrivilegeEscalation")),
        )
    return None


def runAsNonRoot(pod: _Pod) -> Violation | None:
    if pod.minor >= 35 and pod.user_namespace:
        return None
    pod_value = pod.context.get("runAsNonRoot")
    fields = [pod.field("securityContext", "runAsNonRoot")] if pod_value is False else []
    explicit = [c for c in pod.containers if c[2].get("runAsNonRoot") is False]
    fields += _context_fields(pod, explicit, "runAsNonRoot")
    if fields:
        return Violation("runAsNonRoot", "must not set securityContext.runAsNonRoot=false", tuple(fields))
    if pod_value is True:
        return None
    implicit = [c for c in pod.containers if c[2].get("runAsNonRoot") is None]
    if implicit:
        return Violation(
            "runAsNonRoot",
            f"the pod or {_names(implicit)} must set securityContext.runAsNonRoot=true",
            (pod.field("securityContext", "runAsNonRoot"), *_context_fields(pod, implicit, "runAsNonRoot")),
        )
    return None


def runAsUser(pod: _Pod) -> Violation | None:
    if pod.minor >= 35 and pod.user_namespace:
        return None
    fields = [pod.field("securityContext", "runAsUser")] if _is_root(pod.context.get("runAsUser")) else []
    bad = [c for c in pod.containers if _is_root(c[2].get("runAsUser"))]
    fields += _context_fields(pod, bad, "runAsUser")
    if fields:
        return Violation("runAsUser", "must not set runAsUser=0 (root)", tuple(fields))
    return None


def seccompProfile_restricted(pod: _Pod) -> Violation | None:
    if pod.windows:
        return None
    fields, values = _bad_seccomp(pod)
    if fields:
        return Violation(
            "seccompProfile_restricted",
            "seccompProfile.type must not be " + _quoted(sorted(values)),
            tuple(fields),
        )
    if _mapping(pod.context.get("seccompProfile")).get("type") in _SECCOMP_OK:
        return None
    implicit = [c for c in pod.containers if c[2].get("seccompProfile") is None]
    if implicit:
        return Violation(
            "seccompProfile_restricted",
            f"the pod or {_names(implicit)} must set "
            'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
            (
                pod.field("securityContext", "seccompProfile", "type"),
                *_context_fields(pod, implicit, "seccompProfile", "type"),
            ),
        )
    return None


def capabilities_restricted(pod: _Pod) -> Violation | None:
    if pod.windows:
        return None
    missing_drop, adding, added = [], [], set[str]()
    for where, container, context in pod.containers:
        capabilities = _mapping(context.get("capabilities"))
        drop = capabilities.get("drop")
        if "ALL" not in (drop if isinstance(drop, list) else ()):
            missing_drop.append((where, container, context))
        extra = [c for c in _added_capabilities(context) if c != "NET_BIND_SERVICE"]
        if extra:
            adding.append((where, container, context))
            added.update(map(str, extra))
    parts, fields = [], []
    if missing_drop:
        parts.append(f'{_names(missing_drop)} must set securityContext.capabilities.drop=["ALL"]')
        fields += _context_fields(pod, missing_drop, "capabilities", "drop")
    if adding:
        parts.append(f"{_names(adding)} must not add {_quoted(sorted(added))} (only NET_BIND_SERVICE)")
        fields += _context_fields(pod, adding, "capabilities", "add")
    return Violation("capabilities_restricted", "; ".join(parts), tuple(fields)) if parts else None


# --- shared helpers and the check tables ------------------------------------------------------------

_SECCOMP_OK = ("RuntimeDefault", "Localhost")


def _bad_seccomp(pod: _Pod) -> tuple[list[FieldPath], set[str]]:
    """seccompProfile settings (pod or container) whose type is not RuntimeDefault or Localhost."""
    fields: list[FieldPath] = []
    values: set[str] = set()
    places: list[tuple[FieldPath, dict[str, Any]]] = [(("securityContext",), pod.context)]
    places += [((*where, "securityContext"), context) for where, _, context in pod.containers]
    for where, context in places:
        profile = context.get("seccompProfile")
        if profile is not None and _mapping(profile).get("type") not in _SECCOMP_OK:
            fields.append(pod.field(*where, "seccompProfile", "type"))
            values.add(str(_mapping(profile).get("type", "")))
    return fields, values


def _is_root(user: Any) -> bool:
    return type(user) in (int, float) and user == 0


def _added_capabilities(context: dict[str, Any]) -> list[Any]:
    added = _mapping(context.get("capabilities")).get("add")
    return added if isinstance(added, list) else []


def _volumes(pod: _Pod) -> Iterator[tuple[int, dict[str, Any]]]:
    items = pod.spec.get("volumes")
    for index, volume in enumerate(items if isinstance(items, list) else ()):
        if isinstance(volume, dict):
            yield index, volume


def _plural(noun: str, items: list[Any]) -> str:
    return noun if len(items) == 1 else f"{noun}s"


def _quoted(items: Any) -> str:
    return ", ".join(f'"{item}"' for item in items)


Check = Callable[[_Pod], Violation | None]
BASELINE: tuple[Check, ...] = (
    appArmorProfile,
    capabilities_baseline,
    hostNamespaces,
    hostPathVolumes,
    hostPorts,
    hostProbesAndHostLifecycle,
    privileged,
    procMount,
    seLinuxOptions,
    seccompProfile_baseline,
    sysctls,
    windowsHostProcess,
)
RESTRICTED: tuple[Check, ...] = (
    allowPrivilegeEscalation,
    capabilities_restricted,
    procMount_restricted,
    restrictedVolumes,
    runAsNonRoot,
    runAsUser,
    seccompProfile_restricted,
)
# Restricted checks that replace a baseline one, from the minor version on which they do.
_OVERRIDES = (
    (22, "capabilities_baseline"),
    (19, "seccompProfile_baseline"),
    (0, "hostPathVolumes"),
    (35, "procMount"),
)
