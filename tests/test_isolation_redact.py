"""Redaction by value: every form in which a block can print a secret is masked before publishing.

No cluster can run here, so the outputs are made by the real kubectl client-side (``--dry-run=client``,
``config view`` of a local file): they go through the same printers (jsonpath, custom-columns,
go-template, yaml, json) that a live ``kubectl get secret db ...`` uses, and then through ``base64 -d``
as an author's pipeline would. The secret values come from :func:`collect_secret_values`, fed with the
Secret the page created and the kubeconfig, as the engine feeds it in live mode.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml

from kubenotes.execution.redact import MASK, collect_secret_values, redact
from kubenotes.execution.runner import offline_env, run_script

PASSWORD = "s3cr3t-Pa55word"
USERNAME = "admin"
SECRET = (
    f"kubectl create secret generic db --from-literal=password={PASSWORD} --from-literal=username={USERNAME}"
)
KEY_BODY = "MHcCAQEEIBkg4LVWM9nuwNSk3yMNf4cdB8rGH0Ut0X3lWxGBYKt/oAoGCCqGSM49"
KEY_PEM = f"-----BEGIN EC PRIVATE KEY-----\n{KEY_BODY}\n-----END EC PRIVATE KEY-----\n"
TOKEN = "kn-token-4f1c2a9b8e7d6c5b"


def _kubectl(script: str, tmp_path: Path) -> str:
    """Run ``script`` offline with the real kubectl and return what it printed."""
    result = run_script(script, env=offline_env(tmp_path / "h", tmp_path / "k"), cwd=tmp_path, timeout=30)
    assert result.returncode == 0, result.output
    return result.output


@pytest.fixture
def kubeconfig(tmp_path: Path) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "kind-local",
                "clusters": [
                    {
                        "name": "kind-local",
                        "cluster": {
                            "server": "https://127.0.0.1:6443",
                            "certificate-authority-data": base64.b64encode(
                                b"CA-CERTIFICATE-BYTES-0123"
                            ).decode(),
                        },
                    }
                ],
                "users": [
                    {
                        "name": "kind-local",
                        "user": {
                            "token": TOKEN,
                            "client-key-data": base64.b64encode(KEY_PEM.encode()).decode(),
                        },
                    }
                ],
                "contexts": [
                    {"name": "kind-local", "context": {"cluster": "kind-local", "user": "kind-local"}}
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def values(tmp_path: Path, kubeconfig: Path) -> frozenset[str]:
    created = _kubectl(f"{SECRET} --dry-run=client -o yaml", tmp_path)  # the Secret the page created
    return collect_secret_values(
        documents=[created], kubeconfigs=[yaml.safe_load(kubeconfig.read_text(encoding="utf-8"))]
    )


SECRET_FORMS = {
    "jsonpath": "-o jsonpath='{.data.password}'",
    "jsonpath | base64 -d": "-o jsonpath='{.data.password}' | base64 -d",
    "go-template base64decode": "-o go-template='{{.data.password | base64decode}} {{.data.username | "
    "base64decode}}'",
    "yaml": "-o yaml",
    "json": "-o json",
}


@pytest.mark.parametrize("form", SECRET_FORMS.values(), ids=SECRET_FORMS.keys())
def test_secret_values_are_masked_in_every_printer_and_encoding(
    form: str, tmp_path: Path, values: frozenset[str]
) -> None:
    output = _kubectl(f"{SECRET} --dry-run=client {form}", tmp_path)
    encoded = base64.b64encode(PASSWORD.encode()).decode()
    assert PASSWORD in output or encoded in output  # the unredacted output does hold the secret
    published = redact(output, values=values)
    for secret in (PASSWORD, encoded, base64.b64encode(USERNAME.encode()).decode()):
        assert secret not in published, published
    assert MASK in published


def test_custom_columns_output_is_masked(values: frozenset[str]) -> None:
    """``kubectl get secret db -o custom-columns=NAME:.metadata.name,PASSWORD:.data.password,USER:...``
    prints only against a server (kubectl create has no custom-columns printer), so this is its output
    written out by hand, in kubectl's table layout."""
    encoded = base64.b64encode(PASSWORD.encode()).decode()
    output = f"NAME   PASSWORD               USER\ndb     {encoded}   YWRtaW4=\n"
    assert redact(output, values=values) == f"NAME   PASSWORD               USER\ndb     {MASK}   {MASK}\n"


@pytest.mark.parametrize(
    "form",
    [
        "config view --raw",
        "config view --raw -o jsonpath='{.users[0].user.token}'",
        "config view --raw -o jsonpath='{.users[0].user.client-key-data}' | base64 -d",
        "config view --raw -o json",
    ],
)
def test_kubeconfig_credentials_are_masked(
    form: str, tmp_path: Path, kubeconfig: Path, values: frozenset[str]
) -> None:
    output = _kubectl(f"kubectl --kubeconfig {kubeconfig} {form}", tmp_path)
    published = redact(output, values=values)
    for secret in (TOKEN, KEY_BODY, base64.b64encode(KEY_PEM.encode()).decode()):
        assert secret not in published, published


def test_short_values_are_masked_only_as_whole_words(values: frozenset[str]) -> None:
    published = redact("user: admin\nrole: administrator\n", values=values)
    assert published == f"user: {MASK}\nrole: administrator\n"


def test_values_of_other_objects_are_left_alone(tmp_path: Path, values: frozenset[str]) -> None:
    output = _kubectl(
        "kubectl create configmap web --from-literal=GREETING=hello-there --dry-run=client -o yaml", tmp_path
    )
    assert redact(output, values=values) == output


def test_collect_walks_lists_string_data_and_ignores_bad_documents() -> None:
    found = collect_secret_values(
        objects=[{"kind": "List", "items": [{"kind": "Secret", "stringData": {"api-key": "plain-key-123"}}]}],
        documents=["kind: Secret\ndata:\n  k: dmFsdWUtb25l\n", "{ not: [yaml"],
        values=["extra-token"],
    )
    assert found == {"plain-key-123", "dmFsdWUtb25l", "extra-token"}
