"""The capabilities every build runs, in the order their Markdown edits and tree stages are listed."""

from __future__ import annotations

from kubenotes.site.capability import Capability


def capability_types() -> list[type[Capability]]:
    """Imported here, not at module level, so that loading the site engine stays cheap."""
    from kubenotes.diagrams.capability import DiagramsCapability
    from kubenotes.execution.capability import ExecutionCapability
    from kubenotes.glossary import GlossaryCapability
    from kubenotes.manifests.site import ManifestsCapability

    return [ExecutionCapability, ManifestsCapability, DiagramsCapability, GlossaryCapability]
