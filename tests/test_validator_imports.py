"""Import costs that other parts rely on: the manifest-drawing subprocess imports only the loader, and
``kubenotes --help`` loads no subcommand. Checked in a fresh interpreter by looking at ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("jsonschema_rs", "rapidfuzz", "multiprocessing")
ONE_FILE = Path(__file__).parent / "manifests" / "good" / "generate-name.yaml"


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_loader_does_not_load_the_schema_validator() -> None:
    loaded = _modules_after("import kubenotes.manifests.loader")
    assert not [name for name in HEAVY if name in loaded]


def test_help_loads_no_subcommand() -> None:
    loaded = _modules_after(
        "import contextlib, kubenotes.cli\nwith contextlib.suppress(SystemExit):\n"
        "    kubenotes.cli.main(['--help'])"
    )
    assert "kubenotes.manifests.cli" not in loaded and "kubenotes.diagrams.cli" not in loaded
    assert "importlib.metadata" not in loaded, "the version is read only for --version"


def test_validating_without_errors_loads_no_spelling_helper() -> None:
    namespace = "apiVersion: v1\\nkind: Namespace\\nmetadata: {name: a}\\n"
    loaded = _modules_after(
        f"from kubenotes.manifests import validate_text\nassert validate_text('{namespace}', 'x') == []"
    )
    assert "jsonschema_rs" in loaded
    assert "rapidfuzz" not in loaded and "multiprocessing" not in loaded


def test_the_schema_library_loads_without_the_email_package() -> None:
    loaded = _modules_after(
        "from kubenotes.manifests.schema_library import jsonschema_rs\n"
        "assert jsonschema_rs.Draft202012Validator({'type': 'string'}).is_valid('a')"
    )
    assert "jsonschema_rs" in loaded
    assert not {"email.utils", "socket", "calendar"} & loaded


def test_email_utils_is_the_real_module_after_the_schema_library_loaded() -> None:
    loaded = _modules_after(
        "from kubenotes.manifests.schema_library import jsonschema_rs\n"
        "import email.utils\n"
        "assert email.utils.formatdate(0, usegmt=True) == 'Thu, 01 Jan 1970 00:00:00 GMT'"
    )
    assert "email.utils" in loaded


def test_a_stand_in_asked_for_anything_else_hands_over_the_real_module() -> None:
    _modules_after(
        "import sys\nfrom kubenotes.manifests import schema_library\n"
        "stand_in = schema_library._stand_in()\nsys.modules['email.utils'] = stand_in\n"
        "assert stand_in.parsedate_to_datetime('Tue, 27 Oct 2026 10:17:51 +0000').startswith('Tue')\n"
        "assert stand_in.formatdate(0, usegmt=True) == 'Thu, 01 Jan 1970 00:00:00 GMT'\n"
        "assert sys.modules['email.utils'] is not stand_in"
    )


def test_validating_a_file_imports_no_dataclasses() -> None:
    """Its import and the code each decorator generates were a quarter of a one-file run."""
    loaded = _modules_after(
        f"import kubenotes.cli\nassert kubenotes.cli.main(['validate', {str(ONE_FILE)!r}]) == 0"
    )
    assert "kubenotes.manifests.validator" in loaded
    assert "dataclasses" not in loaded and "inspect" not in loaded


def test_the_schema_package_version_is_read_without_importlib_metadata() -> None:
    from importlib.metadata import version

    from kubenotes.manifests.versions import SCHEMA_PACKAGE, schema_package_version

    assert schema_package_version() == version(SCHEMA_PACKAGE)
    loaded = _modules_after(
        "from kubenotes.manifests.versions import schema_package_version\nschema_package_version()"
    )
    assert "importlib.metadata" not in loaded
