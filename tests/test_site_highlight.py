"""The engine's code blocks are highlighted as the site's own fences are, and served from the cache store
when nothing that decides their HTML changed."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from kubenotes.cache import CacheStore
from kubenotes.site.highlight import AREA, Highlighter

FENCE_EXTENSIONS = ["pymdownx.highlight", "pymdownx.superfences"]


def converter(**highlight: object) -> markdown.Markdown:
    return markdown.Markdown(extensions=FENCE_EXTENSIONS, extension_configs={"pymdownx.highlight": highlight})


def test_a_block_looks_like_the_same_fence_converted_by_the_site(tmp_path: Path) -> None:
    md = converter(anchor_linenums=False)
    code = "kind: Pod\nmetadata: {name: web}"
    fence = md.convert(f'```yaml title="pod.yaml"\n{code}\n```')
    highlighter = Highlighter(converter(anchor_linenums=False), CacheStore(tmp_path))
    assert highlighter(code, "yaml", "pod.yaml") == fence  # highlighted
    assert highlighter(code, "yaml", "pod.yaml") == fence  # from the cache


def test_a_second_build_serves_blocks_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = CacheStore(tmp_path)
    first = Highlighter(converter(), store)("echo hi", "bash")
    assert len(list((tmp_path / AREA).rglob("*"))) == 2  # a shard folder and the entry

    def must_not_highlight(*args: object, **kwargs: object) -> str:
        raise AssertionError("highlighted again although nothing changed")

    monkeypatch.setattr("pymdownx.highlight.Highlight.highlight", must_not_highlight)
    assert Highlighter(converter(), store)("echo hi", "bash") == first
    for changed in (
        lambda: Highlighter(converter(), store)("echo bye", "bash"),  # the code
        lambda: Highlighter(converter(), store)("echo hi", "text"),  # the language
        lambda: Highlighter(converter(), store)("echo hi", "bash", "title"),  # the title
        lambda: Highlighter(converter(linenums=True), store)("echo hi", "bash"),  # the site's settings
    ):
        with pytest.raises(AssertionError, match="highlighted again"):
            changed()
