"""The graph a manifest-drawn picture is made from: objects, what controllers make of them, and
connections worked out the way Kubernetes works them out (assertions on the graph, not on pixels)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kubenotes.diagrams import manifest_figure as figures
from kubenotes.diagrams.manifest_graph import ManifestGraph, build_graph, load_objects
from kubenotes.diagrams.render import DiagramError
from kubenotes.project import Project

ROOT = Path(__file__).resolve().parent.parent


def graph_of(tmp_path: Path, manifest: str) -> ManifestGraph:
    path = tmp_path / "manifest.yaml"
    path.write_text(textwrap.dedent(manifest))
    return build_graph(load_objects(path))


def test_web_app_snippet_graph() -> None:
    graph = figures.load_graph(Project.from_settings(ROOT), "workloads/web-app.yaml")
    rs, pods = "ReplicaSet/web-<hash>", [f"Pod/web-<hash>-{i}" for i in (1, 2, 3)]
    assert set(graph.nodes) == {
        "ConfigMap/web-config",
        "Deployment/web",
        "Service/web",
        "Ingress/web",
        "HorizontalPodAutoscaler/web",
        rs,
        *pods,
    }
    assert graph.edge_pairs() == {
        ("Deployment/web", rs),
        *((rs, pod) for pod in pods),  # no replicas field: the HPA's minReplicas (3) is the count
        *(("Service/web", pod) for pod in pods),  # selector app.kubernetes.io/name=web matches
        ("Ingress/web", "Service/web"),
        ("HorizontalPodAutoscaler/web", "Deployment/web"),
        ("ConfigMap/web-config", "Deployment/web"),  # mounted as a volume
    }
    assert {n.id for n in graph.nodes.values() if n.generated} == {rs, *pods}
    assert not any(n.external for n in graph.nodes.values())
    assert figures.alt_text("workloads/web-app.yaml", graph).startswith(
        "Objects in workloads/web-app.yaml and how they connect: Deployment web creates ReplicaSet web-<hash>"
    )
    assert "Service web selects 3 Pods" in figures.alt_text("workloads/web-app.yaml", graph)


def test_service_selects_by_real_label_matching(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: api, labels: {app: shop, tier: api}}
        spec: {containers: [{name: c, image: "nginx:1.27"}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: shop, tier: db}}
        spec: {containers: [{name: c, image: "postgres:17"}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: other-ns, namespace: staging, labels: {app: shop, tier: api}}
        spec: {containers: [{name: c, image: "nginx:1.27"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec: {selector: {app: shop, tier: api}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: everything}
        spec: {selector: {app: shop}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: manual}
        spec: {ports: [{port: 80}]}
    """,
    )
    edges = graph.edge_pairs()
    assert ("Service/api", "Pod/api") in edges
    assert ("Service/api", "Pod/db") not in edges  # tier differs
    assert ("Service/api", "Pod/staging/other-ns") not in edges  # another namespace
    assert {t for s, t in edges if s == "Service/everything"} == {"Pod/api", "Pod/db"}
    assert not any(s == "Service/manual" for s, _ in edges)  # no selector, nothing matched


def test_statefulset_headless_service_claims_and_storage_class(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
                - name: postgres
                  image: "postgres:17"
                  envFrom: [{secretRef: {name: db-credentials}}]
          volumeClaimTemplates:
            - metadata: {name: data}
              spec:
                storageClassName: fast
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 10Gi}}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast}
        provisioner: ebs.csi.aws.com
    """,
    )
    edges = graph.edge_pairs()
    assert ("StatefulSet/db", "Service/db") in edges
    assert {t for s, t in edges if s == "StatefulSet/db" and t.startswith("Pod/")} == {"Pod/db-0", "Pod/db-1"}
    assert ("Pod/db-0", "PersistentVolumeClaim/data-db-0") in edges
    assert ("Pod/db-1", "PersistentVolumeClaim/data-db-1") in edges
    assert ("PersistentVolumeClaim/data-db-0", "StorageClass/fast") in edges
    assert ("Service/db", "Pod/db-0") in edges
    assert ("Secret/db-credentials", "StatefulSet/db") in edges
    assert graph.nodes["Secret/db-credentials"].external  # referenced, not in the file
    assert graph.nodes["Service/db"].detail.startswith("headless")
    assert not graph.nodes["StorageClass/fast"].external


def test_config_references_pvc_ingress_and_cronjob(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          replicas: 5
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}}
            spec:
              imagePullSecrets: [{name: registry}]
              containers:
                - name: app
                  image: "nginx:1.27"
                  env:
                    - name: MODE
                      valueFrom: {configMapKeyRef: {name: settings, key: mode}}
              volumes:
                - name: files
                  projected: {sources: [{configMap: {name: files}}, {secret: {name: tls}}]}
                - name: data
                  persistentVolumeClaim: {claimName: uploads}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: uploads}
        spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: app}
        spec:
          rules:
            - host: app.example.com
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: report, image: "busybox:1.37"}]
    """,
    )
    edges = graph.edge_pairs()
    for source in ("ConfigMap/settings", "ConfigMap/files", "Secret/tls", "Secret/registry"):
        assert (source, "Deployment/app") in edges
    assert ("Deployment/app", "PersistentVolumeClaim/uploads") in edges
    assert ("PersistentVolumeClaim/uploads", "StorageClass/(cluster default)") in edges
    assert ("Ingress/app", "Service/app") in edges and graph.nodes["Service/app"].external
    pods = [t for s, t in edges if s == "ReplicaSet/app-<hash>"]
    assert len(pods) == 4  # three Pods drawn, the other two summarised
    assert graph.nodes["ReplicaSet/app-<hash>/more-pods"].name == "+2 more"
    assert "5 Pods" in figures.alt_text("x.yaml", graph)
    assert ("CronJob/report", "Job/report-<time>") in edges
    assert ("Job/report-<time>", "Pod/report-<time>-<id>") in edges


def test_graph_survives_the_trip_to_the_drawer() -> None:
    graph = figures.load_graph(Project.from_settings(ROOT), "workloads/web-app.yaml")
    again = ManifestGraph.from_json(graph.to_json())
    assert again.nodes == graph.nodes and again.edges == graph.edges


def test_page_marker_errors_name_the_page_line(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets" / "bad.yaml").write_text("kind: Pod\nmetadata: {name: x\n")
    page = "# T\n\n<!-- kn:manifest-diagram missing.yaml -->\n\n<!-- kn:manifest-diagram bad.yaml -->\n"
    (tmp_path / "docs" / "t.md").write_text(page)
    project = Project.from_settings(tmp_path)
    jobs, _, problems = figures.manifest_jobs(project, figures.find_markers(project))
    assert jobs == []
    bad, missing = (p.format() for p in problems)
    assert missing == (
        "docs/t.md:3: -: kn:manifest-diagram: cannot draw snippets/missing.yaml: "
        "no such snippet "
        "— the path is relative to snippets/"
    )
    assert bad.startswith(
        "docs/t.md:5: -: kn:manifest-diagram: cannot draw snippets/bad.yaml:3: YAML syntax error"
    )


def test_figure_markdown_links_relative_to_the_page() -> None:
    graph = figures.load_graph(Project.from_settings(ROOT), "workloads/web-app.yaml")
    markdown = figures.figure_markdown("workloads/web-app.yaml", graph, "workloads/deployments.md")
    assert "](../assets/diagrams/manifests/workloads/web-app.svg)\n/// caption\n" in markdown
    assert "Objects in the dashed box are the ones controllers create" in markdown
    assert "Referenced, not in this file" not in markdown  # every object it points at is in the file


def test_a_file_without_objects_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "empty.yaml").write_text("# nothing here\n")
    with pytest.raises(DiagramError, match="holds no Kubernetes object"):
        figures.load_graph(Project.from_settings(tmp_path), "empty.yaml")
