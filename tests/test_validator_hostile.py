"""Hostile and unusual input: each case is one clear ``path:line:`` error, the run goes on, exit code 1.

The files are generated here, at test time, next to a valid manifest that must still be validated;
nothing of this is committed. Runs go through the real ``kubenotes`` console script; the timeout only
turns a hang into a failure (speed is measured by benchmarks/, not here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubenotes.manifests.loader import MAX_DEPTH, load_documents, read_documents

KUBENOTES = Path(sys.executable).parent / "kubenotes"
VALID = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: survivor\ndata:\n  key: value\n"


def validate(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KUBENOTES), "validate", *args], capture_output=True, text=True, input=stdin, timeout=120
    )


def billion_laughs() -> str:
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: lol}",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\ndata: {x: *i}\n"


HOSTILE: dict[str, tuple[bytes, int, str]] = {
    # file name: (content, line of the error, message fragment)
    "alias-bomb.yaml": (billion_laughs().encode(), 7, "excessive aliasing"),
    "deep-flow.yaml": (
        b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        1,
        f"nested deeper than {MAX_DEPTH} levels",
    ),
    "deep-block.yaml": (
        "".join(" " * i + "a:\n" for i in range(1_000)).encode(),
        MAX_DEPTH + 1,
        f"nested deeper than {MAX_DEPTH} levels",
    ),
    "binary.yaml": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, 1, "binary file (NUL bytes)"),
    "utf16.yaml": ("kind: Pod\n".encode("utf-16"), 1, "UTF-16 text"),
    "null-key.yaml": (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n}\ndata:\n  ~: x\n",
        5,
        "a map key must be a string, number or boolean; null has no JSON form",
    ),
    "self-alias.yaml": (b"apiVersion: v1\nkind: List\nitems: &me\n- *me\n", 4, "alias *me"),
    "bad-int-tag.yaml": (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata: {a: !!int abc}\n",
        4,
        '"abc" is not a valid !!int',
    ),
}


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every hostile file, a valid manifest, a JSON manifest and a symlink loop."""
    root = tmp_path_factory.mktemp("hostile")
    for name, (content, _, _) in HOSTILE.items():
        (root / name).write_bytes(content)
    (root / "zz-valid.yaml").write_text(VALID, encoding="utf-8")
    nested = root / "nested"
    nested.mkdir()
    (nested / "service.json").write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "from-json"},
                "spec": {"ports": [{"port": 80, "targetPort": 8080}]},
            }
        ),
        encoding="utf-8",
    )
    os.symlink("..", nested / "loop")  # nested/loop -> root: walking it again would never end
    return root


@pytest.fixture(scope="module")
def hostile_run(hostile_tree: Path) -> subprocess.CompletedProcess[str]:
    return validate(str(hostile_tree))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_is_one_located_error(
    name: str, hostile_tree: Path, hostile_run: subprocess.CompletedProcess[str]
) -> None:
    _, line, fragment = HOSTILE[name]
    mine = [text for text in hostile_run.stdout.splitlines() if text.startswith(f"{hostile_tree / name}:")]
    assert len(mine) == 1, mine
    assert mine[0].startswith(f"{hostile_tree / name}:{line}:"), mine[0]
    assert fragment in mine[0]


def test_the_run_goes_on_and_fails(hostile_tree: Path, hostile_run: subprocess.CompletedProcess[str]) -> None:
    assert hostile_run.returncode == 1
    assert "Traceback" not in hostile_run.stdout + hostile_run.stderr
    assert hostile_run.stderr == ""
    assert "survivor" not in hostile_run.stdout, "the valid ConfigMap has nothing to report"
    summary = hostile_run.stdout.strip().splitlines()[-1]
    # every hostile file is one error; the valid YAML and the JSON Service in nested/ are valid, once each
    assert (
        summary == f"{len(HOSTILE) + 2} objects in {len(HOSTILE) + 2} files: 2 valid, 0 invalid, "
        f"{len(HOSTILE)} errors"
    ), summary
    assert "loop" not in hostile_run.stdout, "the symlink back to the root is not walked again"


def test_json_manifest_in_a_folder_is_validated(hostile_tree: Path) -> None:
    (hostile_tree / "nested" / "broken.json").write_text(
        '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"portz": []}}'
    )
    try:
        proc = validate(str(hostile_tree / "nested"))
    finally:
        (hostile_tree / "nested" / "broken.json").unlink()
    assert "broken.json:1:" in proc.stdout and 'unknown field — did you mean "ports"?' in proc.stdout


def test_escaped_quote_is_read_like_kubectl() -> None:
    """kubectl accepts \\' in a double-quoted string (an official documentation example uses it)."""
    (document,) = load_documents('metadata:\n  annotations:\n    note: "it\\\'s fine"\n    after: 1\n')
    assert document.data["metadata"]["annotations"]["note"] == "it's fine"
    assert document.position(("metadata", "annotations", "after"), key=True) == (4, 5)


def test_slash_escape_is_refused_like_kubectl_except_in_json(tmp_path: Path) -> None:
    """libyaml reads "\\/" as "/", kubectl's YAML reader refuses it; JSON (also a .yaml file that starts
    with "{", which kubectl reads as JSON) has that escape."""
    (tmp_path / "slash.yaml").write_text('kind: ConfigMap\ndata: {a: "x\\\\/y", b: "x\\/y"}\n')
    (tmp_path / "slash.json.yaml").write_text(
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}, "data": {"b": "x\\/y"}}\n'
    )
    proc = validate(str(tmp_path))
    assert f"{tmp_path / 'slash.yaml'}:2:23: unknown escape" in proc.stdout, proc.stdout
    assert "slash.json.yaml" not in proc.stdout
    assert proc.stdout.strip().endswith("2 objects in 2 files: 1 valid, 0 invalid, 1 errors")


def test_unconventional_keys_become_strings_like_kubectl() -> None:
    """kubeval's unconventional_keys fixture: kubectl turns number and boolean keys into strings."""
    text = VALID.replace("  key: value\n", '  5: "integer"\n  3.14: "float"\n  true: "boolean"\n')
    (document,) = load_documents(text)
    assert document.data["data"] == {"5": "integer", "3.14": "float", "true": "boolean"}
    assert validate("-", stdin=text).returncode == 0
    proc = validate("-", stdin=text + '  y: "yes"\n')
    assert proc.returncode == 1, "y is the boolean true for kubectl: a second key 'true'"
    assert '<stdin>:9:3: ConfigMap/survivor: data.true: duplicate key "true" (first at line 8)' in proc.stdout


def test_a_broken_document_does_not_hide_the_next() -> None:
    items = list(read_documents("a: [1, 2\n---\n" + VALID))
    assert [type(item).__name__ for item in items] == ["YamlSyntaxError", "Document"]
    assert items[1].line == 3


def test_stdin_is_read_with_dash() -> None:
    proc = validate("-", stdin=VALID.replace("ConfigMap", "ConfigMapp"))
    assert proc.returncode == 1
    assert proc.stdout.startswith(
        "<stdin>:1:1: ConfigMapp/survivor: apiVersion: Kubernetes 1.37 has no kind "
        'ConfigMapp in v1 — did you mean "ConfigMap"?'
    )


def test_one_block_boundary_does_not_split_a_document(tmp_path: Path) -> None:
    """Big files are read in blocks cut at '---' lines; a file of many documents keeps every line right."""
    from kubenotes.manifests.sources import BLOCK_BYTES

    padding = "#" * 200 + "\n"
    document = VALID + padding * 50
    count = 3 * BLOCK_BYTES // len(document)
    broken = count - 7
    parts = [document.replace("survivor", f"cm-{i}") if i != broken else "kind: [\n" for i in range(count)]
    (tmp_path / "many.yaml").write_text("---\n".join(parts), encoding="utf-8")
    proc = validate(str(tmp_path / "many.yaml"))
    lines_per_document = document.count("\n") + 1
    error_line = broken * lines_per_document + 2
    assert proc.stdout.startswith(f"{tmp_path / 'many.yaml'}:{error_line}:1: YAML syntax")
    assert proc.stdout.strip().endswith(f"{count} objects in 1 files: {count - 1} valid, 0 invalid, 1 errors")
